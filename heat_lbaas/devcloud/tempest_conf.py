"""tempest.conf for a devcloud up with Keystone (`heat-lbaas-devcloud tempest-conf`).

Two suites run against it: this project's Tempest plugin (`--suite heat_lbaas`, the
scenario tests of tempest_plugin/, stacks through Heat with real traffic) and
octavia-tempest-plugin's API tests (`--suite octavia`, Octavia's own suite in its noop
mode, against a devcloud whose controller runs the noop amphora driver). Tempest
creates a project and users per test class with the admin account given here
(dynamic credentials), as in any cloud's gate. Rendering is pure: settings in, text out.
"""
import configparser
import io

SUITES = ('heat_lbaas', 'octavia')
# Services the devcloud does not run: their tests skip, and Tempest makes no network.
ABSENT_SERVICES = ('cinder', 'glance', 'neutron', 'nova', 'swift')


def render(suite, auth_url, region, admin_password, work_dir, vip_subnet_id=None,
           devcloud_dir=None, providers=None):
    """The tempest.conf text for `suite`; `work_dir` holds Tempest's logs and locks;
    `providers`: {name: description} of GET /v2/lbaas/providers (octavia suite)."""
    conf = {
        'DEFAULT': {'log_dir': work_dir, 'log_file': 'tempest.log'},
        'oslo_concurrency': {'lock_path': work_dir + '/locks'},
        'auth': {
            'use_dynamic_credentials': 'true',
            'admin_username': 'admin',
            'admin_password': admin_password,
            'admin_project_name': 'admin',
            'admin_domain_name': 'Default',
            'create_isolated_networks': 'false',
        },
        'identity': {'uri_v3': auth_url, 'auth_version': 'v3', 'region': region},
        'service_available': dict({name: 'false' for name in ABSENT_SERVICES},
                                  heat_lbaas=str(suite == 'heat_lbaas').lower(),
                                  load_balancer=str(suite == 'octavia').lower()),
        'validation': {'run_validation': 'false'},
    }
    if suite == 'heat_lbaas':
        conf['heat_lbaas'] = {'vip_subnet_id': vip_subnet_id,
                              'devcloud_state_dir': devcloud_dir,
                              'server_control': 'devcloud'}
    elif suite == 'octavia':
        conf['network'] = {'project_networks_reachable': 'true'}
        conf['load_balancer'] = {
            # Random network ids, no Neutron calls, Octavia's noop operating statuses.
            'test_with_noop': 'true',
            'provider': 'amphora',
            'enabled_provider_drivers': ','.join(
                '%s:%s' % item for item in sorted((providers or {}).items())),
            'RBAC_test_type': 'keystone_default_roles',
            # Logging every class's role assignments is about 20 Keystone requests a
            # class, on a Keystone busy making and deleting its users.
            'log_user_roles': 'false',
            'build_interval': '0.5', 'check_interval': '0.5', 'lb_build_interval': '0.5',
            # Octavia's gate sets availability zones that do not exist in noop mode.
            'availability_zone': 'bogus-az-1', 'availability_zone2': 'bogus-az-2',
            'availability_zone3': 'bogus-az-3',
        }
    else:
        raise ValueError('suite must be one of %s' % ', '.join(SUITES))
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str        # RBAC_test_type keeps its case
    parser.read_dict({section: {k: v for k, v in values.items() if v is not None}
                      for section, values in conf.items()})
    text = io.StringIO()
    parser.write(text)
    return '# Written by heat-lbaas-devcloud tempest-conf.\n' + text.getvalue()
