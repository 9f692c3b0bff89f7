"""Octavia's error bodies: {"faultcode", "faultstring", "debuginfo"}.

The messages are Octavia's own wording (see shared/reference/octavia-v2-samples), so
clients that match on them (Heat, Tempest) behave the same against this controller.
"""


class ApiError(Exception):
    status = 400
    faultcode = 'Client'

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def body(self):
        return {'faultcode': self.faultcode, 'faultstring': self.message,
                'debuginfo': None}


class InvalidInput(ApiError):
    def __init__(self, field, value, reason):
        super().__init__("Invalid input for field/attribute %s. Value: '%s'. %s"
                         % (field, value, reason))


class ValidationFailure(ApiError):
    def __init__(self, detail):
        super().__init__('Validation failure: %s' % detail)


class ListenerNoChildren(ApiError):
    def __init__(self, protocol):
        super().__init__('Protocol %s listeners cannot have child objects.' % protocol)


class ProviderUnsupported(ApiError):
    # Octavia's ProviderUnsupportedOptionError: 501, which WSME words as a server
    # fault ("Server" for every status of 500 and above).
    status = 501
    faultcode = 'Server'

    def __init__(self, provider, detail):
        super().__init__("Provider '%s' does not support a requested option: %s"
                         % (provider, detail))


class NotFound(ApiError):
    status = 404

    def __init__(self, title, object_id):
        super().__init__('%s %s not found.' % (title, object_id))


class Conflict(ApiError):
    status = 409


class Immutable(Conflict):
    def __init__(self, title, object_id):
        super().__init__('%s %s is immutable and cannot be updated.'
                         % (title, object_id))


class InvalidState(Conflict):
    def __init__(self, status, object_id):
        super().__init__('Invalid state %s of loadbalancer resource %s'
                         % (status, object_id))


class MethodNotAllowed(ApiError):
    status = 405


class ServerError(ApiError):
    status = 500
    faultcode = 'Server'
