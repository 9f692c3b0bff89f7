"""Render and write every configuration file the devcloud's processes read.

Rendering functions are pure (settings in, text out) so they can be unit-tested;
``write_all`` puts the results into the state directory.
"""

import json

import yaml

from heat_lbaas.devcloud import catalog
from heat_lbaas.devcloud import identity
from heat_lbaas.devcloud import private_files
from heat_lbaas.devcloud.settings import HOST, heat_sleep_caps

CLOUD_NAME = 'devcloud'
FAKE_KEYSTONE = ('heat.engine.clients.os.keystone.fake_keystoneclient.'
                 'FakeKeystoneClient')

# The noauth and keystone pipelines of Heat's stock api-paste.ini ([paste_deploy]
# flavor chooses one).
API_PASTE_INI = """\
[composite:heat-api]
use = egg:Paste#urlmap
/: api
/healthcheck: healthcheck

[composite:api]
paste.composite_factory = heat.api:pipeline_factory
noauth = cors request_id faultwrap noauth context http_proxy_to_wsgi versionnegotiation apiv1app
keystone = cors request_id faultwrap http_proxy_to_wsgi versionnegotiation authurl authtoken
    context apiv1app

[app:apiv1app]
paste.app_factory = heat.common.wsgi:app_factory
heat.app_factory = heat.api.openstack.v1:API

[app:healthcheck]
paste.app_factory = oslo_middleware:Healthcheck.app_factory

[filter:versionnegotiation]
paste.filter_factory = heat.common.wsgi:filter_factory
heat.filter_factory = heat.api.openstack:version_negotiation_filter

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = heat

[filter:faultwrap]
paste.filter_factory = heat.common.wsgi:filter_factory
heat.filter_factory = heat.api.openstack:faultwrap_filter

[filter:context]
paste.filter_factory = heat.common.context:ContextMiddleware_filter_factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory

[filter:noauth]
paste.filter_factory = heat.common.noauth:filter_factory

[filter:authurl]
paste.filter_factory = heat.common.auth_url:filter_factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:request_id]
paste.filter_factory = oslo_middleware.request_id:RequestId.factory
"""

# Heat reads resource types only from plugin_dirs; this one line brings in the
# installed package: the production types plus the devcloud's own LBaaS::Dev::* types
# (a production Heat's plugin module, etc/heat/plugins/heat_lbaas_plugin.py, imports
# heat_lbaas.resources instead). An import error here stops the engine (on purpose: a
# devcloud without the LBaaS types would only fail later and more confusingly).
PLUGIN_MODULE = """\
# Written by heat-lbaas-devcloud: Heat loads resource types only from plugin_dirs.
from heat_lbaas.devcloud.heat_plugin import resource_mapping  # noqa: F401
"""


def identity_url(settings):
    # No Keystone runs; Heat only needs a syntactically valid identity URL
    # ([clients_keystone] auth_uri, the catalog's identity entry). Nothing listens
    # on this path of the Heat API; it is never called in the devcloud's flows.
    return 'http://%s:%d/identity/v3' % (HOST, settings.heat_port)


def load_balancer_url(settings):
    """The load-balancer API Heat and the clients use: the bundled controller, or the
    external one `up --load-balancer-endpoint` named (e.g. upstream Octavia)."""
    return (settings.load_balancer_endpoint or
            catalog.load_balancer_endpoint(settings.controller_port))


def render_token_body(settings):
    body = catalog.build_token_body(settings.heat_port, load_balancer_url(settings),
                                    settings.project_id, identity_url(settings))
    return json.dumps(body, indent=2) + '\n'


def render_heat_conf(settings, paths):
    """heat.conf; the options that depend on the auth mode come from
    heat_noauth / heat_keystone_auth as (DEFAULT options, further sections)."""
    auth = heat_keystone_auth if settings.auth == 'keystone' else heat_noauth
    auth_defaults, auth_sections = auth(settings, paths)
    return f"""\
# Written by heat-lbaas-devcloud up; rewritten on every up.
[DEFAULT]
# API and engine share one process (heat_server.py), so the in-memory transport
# connects them and no message broker is needed.
transport_url = fake://
host = devcloud
num_engine_workers = 1
plugin_dirs = {paths.plugin_dir}
auth_encryption_key = {settings.auth_encryption_key}
region_name_for_services = {catalog.REGION}
debug = {"true" if settings.heat_debug else "false"}
# Compare every resource with its object's live state on update, so an out-of-band
# change is brought back. `stack update --converge` alone reaches only the leaves of the
# dependency graph in Heat 27: Stack.converge is not stored, and the workers pass on the
# flag of the stack they reload from the database (always false) to the other resources.
observe_on_update = true
{auth_defaults}
[devcloud]
bind_host = {HOST}
bind_port = {settings.heat_port}
max_poll_sleep = {heat_sleep_caps(settings)[0]}
max_trigger_sleep = {heat_sleep_caps(settings)[1]}

[database]
connection = sqlite:///{paths.heat_db}

[clients]
endpoint_type = publicURL

[oslo_messaging_notifications]
driver = noop
{auth_sections}"""


def heat_noauth(settings, paths):
    defaults = f"""\
# No Keystone: stack users/ec2 keys (ScalingPolicy signal URLs) are faked.
keystone_backend = {FAKE_KEYSTONE}
# "trusts" needs a Keystone and a [trustee] section.
deferred_auth_method = password
"""
    return defaults, f"""
[paste_deploy]
flavor = noauth
api_paste_config = {paths.api_paste}

[noauth]
token_response = {paths.token_body}

[clients_keystone]
auth_uri = {identity_url(settings)}

[oslo_policy]
# noauth gives every request only the role admin; the new defaults refuse even
# stacks:index for it.
enforce_new_defaults = false
enforce_scope = false
"""


def keystone_authtoken(settings, user):
    """[keystone_authtoken] of an API served behind keystonemiddleware as ``user``."""
    return f"""
[keystone_authtoken]
www_authenticate_uri = {identity.url(settings)}
auth_url = {identity.url(settings)}
auth_type = password
username = {user}
password = {settings.password(user)}
user_domain_name = {identity.DEFAULT_DOMAIN}
project_name = {identity.SERVICE_PROJECT}
project_domain_name = {identity.DEFAULT_DOMAIN}
"""


def heat_keystone_auth(settings, paths):
    # As a production Heat: tokens checked by keystonemiddleware; work done later on
    # a stack's behalf (signals, scaling) runs with a trust from the stack's owner
    # to the heat service user; stack users live in their own domain.
    defaults = f"""\
deferred_auth_method = trusts
trusts_delegated_roles = {','.join(identity.TRUSTS_DELEGATED_ROLES)}
stack_user_domain_name = {identity.STACK_DOMAIN}
stack_domain_admin = {identity.STACK_DOMAIN_ADMIN}
stack_domain_admin_password = {settings.password(identity.STACK_DOMAIN_ADMIN)}
heat_stack_user_role = {identity.STACK_USER_ROLE}
"""
    return defaults, f"""
[paste_deploy]
flavor = keystone
api_paste_config = {paths.api_paste}

[clients_keystone]
auth_uri = {identity.url(settings)}

[trustee]
auth_type = password
auth_url = {identity.url(settings)}
username = {identity.HEAT_USER}
password = {settings.password(identity.HEAT_USER)}
user_domain_name = {identity.DEFAULT_DOMAIN}
""" + keystone_authtoken(settings, identity.HEAT_USER)


def render_controller_conf(settings, paths):
    return f"""\
# Written by heat-lbaas-devcloud up; rewritten on every up.
[api]
bind_host = {HOST}
bind_port = {settings.controller_port}
# One log line per request (METHOD path status) in the controller's log.
access_log = true

[controller]
state_dir = {paths.controller_state}
vip_subnet_cidr = {settings.vip_cidr}
vip_subnet_id = {settings.vip_subnet_id}
vip_network_id = {settings.vip_network_id}
default_project_id = {settings.project_id}
amphora_driver = {settings.amphora_driver}
amphora_network = {settings.amphora_network}
{namespace_options(settings)}
[certificates]
# Certificate references (TERMINATED_HTTPS listeners, TLS pools) name PEM files here.
storage_path = {paths.certificates}

[api_settings]
auth_strategy = {settings.auth}
""" + (keystone_authtoken(settings, identity.CONTROLLER_USER)
       if settings.auth == 'keystone' else '')


def namespace_options(settings):
    """The [controller] options of namespace mode (none in loopback mode)."""
    if settings.amphora_network != 'namespace':
        return ''
    return ('namespace_cidr = %s\nnamespace_bridge = %s\nnamespace_prefix = %s\n'
            % (settings.namespace_cidr, settings.namespace_bridge,
               settings.namespace_prefix))


def keystone_credentials(settings, user, project):
    """What a client needs to log in to the devcloud's Keystone as ``user``."""
    return {
        'auth_url': identity.auth_url(settings),
        'username': user,
        'password': settings.password(user),
        'project_name': project,
        'user_domain_name': identity.DEFAULT_DOMAIN,
        'project_domain_name': identity.DEFAULT_DOMAIN,
    }


def render_keystone_clouds_yaml(settings):
    """Cloud `devcloud` is the admin; `devcloud-<user>` each demo user. Endpoints
    come from Keystone's catalog, as on any cloud."""
    clouds = {}
    for user in identity.user_names():
        name = CLOUD_NAME if user == identity.ADMIN else '%s-%s' % (CLOUD_NAME, user)
        clouds[name] = {
            'auth_type': 'password',
            'auth': keystone_credentials(settings, user, identity.user_project(user)),
            'region_name': catalog.REGION,
            'identity_api_version': 3,
            # See render_clouds_yaml: no Neutron, and `openstack loadbalancer`
            # wants a network service's version document.
            'network_endpoint_override': catalog.load_balancer_endpoint(
                settings.controller_port),
        }
    return yaml.safe_dump({'clouds': clouds}, sort_keys=False)


def render_clouds_yaml(settings):
    if settings.auth == 'keystone':
        return render_keystone_clouds_yaml(settings)
    heat_url = catalog.heat_endpoint(settings.heat_port, settings.project_id)
    lb_url = load_balancer_url(settings)
    cloud = {
        # auth_type none: the endpoint is Heat's; the overrides tell openstacksdk
        # and the OSC plugins where each service is, since there is no catalog.
        'auth_type': 'none',
        'auth': {'endpoint': heat_url},
        'region_name': catalog.REGION,
        'orchestration_endpoint_override': heat_url,
        'load_balancer_endpoint_override': lb_url,
        # `openstack loadbalancer ...` (python-octaviaclient) builds openstacksdk
        # network proxies up front, to resolve subnet/network/port names; building
        # one runs version discovery. No Neutron runs here: the controller's root
        # version document satisfies that discovery.
        'network_endpoint_override': lb_url,
    }
    return yaml.safe_dump({'clouds': {CLOUD_NAME: cloud}}, sort_keys=False)


def write_all(settings, paths):
    for directory in (paths.root, paths.plugin_dir, paths.controller_state,
                      paths.certificates, paths.webservers, paths.logs, paths.pids):
        directory.mkdir(parents=True, exist_ok=True)
    for path, text in ((paths.api_paste, API_PASTE_INI),
                       (paths.plugin_module, PLUGIN_MODULE),
                       (paths.token_body, render_token_body(settings)),
                       (paths.heat_conf, render_heat_conf(settings, paths)),
                       (paths.controller_conf, render_controller_conf(settings, paths)),
                       (paths.clouds_yaml, render_clouds_yaml(settings))):
        private_files.write_text(path, text)


def write_keystone_conf(settings, paths, database_url, cache_url):
    paths.keystone_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_files.write_text(paths.keystone_conf, identity.render_keystone_conf(
        settings, paths, database_url, cache_url))
