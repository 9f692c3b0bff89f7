"""LBaaS::* resources without Heat's stack machinery, for unit tests of the operation
loop, and the Octavia client's errors they receive."""
from unittest import mock

from octaviaclient.api.v2 import octavia as octavia_api
from osc_lib import exceptions as osc_exceptions


def api_error(code, faultstring):
    return octavia_api.OctaviaClientException(code=code, message=faultstring)


def bare_resource(resource_class, resource_id=None):
    """A resource without Heat's stack machinery: only what the operation loop touches."""
    resource = object.__new__(resource_class)
    resource.name = 'the_resource'
    resource.uuid = '6f1e0c2a-5d0e-4c41-9b8e-2f6c1a7d9e10'
    resource.resource_id = resource_id
    resource.octavia = mock.Mock()
    resource.client = lambda: resource.octavia
    resource.client_plugin = lambda: mock.Mock(
        is_not_found=lambda ex: isinstance(ex, osc_exceptions.NotFound))

    def resource_id_set(value):
        resource.resource_id = value
    resource.resource_id_set = resource_id_set
    return resource
