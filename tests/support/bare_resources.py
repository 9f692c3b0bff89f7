"""LBaaS::* resources without Heat's stack machinery, for unit tests of the step engine:
only what the operation loop touches, with a mock Octavia client and a test clock."""

import random
import time
from unittest import mock

import pytest
from octaviaclient.api.v2 import octavia as octavia_api
from osc_lib import exceptions as osc_exceptions

RESOURCE_UUID = '6f1e0c2a-5d0e-4c41-9b8e-2f6c1a7d9e10'


def api_error(code, faultstring):
    """The exception python-octaviaclient raises for an error answer of the API."""
    return octavia_api.OctaviaClientException(code=code, message=faultstring)


def bare(resource_class, resource_id=None):
    """A resource of `resource_class` whose client is a mock (`resource.octavia`)."""
    resource = object.__new__(resource_class)
    resource.name = 'the_resource'
    resource.uuid = RESOURCE_UUID
    resource.resource_id = resource_id
    resource.octavia = mock.Mock()
    resource.client = lambda: resource.octavia
    resource.client_plugin = lambda: mock.Mock(
        is_not_found=lambda ex: isinstance(ex, osc_exceptions.NotFound))

    def resource_id_set(value):
        resource.resource_id = value
    resource.resource_id_set = resource_id_set
    return resource


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock the steps read, set by the test (a one-item list); no jitter."""
    now = [1000.0]
    monkeypatch.setattr(time, 'monotonic', lambda: now[0])
    monkeypatch.setattr(random, 'random', lambda: 0.0)
    return now
