"""The operation loop of the LBaaS::* base class carries out the lifecycle decisions:
one request, retries only after the backoff deadline, the API's message on failure.

Tests of what a resource makes of its template build it with Heat's template parser
(tests/support/heat_templates.py), so that schemas and name-or-id lookups run too; tests
of the step engine alone use a bare resource (tests/support/bare_resources.py)."""

from unittest import mock

import pytest
from heat.common import exception as heat_exception
from osc_lib import exceptions as osc_exceptions

from heat_lbaas.resources import api_errors
from heat_lbaas.resources import health_monitor
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import loadbalancer
from heat_lbaas.resources import member
from heat_lbaas.resources import operations
from heat_lbaas.resources import pool
from tests.support import heat_templates
from tests.support.bare_resources import api_error as _api_error
from tests.support.bare_resources import bare as _bare
from tests.support.bare_resources import clock  # noqa: F401 (fixture)
from tests.support.heat_templates import octavia  # noqa: F401 (fixture)

LB_ID = 'f5014c83-022f-4c6c-b80e-42ff89e2396b'
LB_IMMUTABLE = 'Load Balancer %s is immutable and cannot be updated.' % LB_ID
BAD_ALGORITHM = (
    "Invalid input for field/attribute lb_algorithm. Value: 'BOGUS'. Value should be one "
    "of: ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP_PORT, SOURCE_IP")


def test_create_sends_once_and_waits_for_active(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.return_value = {'pool': {'id': 'p1'}}
    resource.octavia.pool_show.side_effect = [
        {'provisioning_status': 'PENDING_CREATE'}, {'provisioning_status': 'ACTIVE'}]
    operation = operations.Operation.start(lifecycle.CREATE, {'protocol': 'HTTP'})
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
    operation = operations.Operation.start(lifecycle.CREATE, {})

    assert resource.check_create_complete(operation) is False   # refused: retry in 0.125 s
    assert operation['not_before'] == pytest.approx(1000.125)
    assert resource.check_create_complete(operation) is False   # before the deadline
    assert resource.octavia.pool_create.call_count == 1

    clock[0] = 1000.125
    assert resource.check_create_complete(operation) is False   # refused again: 0.25 s
    assert operation['not_before'] == pytest.approx(1000.375)
    clock[0] = 1000.375
    assert resource.check_create_complete(operation) is True
    assert resource.octavia.pool_create.call_count == 3


def test_parent_in_error_fails_at_once(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.side_effect = _api_error(409, LB_IMMUTABLE)
    resource.octavia.load_balancer_show.return_value = {'provisioning_status': 'ERROR'}
    operation = operations.Operation.start(lifecycle.CREATE, {})
    with pytest.raises(api_errors.OctaviaRequestFailed) as failure:
        resource.check_create_complete(operation)
    assert LB_IMMUTABLE in str(failure.value)
    assert 'ERROR' in str(failure.value)
    resource.octavia.load_balancer_show.assert_called_once_with(LB_ID)


def test_invalid_input_fails_with_the_api_faultstring(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.side_effect = _api_error(400, BAD_ALGORITHM)
    operation = operations.Operation.start(lifecycle.CREATE, {'lb_algorithm': 'BOGUS'})
    with pytest.raises(api_errors.OctaviaRequestFailed) as failure:
        resource.check_create_complete(operation)
    assert str(failure.value) == 'Create of Pool failed: %s' % BAD_ALGORITHM


def test_provisioning_error_fails_with_a_clear_message(clock):
    resource = _bare(pool.Pool)
    resource.octavia.pool_create.return_value = {'pool': {'id': 'p1'}}
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ERROR'}
    with pytest.raises(api_errors.OctaviaRequestFailed) as failure:
        resource.check_create_complete(operations.Operation.start(lifecycle.CREATE, {}))
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


# A load balancer (with its pool) no other test takes turns at.
TEMPLATE_LB_ID = '7a3e9f4c-1d2b-4c5a-8e6f-9a0b1c2d3e4f'


def _monitor_template(monitor_type):
    return heat_templates.hot({'monitor': {'type': 'LBaaS::HealthMonitor', 'properties': {
        'pool': 'web-pool', 'type': monitor_type, 'delay': 5, 'timeout': 5,
        'max_retries': 3, 'name': 'web-check'}}})


def test_recreate_deletes_before_it_creates(clock, octavia):
    resource = heat_templates.resource_to_create(_monitor_template('HTTP'), 'monitor')
    resource.resource_id_set('old')
    octavia.pool_show.return_value = {'loadbalancers': [{'id': TEMPLATE_LB_ID}]}
    octavia.load_balancer_show.return_value = {'provisioning_status': 'ACTIVE'}
    octavia.health_monitor_show.side_effect = [
        {'provisioning_status': 'ACTIVE'},                      # handle_update looks
        osc_exceptions.NotFound(404),                            # old one gone
        {'provisioning_status': 'ACTIVE'}]                       # new one ACTIVE
    octavia.health_monitor_create.return_value = {'healthmonitor': {'id': 'new'}}
    snippet = heat_templates.new_definition(_monitor_template('TCP'), 'monitor', resource)
    operation = resource.handle_update(snippet, None, {'type': 'TCP'})
    assert resource.check_update_complete(operation) is True
    calls = [c[0] for c in octavia.method_calls
             if c[0] in ('health_monitor_delete', 'health_monitor_create')]
    assert calls == ['health_monitor_delete', 'health_monitor_create']
    assert resource.resource_id == 'new'


def test_object_in_error_is_recreated_on_update(clock):
    resource = _bare(health_monitor.HealthMonitor, resource_id='old')
    resource.properties = {'pool': None}
    resource.octavia.health_monitor_show.return_value = {'provisioning_status': 'ERROR'}
    resource._create_body_of = lambda props: {}
    resource.translate_properties = lambda props: None
    resource.context = None
    operation = resource.handle_update(mock.Mock(), None, {})
    assert [operation['action']] + [a for a, _ in operation['then']] == [
        lifecycle.DELETE, lifecycle.CREATE]


def test_a_busy_parent_is_waited_for_before_sending(clock):
    resource = _bare(pool.Pool)
    resource.properties = {'loadbalancer': LB_ID, 'listener': None}
    resource.properties_schema = {'loadbalancer': None, 'listener': None}
    resource.octavia.load_balancer_show.side_effect = [
        {'provisioning_status': 'PENDING_UPDATE'}, {'provisioning_status': 'ACTIVE'}]
    resource.octavia.pool_create.return_value = {'pool': {'id': 'p1'}}
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    operation = operations.Operation.start(lifecycle.CREATE, {})
    assert resource.check_create_complete(operation) is False
    resource.octavia.pool_create.assert_not_called()
    clock[0] += 1
    assert resource.check_create_complete(operation) is True
    resource.octavia.pool_create.assert_called_once()


def _sibling_pools(lb_id):
    """Two bare pools of one load balancer, each answered as created and pending."""
    siblings = _bare(pool.Pool), _bare(pool.Pool)
    for resource, pool_id in zip(siblings, ('p1', 'p2')):
        resource.properties = {'loadbalancer': lb_id, 'listener': None}
        resource.properties_schema = {'loadbalancer': None, 'listener': None}
        resource.octavia.load_balancer_show.return_value = {'provisioning_status': 'ACTIVE'}
        resource.octavia.pool_create.return_value = {'pool': {'id': pool_id}}
        resource.octavia.pool_show.return_value = {'provisioning_status': 'PENDING_CREATE'}
    return siblings


def test_siblings_take_turns_at_the_load_balancer(clock):
    first, second = _sibling_pools(LB_ID)
    one = operations.Operation.start(lifecycle.CREATE, {})
    two = operations.Operation.start(lifecycle.CREATE, {})
    assert first.check_create_complete(one) is False      # sent, now pending
    assert second.check_create_complete(two) is False     # waits for its turn
    second.octavia.pool_create.assert_not_called()
    first.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    assert first.check_create_complete(one) is True       # gives the turn back
    assert second.check_create_complete(two) is False
    second.octavia.pool_create.assert_called_once()


def test_an_action_heat_cancels_gives_the_turn_back_at_once(clock):
    # A load balancer of its own: no turn another test left behind.
    first, second = _sibling_pools('c9a3a7e2-5b1d-4f0e-8d6c-2a4b6c8d0e1f')
    one = operations.Operation.start(lifecycle.CREATE, {})
    two = operations.Operation.start(lifecycle.CREATE, {})
    assert first.check_create_complete(one) is False      # sent: holds the turn
    first.octavia.pool_create.assert_called_once()
    assert second.check_create_complete(two) is False
    second.octavia.pool_create.assert_not_called()
    first.handle_create_cancel(one)                       # its stack failed meanwhile
    assert second.check_create_complete(two) is False     # sent now, not after the lease
    second.octavia.pool_create.assert_called_once()
    first.handle_delete_cancel(None)                      # nothing to give back


def test_member_is_drained_before_delete(clock):
    resource = _bare(member.Member, resource_id='m1')
    resource.properties = {'pool': None, 'weight': 1, 'drain_seconds': 3}
    resource._whole_stack_is_deleted = lambda: False
    resource.octavia.member_show.side_effect = [
        {'provisioning_status': 'ACTIVE'},   # drain needed?
        {'provisioning_status': 'ACTIVE'},   # weight 0 applied
        osc_exceptions.NotFound(404)]        # deleted
    operation = resource.handle_delete()
    assert resource.check_delete_complete(operation) is False   # weight 0, draining
    resource.octavia.member_set.assert_called_once_with(
        None, 'm1', json={'member': {'weight': 0}})
    resource.octavia.member_delete.assert_not_called()
    clock[0] += 3
    assert resource.check_delete_complete(operation) is True
    resource.octavia.member_delete.assert_called_once()


def test_member_waits_for_online_and_fails_naming_it(clock):
    resource = _bare(member.Member)
    resource.properties = {'pool': None}
    resource.octavia.member_create.return_value = {'member': {'id': 'm1'}}
    resource.octavia.member_show.return_value = {'provisioning_status': 'ACTIVE',
                                                 'operating_status': 'ERROR'}
    operation = operations.Operation.start(
        lifecycle.CREATE, {}, then=[(operations.WAIT_ONLINE, 10)])
    assert resource.check_create_complete(operation) is False
    clock[0] += 10
    with pytest.raises(api_errors.OctaviaRequestFailed) as failure:
        resource.check_create_complete(operation)
    assert 'Member m1 (resource the_resource)' in str(failure.value)
    assert 'operating_status was still ERROR' in str(failure.value)
    assert 'health checks fail' not in str(failure.value)


def test_member_waiting_for_online_is_looked_at_with_backoff_not_on_every_poll(clock):
    # A noop cloud never reports ONLINE: over a 120 s wait polled as the devcloud's Heat
    # polls (every 0.1 s: 1200 polls), the member is fetched a few dozen times, not 1200.
    resource = _bare(member.Member)
    resource.properties = {'pool': None}
    resource.octavia.member_create.return_value = {'member': {'id': 'm1'}}
    resource.octavia.member_show.return_value = {'provisioning_status': 'ACTIVE',
                                                 'operating_status': 'OFFLINE'}
    operation = operations.Operation.start(
        lifecycle.CREATE, {}, then=[(operations.WAIT_ONLINE, 120)])
    assert resource.check_create_complete(operation) is False   # created, ACTIVE
    shows_after_create = resource.octavia.member_show.call_count
    began = clock[0]
    with pytest.raises(api_errors.OctaviaRequestFailed, match='still OFFLINE'):
        while True:
            clock[0] += 0.1
            resource.check_create_complete(operation)
    looks = resource.octavia.member_show.call_count - shows_after_create
    assert 120 <= clock[0] - began < 120.2    # the failure comes on time
    # The clock fixture's random() is 0, the shortest delays: 0.25, 0.5, 1, then every 2 s.
    assert 58 <= looks <= 63


def test_member_waiting_for_online_is_done_at_the_first_look_after_it_is_ready(clock):
    resource = _bare(member.Member, resource_id='m1')
    resource.properties = {'pool': None}
    resource.octavia.member_show.return_value = {'operating_status': 'OFFLINE'}
    operation = operations.Operation.start(operations.WAIT_ONLINE, 120)
    assert resource.check_create_complete(operation) is False
    resource.octavia.member_show.return_value = {'operating_status': 'ONLINE'}
    assert resource.check_create_complete(operation) is False   # not looked at yet
    clock[0] += 0.25
    assert resource.check_create_complete(operation) is True
    assert resource.octavia.member_show.call_count == 2


@pytest.mark.parametrize('shown, problem', [
    (osc_exceptions.NotFound(404), 'does not exist'),
    ({'provisioning_status': 'ERROR'}, 'provisioning_status ERROR')])
def test_check_reports_a_missing_or_broken_object(shown, problem):
    resource = _bare(pool.Pool, resource_id='p1')
    resource.octavia.pool_show.side_effect = [shown]
    with pytest.raises(api_errors.OctaviaRequestFailed, match=problem):
        resource.handle_check()


def _listener_from_template():
    """A listener whose updatable properties are those Heat derives from its schema."""
    template = heat_templates.hot({'web_listener': {'type': 'LBaaS::Listener', 'properties': {
        'loadbalancer': 'web-lb', 'protocol': 'HTTP', 'protocol_port': 80}}})
    resource = heat_templates.resource_to_create(template, 'web_listener')
    resource.resource_id_set('l1')
    return resource


def test_live_state_maps_api_fields_back_to_properties(octavia):
    resource = _listener_from_template()
    live = resource.parse_live_resource_data(
        {'name': None, 'connection_limit': 100, 'default_pool': 'q'},
        {'connection_limit': 7, 'default_pool_id': 'p', 'name': 'x'})
    assert live == {'connection_limit': 7, 'default_pool': 'p'}


def test_live_state_leaves_out_what_the_template_leaves_to_the_api(octavia):
    # A pool created with `listener:` becomes the listener's default pool: no drift.
    resource = _listener_from_template()
    live = resource.parse_live_resource_data(
        {'connection_limit': 100, 'default_pool': None, 'timeout_client_data': None},
        {'connection_limit': 100, 'default_pool_id': 'p', 'timeout_client_data': 50000})
    assert live == {'connection_limit': 100}


# A load balancer no other test takes turns at.
ERROR_LB_ID = '0d9c3c8e-7b8f-4a55-9e0a-1b2c3d4e5f60'


def test_member_removed_under_a_load_balancer_in_error_fails_it_over_then_deletes(clock):
    resource = _bare(member.Member, resource_id='m1')
    resource.properties = {'pool': 'p1', 'weight': 1, 'drain_seconds': 0}
    resource._whole_stack_is_deleted = lambda: False     # a scale-in, not a stack delete
    resource._parent_load_balancer_id = lambda: ERROR_LB_ID
    resource.octavia.load_balancer_show.side_effect = [
        {'provisioning_status': 'ERROR'},            # before the delete: repair first
        {'provisioning_status': 'ERROR'},            # failover step: send it
        {'provisioning_status': 'PENDING_UPDATE'},   # failover running
        {'provisioning_status': 'ACTIVE'},           # failover done
        {'provisioning_status': 'ACTIVE'}]           # before the delete again
    resource.octavia.member_show.side_effect = osc_exceptions.NotFound(404)
    operation = resource.handle_delete()
    assert resource.check_delete_complete(operation) is False
    resource.octavia.load_balancer_failover.assert_called_once_with(ERROR_LB_ID)
    resource.octavia.member_delete.assert_not_called()
    assert resource.check_delete_complete(operation) is False
    assert resource.check_delete_complete(operation) is True
    resource.octavia.member_delete.assert_called_once_with('p1', 'm1')


def test_member_deleted_with_its_whole_stack_under_a_load_balancer_in_error_is_left_to_the_cascade(
        clock):
    resource = _bare(member.Member, resource_id='m1')
    resource.properties = {'pool': 'p1', 'weight': 1, 'drain_seconds': 0}
    resource._whole_stack_is_deleted = lambda: True
    resource._load_balancer_is_deleted_with_stack = lambda: False   # LB of another stack
    resource._parent_load_balancer_id = lambda: ERROR_LB_ID
    resource.octavia.load_balancer_show.return_value = {'provisioning_status': 'ERROR'}
    operation = resource.handle_delete()
    assert resource.check_delete_complete(operation) is True
    resource.octavia.load_balancer_failover.assert_not_called()
    resource.octavia.member_delete.assert_not_called()


def test_create_whose_answer_was_lost_is_found_by_its_owner_tag_not_sent_again(clock):
    from keystoneauth1 import exceptions as ksa_exceptions
    resource = _bare(pool.Pool)
    resource.properties = {}
    resource._parent_load_balancer_id = lambda: None
    resource.octavia.pool_create.side_effect = ksa_exceptions.ConnectTimeout('timed out')
    tag = lifecycle.owner_tag(resource.uuid)
    resource.octavia.pool_list.return_value = {'pools': [
        {'id': 'p-created', 'tags': [tag], 'provisioning_status': 'PENDING_CREATE'}]}
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    operation = operations.Operation.start(lifecycle.CREATE, {'tags': [tag]})
    assert resource.check_create_complete(operation) is False    # lost: retry later
    assert resource.resource_id is None
    clock[0] += 1
    assert resource.check_create_complete(operation) is True
    assert resource.resource_id == 'p-created'                     # adopted
    resource.octavia.pool_create.assert_called_once()              # no duplicate
    resource.octavia.pool_list.assert_called_once_with(tags=tag)


def test_lost_create_without_an_object_is_sent_again(clock):
    from keystoneauth1 import exceptions as ksa_exceptions
    resource = _bare(pool.Pool)
    resource.properties = {}
    resource._parent_load_balancer_id = lambda: None
    resource.octavia.pool_create.side_effect = [
        ksa_exceptions.ConnectFailure('connection refused'), {'pool': {'id': 'p2'}}]
    resource.octavia.pool_list.return_value = {'pools': []}
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    operation = operations.Operation.start(lifecycle.CREATE, {})
    assert resource.check_create_complete(operation) is False
    clock[0] += 1
    assert resource.check_create_complete(operation) is True
    assert resource.resource_id == 'p2'
    assert resource.octavia.pool_create.call_count == 2


def test_a_refused_failover_of_the_parent_fails_the_delete_naming_why(clock):
    # Octavia's default policy lets only admins fail a load balancer over.
    resource = _bare(member.Member, resource_id='m1')
    resource.properties = {'pool': 'p1', 'weight': 1, 'drain_seconds': 0}
    resource._whole_stack_is_deleted = lambda: False
    resource._parent_load_balancer_id = lambda: ERROR_LB_ID
    resource.octavia.load_balancer_show.return_value = {'provisioning_status': 'ERROR'}
    resource.octavia.load_balancer_failover.side_effect = _api_error(
        403, 'Policy does not allow this request to be performed.')
    operation = resource.handle_delete()
    with pytest.raises(api_errors.OctaviaRequestFailed) as failure:
        resource.check_delete_complete(operation)
    assert str(failure.value).startswith('Delete of Member failed: Load Balancer')
    assert 'its failover, needed to remove the object from it, was refused: Policy' in str(
        failure.value)
    resource.octavia.member_delete.assert_not_called()


# --- what a resource makes of its template (Heat's parser, schemas and lookups) --------

def _pool_template(**properties):
    return heat_templates.hot({'web_pool': {'type': 'LBaaS::Pool', 'properties': {
        'loadbalancer': 'web-lb', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
        'name': 'web', **properties}}})


def test_create_body_names_the_parent_by_id_and_carries_the_owner_tag(octavia):
    resource = heat_templates.resource_to_create(_pool_template(tags=['blue']), 'web_pool')
    body = resource.handle_create()['body']
    # The template names the load balancer; Octavia gets its id, under the API's name.
    assert body['loadbalancer_id'] == 'id-of-web-lb'
    assert 'loadbalancer' not in body
    assert body['tags'] == ['blue', lifecycle.owner_tag(resource.uuid)]
    assert body['admin_state_up'] is True   # the schema's default
    assert 'listener_id' not in body        # unset: left to the API
    assert any(call.kwargs.get('value') == 'web-lb' for call in octavia.find.call_args_list)


def test_the_schema_refuses_a_value_octavia_does_not_know(octavia):
    resource = heat_templates.resource_of(_pool_template(lb_algorithm='BOGUS'), 'web_pool')
    with pytest.raises(heat_exception.StackValidationFailed) as failure:
        resource.validate()
    assert 'lb_algorithm' in str(failure.value)
    assert 'BOGUS' in str(failure.value)


def test_a_member_sends_its_requests_to_the_url_of_its_pool_found_by_name(clock, octavia):
    template = heat_templates.hot({'web_member': {'type': 'LBaaS::Member', 'properties': {
        'pool': 'web-pool', 'address': '192.0.2.10', 'protocol_port': 8080,
        'drain_seconds': 0}}})
    resource = heat_templates.resource_to_create(template, 'web_member')
    resource.resource_id_set('m1')
    resource._whole_stack_is_deleted = lambda: False   # no stack in Heat's database
    octavia.pool_show.return_value = {'loadbalancers': [{'id': TEMPLATE_LB_ID}]}
    octavia.load_balancer_show.return_value = {'provisioning_status': 'ACTIVE'}
    octavia.member_show.side_effect = osc_exceptions.NotFound(404)   # deleted
    operation = resource.handle_delete()
    assert [operation['action']] + [a for a, _ in operation['then']] == [
        lifecycle.DELETE]                    # drain_seconds 0: no drain
    assert resource.check_delete_complete(operation) is True
    octavia.member_delete.assert_called_once_with('id-of-web-pool', 'm1')


def test_an_l7_rule_names_its_policy_after_its_own_id(clock, octavia):
    # python-octaviaclient's order for rules (l7rule_delete(rule, policy)), unlike members.
    template = heat_templates.hot({'rule': {'type': 'LBaaS::L7Rule', 'properties': {
        'l7policy': 'redirects', 'type': 'PATH', 'compare_type': 'STARTS_WITH',
        'value': '/api'}}})
    resource = heat_templates.resource_to_create(template, 'rule')
    resource.resource_id_set('r1')
    octavia.l7policy_show.return_value = {'listener_id': 'rule-test-listener'}
    octavia.listener_show.return_value = {'loadbalancers': [{'id': TEMPLATE_LB_ID}]}
    octavia.load_balancer_show.return_value = {'provisioning_status': 'ACTIVE'}
    octavia.l7rule_show.side_effect = osc_exceptions.NotFound(404)
    assert resource.check_delete_complete(resource.handle_delete()) is True
    octavia.l7rule_delete.assert_called_once_with('r1', 'id-of-redirects')
    octavia.l7rule_show.assert_called_once_with('r1', 'id-of-redirects')
