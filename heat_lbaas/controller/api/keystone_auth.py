"""keystonemiddleware's auth_token in front of the API, as Octavia runs it.

With ``[api_settings] auth_strategy = keystone`` every request needs a valid token
(401 otherwise, keystonemiddleware's answer); the middleware puts the token's
project, user and roles into the X-Project-Id, X-User-Id and X-Roles headers the
handlers read. The version document (``GET /``) and ``/healthcheck`` stay open, as
in Octavia (octavia.common.keystone.SkippingAuthProtocol): clients discover the API
before they authenticate. With ``noauth`` nothing is checked: bind to loopback only.
"""
from keystonemiddleware import auth_token

UNAUTHENTICATED_PATHS = ('/', '/healthcheck')


class SkippingAuthProtocol(auth_token.AuthProtocol):
    def process_request(self, request):
        if request.path in UNAUTHENTICATED_PATHS:
            return None
        return super().process_request(request)


def wrap(app, conf):
    """``app`` behind auth_token when the configuration asks for Keystone."""
    if conf.api_settings.auth_strategy != 'keystone':
        return app
    # [keystone_authtoken] is read from the controller's own configuration.
    return SkippingAuthProtocol(app, {'oslo_config_config': conf})
