"""The in-process clients tests reach a devcloud with: an openstacksdk Connection built
from the devcloud's clouds.yaml, and on its session the python-heatclient Client that
`openstack stack ...` uses. This is the one place that decides how tests authenticate:
whatever clouds.yaml says (today `auth_type: none` with endpoint overrides) is what every
request of a test carries, as it is for the CLI."""
from heatclient import client as heat_client
from openstack import config as openstack_config
from openstack import connection as openstack_connection


def connect(clouds_yaml, cloud):
    """A Connection to `cloud` of that clouds.yaml only (no ~/.config/openstack, no OS_*
    variables of the calling shell)."""
    config = openstack_config.OpenStackConfig(
        config_files=[str(clouds_yaml)], load_envvars=False).get_one(cloud=cloud)
    return openstack_connection.Connection(config=config)


def connect_as(environment):
    """A Connection with the password credentials of OS_* variables, as the CLI reads
    them from a shell that ran `heat-lbaas-devcloud env --user USER`."""
    return openstack_connection.Connection(
        auth_type='password', region_name=environment['OS_REGION_NAME'],
        auth={'auth_url': environment['OS_AUTH_URL'],
              'username': environment['OS_USERNAME'],
              'password': environment['OS_PASSWORD'],
              'user_domain_name': environment['OS_USER_DOMAIN_NAME'],
              'project_name': environment['OS_PROJECT_NAME'],
              'project_domain_name': environment['OS_PROJECT_DOMAIN_NAME']})


def heat(connection):
    """A heatclient v1 Client sharing the Connection's session and Heat endpoint."""
    return heat_client.Client('1', session=connection.session,
                              endpoint_override=connection.orchestration.get_endpoint())
