"""keystonemiddleware's auth_token in front of the API, as Octavia runs it.

With ``[api_settings] auth_strategy = keystone`` every request needs a valid token
(401 otherwise, keystonemiddleware's answer); the middleware puts the token's
project, user and roles into the X-Project-Id, X-User-Id and X-Roles headers the
handlers read. The version document (``GET /``) and ``/healthcheck`` stay open, as
in Octavia (octavia.common.keystone.SkippingAuthProtocol): clients discover the API
before they authenticate. With ``noauth`` nothing is checked: bind to loopback only.
"""
UNAUTHENTICATED_PATHS = ('/', '/healthcheck')


def skipping_auth_protocol():
    """auth_token's AuthProtocol that lets UNAUTHENTICATED_PATHS through. Imported
    here, not with the module: keystonemiddleware is a sixth of a controller's start
    (about 0.2 s of CPU), and only the keystone strategy uses it."""
    from keystonemiddleware import auth_token

    class SkippingAuthProtocol(auth_token.AuthProtocol):
        def process_request(self, request):
            if request.path in UNAUTHENTICATED_PATHS:
                return None
            return super().process_request(request)

    return SkippingAuthProtocol


def wrap(app, conf):
    """``app`` behind auth_token when the configuration asks for Keystone."""
    if conf.api_settings.auth_strategy != 'keystone':
        return app
    # [keystone_authtoken] is read from the controller's own configuration.
    return skipping_auth_protocol()(app, {'oslo_config_config': conf})
