"""Heat and load-balancer clients for one Tempest credential.

Tempest 47 ships no orchestration client, so (as heat-tempest-plugin does) the plugin
builds python-heatclient and openstacksdk on a keystoneauth session made from the
credential Tempest provisioned; both find their endpoints in the Keystone catalog."""
from heatclient import client as heat_client
from keystoneauth1 import session as keystone_session
from keystoneauth1.identity import v3
import openstack
from tempest import config

CONF = config.CONF


class CloudClients:
    """`heat`: python-heatclient; `load_balancer`: openstacksdk's load-balancer proxy;
    `session`: the keystoneauth session (for signal URLs, which take the token)."""

    def __init__(self, credentials):
        auth = v3.Password(
            auth_url=CONF.identity.uri_v3, username=credentials.username,
            password=credentials.password, project_name=credentials.project_name,
            user_domain_name=credentials.user_domain_name,
            project_domain_name=credentials.project_domain_name)
        self.session = keystone_session.Session(
            auth=auth, verify=not CONF.identity.disable_ssl_certificate_validation)
        self.project_id = self.session.get_project_id()
        self.heat = heat_client.Client('1', session=self.session,
                                       region_name=CONF.identity.region or None)
        self.load_balancer = openstack.connection.Connection(
            session=self.session, region_name=CONF.identity.region or None).load_balancer
