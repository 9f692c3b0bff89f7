"""The operation loop of the LBaaS::* base class carries out the lifecycle decisions:
one request, retries only after the backoff deadline, the API's message on failure."""

from unittest import mock

import pytest
from octaviaclient.api.v2 import octavia as octavia_api
from osc_lib import exceptions as osc_exceptions

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import loadbalancer
from heat_lbaas.resources import octavia_object
from heat_lbaas.resources import pool

LB_ID = 'f5014c83-022f-4c6c-b80e-42ff89e2396b'
LB_IMMUTABLE = 'Load Balancer %s is immutable and cannot be updated.' % LB_ID
BAD_ALGORITHM = (
    "Invalid input for field/attribute lb_algorithm. Value: 'BOGUS'. Value should be one "
    "of: ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP_PORT, SOURCE_IP")


def _api_error(code, faultstring):
    return octavia_api.OctaviaClientException(code=code, message=faultstring)


def _bare(resource_class, resource_id=None):
    """A resource without Heat's stack machinery: only what the operation loop touches."""
    resource = object.__new__(resource_class)
    resource.name = 'the_resource'
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
    now = [1000.0]
    monkeypatch.setattr(octavia_object.time, 'monotonic', lambda: now[0])
    monkeypatch.setattr(octavia_object.random, 'random', lambda: 0.0)
    return now


def test_create_sends_once_and_waits_for_active(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.return_value = {'pool': {'id': 'p1'}}
    resource.octavia.pool_show.side_effect = [
        {'provisioning_status': 'PENDING_CREATE'}, {'provisioning_status': 'ACTIVE'}]
    operation = octavia_object.Operation.start(lifecycle.CREATE, {'protocol': 'HTTP'})
    assert resource.check_create_complete(operation) is False
    assert resource.check_create_complete(operation) is True
    resource.octavia.pool_create.assert_called_once_with(json={'pool': {'protocol': 'HTTP'}})
    assert resource.resource_id == 'p1'


def test_busy_parent_is_retried_only_after_the_backoff_deadline(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.side_effect = [
        _api_error(409, LB_IMMUTABLE), _api_error(409, LB_IMMUTABLE), {'pool': {'id': 'p1'}}]
    resource.octavia.load_balancer_show.return_value = {'provisioning_status': 'PENDING_UPDATE'}
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    operation = octavia_object.Operation.start(lifecycle.CREATE, {})

    assert resource.check_create_complete(operation) is False   # refused: retry in 0.5 s
    assert operation['not_before'] == pytest.approx(1000.5)
    assert resource.check_create_complete(operation) is False   # before the deadline
    assert resource.octavia.pool_create.call_count == 1

    clock[0] = 1000.5
    assert resource.check_create_complete(operation) is False   # refused again: 1 s
    assert operation['not_before'] == pytest.approx(1001.5)
    clock[0] = 1001.5
    assert resource.check_create_complete(operation) is True
    assert resource.octavia.pool_create.call_count == 3


def test_parent_in_error_fails_at_once(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.side_effect = _api_error(409, LB_IMMUTABLE)
    resource.octavia.load_balancer_show.return_value = {'provisioning_status': 'ERROR'}
    operation = octavia_object.Operation.start(lifecycle.CREATE, {})
    with pytest.raises(octavia_object.OctaviaRequestFailed) as failure:
        resource.check_create_complete(operation)
    assert LB_IMMUTABLE in str(failure.value)
    assert 'ERROR' in str(failure.value)
    resource.octavia.load_balancer_show.assert_called_once_with(LB_ID)


def test_invalid_input_fails_with_the_api_faultstring(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.side_effect = _api_error(400, BAD_ALGORITHM)
    operation = octavia_object.Operation.start(lifecycle.CREATE, {'lb_algorithm': 'BOGUS'})
    with pytest.raises(octavia_object.OctaviaRequestFailed) as failure:
        resource.check_create_complete(operation)
    assert str(failure.value) == 'Create of Pool failed: %s' % BAD_ALGORITHM


def test_provisioning_error_fails_with_a_clear_message(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.return_value = {'pool': {'id': 'p1'}}
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ERROR'}
    with pytest.raises(octavia_object.OctaviaRequestFailed) as failure:
        resource.check_create_complete(octavia_object.Operation.start(lifecycle.CREATE, {}))
    assert 'Pool p1 (resource the_resource)' in str(failure.value)
    assert 'provisioning_status ERROR' in str(failure.value)


def test_load_balancer_delete_cascades_and_ends_at_404(clock):
    resource = _bare(loadbalancer.LoadBalancer, resource_id=LB_ID)
    resource.octavia.load_balancer_show.side_effect = [
        {'provisioning_status': 'PENDING_DELETE'}, osc_exceptions.NotFound(404)]
    operation = resource.handle_delete()
    assert resource.check_delete_complete(operation) is False
    assert resource.check_delete_complete(operation) is True
    resource.octavia.load_balancer_delete.assert_called_once_with(LB_ID, cascade=True)


def test_delete_of_an_object_already_gone_is_done(clock):
    resource = _bare(pool.Pool, resource_id='p1')
    resource.octavia.pool_delete.side_effect = _api_error(404, 'Pool p1 not found.')
    assert resource.check_delete_complete(resource.handle_delete()) is True
    resource.octavia.pool_show.assert_not_called()


def test_delete_without_an_object_does_nothing():
    resource = _bare(pool.Pool)
    assert resource.check_delete_complete(resource.handle_delete()) is True
    resource.octavia.pool_delete.assert_not_called()


def test_update_sends_only_the_changed_properties_under_api_names(clock):
    resource = _bare(pool.Pool, resource_id='p1')
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    operation = resource.handle_update(None, None, {
        'lb_algorithm': 'LEAST_CONNECTIONS',
        'session_persistence': {'type': 'SOURCE_IP', 'cookie_name': None}})
    assert resource.check_update_complete(operation) is True
    resource.octavia.pool_set.assert_called_once_with('p1', json={'pool': {
        'lb_algorithm': 'LEAST_CONNECTIONS', 'session_persistence': {'type': 'SOURCE_IP'}}})


def test_update_without_changes_makes_no_request():
    resource = _bare(pool.Pool, resource_id='p1')
    assert resource.check_update_complete(resource.handle_update(None, None, {})) is True
    resource.octavia.pool_set.assert_not_called()
