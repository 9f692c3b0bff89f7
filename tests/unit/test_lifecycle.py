"""The lifecycle decisions of the LBaaS::* resources, with the faultstrings Octavia really
returns (../shared/reference/octavia-v2-samples)."""

import pytest

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources.lifecycle import Next

LB_ID = 'f5014c83-022f-4c6c-b80e-42ff89e2396b'
POOL_ID = '87ef26f8-0697-47cd-b353-1e1951519214'

# Verbatim from the recorded samples.
LB_IMMUTABLE = 'Load Balancer %s is immutable and cannot be updated.' % LB_ID
POOL_IMMUTABLE = 'Pool %s is immutable and cannot be updated.' % POOL_ID
LB_INVALID_STATE_PENDING = (
    'Invalid state PENDING_CREATE of loadbalancer resource %s' % LB_ID)
DUPLICATE_LISTENER_PORT = (
    'Another Listener on this Load Balancer is already using protocol HTTP and '
    'protocol_port 80')
BAD_ALGORITHM = (
    "Invalid input for field/attribute lb_algorithm. Value: 'BOGUS'. Value should be one "
    "of: ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP_PORT, SOURCE_IP")
HAS_CHILDREN = ('Validation failure: Cannot delete Load Balancer %s - it has children'
                % LB_ID)
# Octavia's other permanent conflicts (octavia/common/exceptions.py).
DUPLICATE_MEMBER = ('Duplicate member 192.0.2.10:8080 on pool %s' % POOL_ID)
DUPLICATE_HEALTH_MONITOR = ('This pool already has a health monitor')
LB_INVALID_STATE_ERROR = 'Invalid state ERROR of loadbalancer resource %s' % LB_ID


class TestConflictClassification:

    @pytest.mark.parametrize('faultstring', [
        LB_IMMUTABLE, POOL_IMMUTABLE, LB_INVALID_STATE_PENDING,
        'Invalid state PENDING_UPDATE of loadbalancer resource %s' % LB_ID,
        'Invalid state PENDING_DELETE of loadbalancer resource %s' % LB_ID,
    ])
    def test_busy_object_is_transient(self, faultstring):
        assert lifecycle.conflict_is_transient(faultstring)

    @pytest.mark.parametrize('faultstring', [
        DUPLICATE_LISTENER_PORT, DUPLICATE_MEMBER, DUPLICATE_HEALTH_MONITOR,
        LB_INVALID_STATE_ERROR, '', None,
    ])
    def test_lasting_clash_is_permanent(self, faultstring):
        assert not lifecycle.conflict_is_transient(faultstring)

    def test_immutable_names_the_busy_object(self):
        assert lifecycle.immutable_object_named_in(LB_IMMUTABLE) == (
            lifecycle.ImmutableObject(kind='Load Balancer', id=LB_ID))
        assert lifecycle.immutable_object_named_in(POOL_IMMUTABLE) == (
            lifecycle.ImmutableObject(kind='Pool', id=POOL_ID))

    def test_other_conflicts_name_no_busy_object(self):
        assert lifecycle.immutable_object_named_in(DUPLICATE_LISTENER_PORT) is None
        assert lifecycle.immutable_object_named_in(LB_INVALID_STATE_PENDING) is None
        assert lifecycle.immutable_object_named_in(None) is None


class TestDecideOnApiError:

    @pytest.mark.parametrize('action', lifecycle.ACTIONS)
    def test_busy_conflict_is_retried(self, action):
        decision = lifecycle.decide_on_api_error(action, 409, LB_IMMUTABLE)
        assert decision.next is Next.RETRY

    @pytest.mark.parametrize('faultstring', [
        DUPLICATE_LISTENER_PORT, DUPLICATE_MEMBER, LB_INVALID_STATE_ERROR])
    def test_permanent_conflict_fails_with_the_api_message(self, faultstring):
        decision = lifecycle.decide_on_api_error(lifecycle.CREATE, 409, faultstring)
        assert decision == lifecycle.Decision(Next.FAIL, faultstring)

    def test_invalid_input_fails_with_the_api_message(self):
        decision = lifecycle.decide_on_api_error(lifecycle.CREATE, 400, BAD_ALGORITHM)
        assert decision.next is Next.FAIL
        assert 'BOGUS' in decision.reason

    def test_not_found_on_delete_means_done(self):
        decision = lifecycle.decide_on_api_error(lifecycle.DELETE, 404, 'Pool x not found.')
        assert decision.next is Next.DONE

    @pytest.mark.parametrize('action', [lifecycle.CREATE, lifecycle.UPDATE])
    def test_not_found_on_create_or_update_fails(self, action):
        decision = lifecycle.decide_on_api_error(action, 404, 'Pool x not found.')
        assert decision.next is Next.FAIL

    def test_delete_refused_for_children_fails(self):
        decision = lifecycle.decide_on_api_error(lifecycle.DELETE, 400, HAS_CHILDREN)
        assert decision == lifecycle.Decision(Next.FAIL, HAS_CHILDREN)

    def test_error_without_faultstring_names_the_status(self):
        decision = lifecycle.decide_on_api_error(lifecycle.CREATE, 500, None)
        assert decision == lifecycle.Decision(Next.FAIL, 'HTTP 500')


class TestDecideOnBusyObjectStatus:

    @pytest.mark.parametrize('status', ['PENDING_UPDATE', 'PENDING_CREATE', 'ACTIVE'])
    def test_busy_or_recovered_parent_is_retried(self, status):
        decision = lifecycle.decide_on_busy_object_status(
            'Load Balancer', LB_ID, status, LB_IMMUTABLE)
        assert decision.next is Next.RETRY

    def test_parent_in_error_fails_at_once(self):
        decision = lifecycle.decide_on_busy_object_status(
            'Load Balancer', LB_ID, 'ERROR', LB_IMMUTABLE)
        assert decision.next is Next.FAIL
        assert LB_IMMUTABLE in decision.reason
        assert 'Load Balancer %s is in provisioning_status ERROR' % LB_ID in decision.reason


class TestDecideOnProvisioningStatus:

    @pytest.mark.parametrize('action', [lifecycle.CREATE, lifecycle.UPDATE])
    def test_active_completes_create_and_update(self, action):
        assert lifecycle.decide_on_provisioning_status(
            action, 'ACTIVE', 'Pool p').next is Next.DONE

    @pytest.mark.parametrize('status', ['PENDING_CREATE', 'PENDING_UPDATE'])
    def test_pending_waits(self, status):
        assert lifecycle.decide_on_provisioning_status(
            lifecycle.CREATE, status, 'Pool p').next is Next.WAIT

    @pytest.mark.parametrize('action', lifecycle.ACTIONS)
    def test_error_fails_with_a_clear_message(self, action):
        decision = lifecycle.decide_on_provisioning_status(action, 'ERROR', 'Pool p')
        assert decision.next is Next.FAIL
        assert decision.reason == (
            'Octavia set Pool p to provisioning_status ERROR during %s' % action)

    def test_delete_waits_for_pending_delete_and_ends_at_deleted(self):
        assert lifecycle.decide_on_provisioning_status(
            lifecycle.DELETE, 'PENDING_DELETE', 'Pool p').next is Next.WAIT
        assert lifecycle.decide_on_provisioning_status(
            lifecycle.DELETE, 'ACTIVE', 'Pool p').next is Next.WAIT
        assert lifecycle.decide_on_provisioning_status(
            lifecycle.DELETE, 'DELETED', 'Pool p').next is Next.DONE

    def test_deleted_during_create_fails(self):
        assert lifecycle.decide_on_provisioning_status(
            lifecycle.CREATE, 'DELETED', 'Pool p').next is Next.FAIL


class TestDecideOnMissingObject:

    def test_gone_during_delete_is_done(self):
        assert lifecycle.decide_on_missing_object(
            lifecycle.DELETE, 'Pool p').next is Next.DONE

    @pytest.mark.parametrize('action', [lifecycle.CREATE, lifecycle.UPDATE])
    def test_gone_during_create_or_update_fails(self, action):
        decision = lifecycle.decide_on_missing_object(action, 'Pool p')
        assert decision.next is Next.FAIL
        assert 'Pool p' in decision.reason


class TestBackoff:

    policy = lifecycle.BackoffPolicy(first_delay=1.0, factor=2.0, max_delay=20.0, jitter=0.5)

    def test_nominal_delay_doubles(self):
        delays = [lifecycle.retry_delay(attempt, 1.0, self.policy) for attempt in range(5)]
        assert delays == pytest.approx([1.0, 2.0, 4.0, 8.0, 16.0], rel=1e-9, abs=1e-9)

    def test_delay_is_capped(self):
        assert lifecycle.retry_delay(10, 1.0, self.policy) == pytest.approx(20.0)
        assert lifecycle.retry_delay(1000, 0.999, self.policy) <= 20.0

    @pytest.mark.parametrize('attempt', range(8))
    def test_jitter_stays_within_bounds(self, attempt):
        nominal = min(20.0, 2.0 ** attempt)
        lowest = lifecycle.retry_delay(attempt, 0.0, self.policy)
        highest = lifecycle.retry_delay(attempt, 0.999999, self.policy)
        assert lowest == pytest.approx(nominal * 0.5)
        assert nominal * 0.5 <= highest < nominal

    def test_jitter_spreads_simultaneous_retries(self):
        delays = {lifecycle.retry_delay(3, fraction, self.policy)
                  for fraction in (0.0, 0.25, 0.5, 0.75)}
        assert len(delays) == 4

    def test_default_policy_suits_a_fast_controller(self):
        # A change takes well under a second: the first retry comes after 0.125-0.25 s,
        # and a long queue of siblings never waits more than 5 s between tries.
        assert lifecycle.retry_delay(0, 0.0) == pytest.approx(0.125)
        assert lifecycle.retry_delay(0, 0.999999) < 0.25
        assert lifecycle.retry_delay(50, 0.999999) <= 5.0

    def test_retry_is_due_only_after_the_deadline(self):
        assert not lifecycle.retry_is_due(not_before=10.0, now=9.99)
        assert lifecycle.retry_is_due(not_before=10.0, now=10.0)
        assert lifecycle.retry_is_due(not_before=0.0, now=5.0)


class TestDecideOnParentStatus:

    @pytest.mark.parametrize('status', ['ACTIVE', None])
    def test_active_or_unknown_parent_sends(self, status):
        assert lifecycle.decide_on_parent_status(
            lifecycle.CREATE, status, 'Load Balancer x').next is Next.SEND

    @pytest.mark.parametrize('status', ['PENDING_UPDATE', 'PENDING_CREATE'])
    def test_busy_parent_is_waited_for_with_backoff(self, status):
        assert lifecycle.decide_on_parent_status(
            lifecycle.CREATE, status, 'Load Balancer x').next is Next.RETRY

    @pytest.mark.parametrize('action', [lifecycle.CREATE, lifecycle.UPDATE])
    def test_parent_in_error_fails_at_once(self, action):
        decision = lifecycle.decide_on_parent_status(action, 'ERROR', 'Load Balancer x')
        assert decision.next is Next.FAIL
        assert 'Load Balancer x is in provisioning_status ERROR' in decision.reason

    def test_delete_under_a_parent_in_error_is_left_to_the_cascade_of_a_stack_delete(self):
        assert lifecycle.decide_on_parent_status(
            lifecycle.DELETE, 'ERROR', 'Load Balancer x',
            whole_stack_deleted=True).next is Next.DONE

    def test_removal_under_a_parent_in_error_repairs_the_parent_first(self):
        # A scale-in or a resource an update removes: the load balancer stays, so the
        # object must go from it (no orphan member left in the pool).
        decision = lifecycle.decide_on_parent_status(
            lifecycle.DELETE, 'ERROR', 'Load Balancer x', whole_stack_deleted=False)
        assert decision.next is Next.REPAIR_PARENT


class TestDecideOnParentRepair:

    def test_failover_is_sent_for_a_parent_in_error(self):
        assert lifecycle.decide_on_parent_repair('ERROR', False, 'lb').next is Next.SEND

    @pytest.mark.parametrize('status', ['ACTIVE', None, 'DELETED'])
    def test_done_once_the_parent_is_active_or_gone(self, status):
        assert lifecycle.decide_on_parent_repair(status, True, 'lb').next is Next.DONE

    def test_waits_while_the_failover_runs(self):
        assert lifecycle.decide_on_parent_repair(
            'PENDING_UPDATE', True, 'lb').next is Next.WAIT

    def test_a_failover_ending_in_error_fails(self):
        decision = lifecycle.decide_on_parent_repair('ERROR', True, 'Load Balancer x')
        assert decision.next is Next.FAIL
        assert 'failover of Load Balancer x' in decision.reason


class TestTurns:

    def test_free_turn_or_own_turn_or_expired_lease(self):
        assert lifecycle.turn_is_free(None, 0.0, 'a', now=5.0)
        assert lifecycle.turn_is_free('a', 10.0, 'a', now=5.0)
        assert lifecycle.turn_is_free('b', 10.0, 'a', now=10.0)

    def test_someone_elses_live_turn_is_not_free(self):
        assert not lifecycle.turn_is_free('b', 10.0, 'a', now=9.9)


class TestDecideHowToUpdate:
    Plan = lifecycle.UpdatePlan

    def test_updatable_change_is_done_in_place(self):
        assert lifecycle.decide_how_to_update(
            'ACTIVE', {'weight': 2}, ('address',)) is self.Plan.IN_PLACE

    def test_change_the_api_cannot_make_recreates(self):
        assert lifecycle.decide_how_to_update(
            'ACTIVE', {'protocol_port': 81, 'weight': 2},
            ('address', 'protocol_port')) is self.Plan.RECREATE

    @pytest.mark.parametrize('status', ['ERROR', None])
    def test_object_in_error_or_gone_is_recreated(self, status):
        assert lifecycle.decide_how_to_update(status, {}, ()) is self.Plan.RECREATE

    def test_load_balancer_in_error_is_failed_over(self):
        assert lifecycle.decide_how_to_update(
            'ERROR', {}, (), can_fail_over=True) is self.Plan.FAIL_OVER

    def test_nothing_changed_and_healthy_means_nothing(self):
        assert lifecycle.decide_how_to_update('ACTIVE', {}, ()) is self.Plan.NOTHING

    def test_unchanged_resource_is_updated_when_broken(self):
        assert lifecycle.unchanged_resource_needs_update(False, 'ERROR')
        assert lifecycle.unchanged_resource_needs_update(False, None)
        assert lifecycle.unchanged_resource_needs_update(True, 'ACTIVE')
        assert not lifecycle.unchanged_resource_needs_update(False, 'ACTIVE')
        assert not lifecycle.unchanged_resource_needs_update(False, 'PENDING_UPDATE')

    def test_failed_resource_is_replaced_by_heat_only_when_its_object_is_gone(self):
        assert lifecycle.replace_failed_resource_by_heat(object_exists=False)
        assert not lifecycle.replace_failed_resource_by_heat(object_exists=True)


class TestReadiness:

    @pytest.mark.parametrize('status', ['ONLINE', 'NO_MONITOR', 'DRAINING'])
    def test_settled_status_is_done(self, status):
        assert lifecycle.decide_on_operating_status(status, 0, 10, 'm').next is Next.DONE

    def test_offline_is_waited_for_unless_the_user_disabled_it(self):
        assert lifecycle.decide_on_operating_status('OFFLINE', 0, 10, 'm').next is Next.WAIT
        assert lifecycle.decide_on_operating_status(
            'OFFLINE', 0, 10, 'm', admin_state_up=False).next is Next.DONE

    def test_failing_checks_are_waited_for_until_the_timeout(self):
        assert lifecycle.decide_on_operating_status('ERROR', 9.9, 10, 'm').next is Next.WAIT
        decision = lifecycle.decide_on_operating_status(
            'ERROR', 10, 10, 'Member 1 (resource web)')
        assert decision.next is Next.FAIL
        assert 'Member 1 (resource web)' in decision.reason
        assert 'operating_status was still ERROR' in decision.reason

    def test_failure_names_the_status_seen_and_guesses_no_cause(self):
        decision = lifecycle.decide_on_operating_status('OFFLINE', 120, 120, 'Member 1')
        assert decision.reason == (
            'Member 1 was not ready within 120 s: its operating_status was still OFFLINE '
            '(ready means ONLINE, NO_MONITOR, DRAINING; with wait_for_online false the '
            'resource completes once provisioned)')

    def test_next_look_backs_off_and_never_passes_the_timeout(self):
        # first look after 0.25-0.5 s, doubling, at most every 2-4 s (jitter 0.5)
        assert lifecycle.next_readiness_check(100, 100, 0, 120, 0.0) == 100.25
        assert lifecycle.next_readiness_check(100, 100, 0, 120, 1.0) == 100.5
        assert lifecycle.next_readiness_check(100, 101, 1, 120, 0.0) == 101.5
        assert lifecycle.next_readiness_check(100, 150, 9, 120, 1.0) == 154
        # the last look is at the timeout, so the failure comes on time
        assert lifecycle.next_readiness_check(100, 219, 9, 120, 0.0) == 220


class TestDrain:

    def test_drain_when_serving_and_asked_for(self):
        assert lifecycle.drain_is_needed(1, 5, whole_stack_deleted=False)

    @pytest.mark.parametrize('weight, seconds, whole', [(0, 5, False), (1, 0, False),
                                                        (1, 5, True)])
    def test_no_drain(self, weight, seconds, whole):
        assert not lifecycle.drain_is_needed(weight, seconds, whole)

    def test_drain_lasts_the_drain_time(self):
        assert not lifecycle.drain_is_over(100.0, 104.9, 5)
        assert lifecycle.drain_is_over(100.0, 105.0, 5)



def _m(address, weight=1, member_id=None, **more):
    shown = {'address': address, 'protocol_port': 80, 'weight': weight, **more}
    if member_id:
        shown['id'] = member_id
    return shown


class TestPoolMemberChange:

    def test_leaving_members_are_drained_in_the_additive_batch_then_deleted_by_id(self):
        listed = [_m('a', member_id='ia'), _m('b', 3, 'ib', provisioning_status='ACTIVE'),
                  _m('c', member_id='ic')]
        desired = [{'address': 'a', 'protocol_port': 80},
                   {'address': 'd', 'protocol_port': 80}]
        plan = lifecycle.plan_pool_member_change(
            listed, [['a', 80], ['b', 80], ['c', 80]], desired, 5, False)
        assert plan.batch == desired + [_m('b', 0), _m('c', 0)]
        assert plan.drain_seconds == 5
        assert plan.leaving == [{'id': 'ib', 'key': ['b', 80]}, {'id': 'ic', 'key': ['c', 80]}]

    def test_members_the_resource_does_not_own_are_never_sent_nor_removed(self):
        # x was added by another client between the stack's changes.
        listed = [_m('a', member_id='ia'), _m('x', member_id='ix')]
        plan = lifecycle.plan_pool_member_change(listed, [['a', 80]], [], 5, False)
        assert plan.batch == [_m('a', 0)]
        assert plan.leaving == [{'id': 'ia', 'key': ['a', 80]}]

    @pytest.mark.parametrize('seconds, whole', [(0, False), (5, True)])
    def test_no_drain_without_drain_time_or_with_the_whole_stack(self, seconds, whole):
        listed = [_m('a', member_id='ia')]
        plan = lifecycle.plan_pool_member_change(listed, [['a', 80]], [], seconds, whole)
        assert plan.batch is None and plan.drain_seconds == 0
        assert plan.leaving == [{'id': 'ia', 'key': ['a', 80]}]

    def test_members_already_at_weight_0_need_no_drain(self):
        plan = lifecycle.plan_pool_member_change(
            [_m('a', 0, 'ia')], [['a', 80]], [], 5, False)
        assert plan.batch is None and plan.leaving == [{'id': 'ia', 'key': ['a', 80]}]

    def test_unset_fields_of_leaving_members_are_left_out(self):
        listed = [_m('a', member_id='ia', subnet_id=None, monitor_port=None, tags=[])]
        plan = lifecycle.plan_pool_member_change(listed, [['a', 80]], [], 5, False)
        assert plan.batch == [{'address': 'a', 'protocol_port': 80, 'weight': 0,
                               'tags': []}]

    def test_a_listed_address_port_someone_else_created_is_a_duplicate(self):
        listed = [_m('a'), _m('x')]
        sent = [{'address': 'a', 'protocol_port': 80}, {'address': 'x', 'protocol_port': 80}]
        assert lifecycle.foreign_member_clash(listed, [['a', 80]], sent) == (
            'Another member on this pool is already using ip x on protocol_port 80')
        assert lifecycle.foreign_member_clash(listed, [['a', 80], ['x', 80]], sent) is None
        assert lifecycle.foreign_member_clash([], [], sent) is None


class TestLiveState:

    def test_values_of_properties_the_template_sets_are_compared(self):
        assert lifecycle.live_values_to_compare(
            {'connection_limit': 100, 'admin_state_up': True},
            {'connection_limit': 7, 'admin_state_up': True}) == {
            'connection_limit': 7, 'admin_state_up': True}

    def test_values_the_template_leaves_to_the_api_are_not_drift(self):
        assert lifecycle.live_values_to_compare(
            {'default_pool': None, 'name': None, 'insert_headers': None},
            {'default_pool': 'p', 'name': 'heat-made-up', 'insert_headers': {}}) == {}

    def test_a_value_set_to_false_or_zero_is_still_compared(self):
        assert lifecycle.live_values_to_compare(
            {'admin_state_up': False, 'weight': 0},
            {'admin_state_up': True, 'weight': 3}) == {'admin_state_up': True, 'weight': 3}


class TestLostCreate:

    UUID = '9b7c1f8e-0000-4000-8000-000000000001'

    def test_owner_tag_is_added_once_and_hidden_again(self):
        tags = lifecycle.with_owner_tag(['web'], self.UUID)
        assert tags == ['web', 'heat-lbaas-owner:' + self.UUID]
        assert lifecycle.with_owner_tag(tags, self.UUID) == tags
        assert lifecycle.without_owner_tags(tags) == ['web']
        assert lifecycle.with_owner_tag(None, self.UUID) == ['heat-lbaas-owner:' + self.UUID]

    @pytest.mark.parametrize('transport_failed, error, lost', [
        (True, None, True),                 # connection cut, timeout
        (False, (502, 'Bad Gateway'), True),
        (False, (504, 'Gateway Timeout'), True),
        (False, (409, 'Duplicate'), False),  # an answer: nothing was created
        (False, (400, 'Invalid input'), False)])
    def test_which_failures_may_have_created_the_object(self, transport_failed, error, lost):
        assert lifecycle.create_answer_may_be_lost(transport_failed, error) is lost

    def test_lost_create_is_retried_a_few_times_then_fails(self):
        assert lifecycle.decide_on_lost_create(0, 'Pool x').next is Next.RETRY
        last = lifecycle.decide_on_lost_create(lifecycle.LOST_CREATE_ATTEMPTS - 1, 'Pool x')
        assert last.next is Next.FAIL and 'Pool x' in last.reason

    def test_the_lost_object_is_the_oldest_with_the_owner_tag_not_being_deleted(self):
        tag = 'heat-lbaas-owner:' + self.UUID
        listed = [{'id': 'other', 'tags': ['heat-lbaas-owner:someone-else'],
                   'created_at': '2026-01-01T00:00:00'},
                  {'id': 'gone', 'tags': [tag], 'provisioning_status': 'PENDING_DELETE',
                   'created_at': '2026-01-01T00:00:00'},
                  {'id': 'newer', 'tags': [tag], 'created_at': '2026-01-01T00:00:02'},
                  {'id': 'mine', 'tags': ['x', tag], 'created_at': '2026-01-01T00:00:01'}]
        assert lifecycle.lost_object(listed, self.UUID)['id'] == 'mine'
        assert lifecycle.lost_object(listed[:2], self.UUID) is None

    def test_batch_members_created_by_a_lost_batch_are_found_by_their_owner_tag(self):
        bodies = [('t1', {'address': 'a', 'tags': ['web', 'heat-lbaas-owner:u1']}),
                  ('t2', {'address': 'b', 'tags': ['heat-lbaas-owner:u2']})]
        listed = [{'id': 'm1', 'address': 'a', 'tags': ['web', 'heat-lbaas-owner:u1']},
                  {'id': 'x', 'address': 'b', 'tags': []}]    # b: someone else's
        assert lifecycle.members_created_already(bodies, listed) == {'t1': 'm1'}
