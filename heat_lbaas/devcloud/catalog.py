"""The Keystone v3 token body the devcloud hands to Heat instead of a Keystone.

Heat's noauth middleware attaches this body to every request, and Heat's client
plugins find their endpoints in its ``catalog``: ``orchestration`` for Heat itself
(signal URLs, nested stacks) and ``load-balancer`` for the LBaaS::* resources.
The heat server also gives the same body to stored contexts (see heat_server.py).
"""

REGION = 'RegionOne'
INTERFACES = ('public', 'internal', 'admin')
# Far in the future so keystoneauth never decides the token needs renewing (there is
# no Keystone to renew it against).
EXPIRES_AT = '2999-12-31T23:59:59.000000Z'
ISSUED_AT = '2020-01-01T00:00:00.000000Z'
DOMAIN = {'id': 'default', 'name': 'Default'}


def heat_endpoint(heat_port, project_id):
    """Heat's URL carries the project, as Heat expects (``/v1/<project_id>``)."""
    return 'http://127.0.0.1:%d/v1/%s' % (heat_port, project_id)


def load_balancer_endpoint(controller_port):
    return 'http://127.0.0.1:%d' % controller_port


def catalog_service(service_type, name, url, region=REGION):
    """One catalog entry with the same URL on every interface."""
    return {
        'type': service_type,
        'name': name,
        'id': '%s-service' % name,
        'endpoints': [
            {'id': '%s-%s' % (name, interface), 'interface': interface,
             'region': region, 'region_id': region, 'url': url}
            for interface in INTERFACES
        ],
    }


def build_catalog(heat_port, load_balancer_url, project_id, identity_url):
    return [
        catalog_service('orchestration', 'heat',
                        heat_endpoint(heat_port, project_id)),
        catalog_service('load-balancer', 'octavia', load_balancer_url),
        # Nothing answers here; some code paths only need the entry to exist
        # (keystoneauth resolving the 'identity' service of the access info).
        catalog_service('identity', 'keystone', identity_url),
    ]


def build_token_body(heat_port, load_balancer_url, project_id, identity_url,
                     user_name='admin'):
    """A Keystone v3 ``POST /v3/auth/tokens`` response body, role admin."""
    return {
        'token': {
            'methods': ['password'],
            'expires_at': EXPIRES_AT,
            'issued_at': ISSUED_AT,
            'user': {'id': user_name, 'name': user_name, 'domain': DOMAIN},
            'project': {'id': project_id, 'name': project_id, 'domain': DOMAIN},
            'roles': [{'id': 'admin', 'name': 'admin'}],
            'catalog': build_catalog(heat_port, load_balancer_url, project_id,
                                     identity_url),
        }
    }
