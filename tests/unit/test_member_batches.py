"""Coalescing LBaaS::Member creates and deletes: who joins a batch (lifecycle), the
registry's claims (member_batches), and the member resource carrying them out."""
import threading
from unittest import mock

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import member
from heat_lbaas.resources import member_batches
from heat_lbaas.resources.lifecycle import Next

from tests.support.resource_doubles import api_error
from tests.support.resource_doubles import bare_resource

DUPLICATE = 'Another member on this pool is already using ip 10.0.0.1 on protocol_port 80'


def entry(action='create', key=('10.0.0.1', 80), state=lifecycle.BATCH_WAITING,
          solo=False, enrolled=0.0, seen=100.0):
    return dict(action=action, key=key, state=state, solo=solo, enrolled=enrolled,
                seen=seen)


class TestMembersJoiningBatch:

    def test_own_first_then_waiting_siblings_in_enrol_order(self):
        entries = {'me': entry(key=('a', 1), enrolled=5), 'x': entry(key=('b', 1), enrolled=2),
                   'y': entry(key=('c', 1), enrolled=1)}
        assert lifecycle.members_joining_batch('me', 'create', entries, 100, 10) == [
            'me', 'y', 'x']

    def test_other_action_claimed_solo_and_stale_ones_stay_out(self):
        entries = {'me': entry(key=('a', 1)),
                   'delete': entry(action='delete', key=('b', 1)),
                   'claimed': entry(key=('c', 1), state=lifecycle.BATCH_CLAIMED),
                   'sent': entry(key=('d', 1), state=lifecycle.BATCH_SENT),
                   'solo': entry(key=('e', 1), solo=True),
                   'stale': entry(key=('f', 1), seen=80.0),
                   'ok': entry(key=('g', 1), seen=95.0)}
        assert lifecycle.members_joining_batch('me', 'create', entries, 100, 10) == [
            'me', 'ok']

    def test_second_create_of_one_address_port_waits_for_a_later_turn(self):
        entries = {'me': entry(key=('a', 1)), 'same': entry(key=('a', 1), enrolled=1),
                   'other': entry(key=('b', 1), enrolled=2)}
        assert lifecycle.members_joining_batch('me', 'create', entries, 100, 10) == [
            'me', 'other']

    def test_deletes_join_whatever_their_keys(self):
        entries = {'me': entry('delete', key=(None, None)),
                   'x': entry('delete', key=(None, None), enrolled=1)}
        assert lifecycle.members_joining_batch('me', 'delete', entries, 100, 10) == [
            'me', 'x']

    def test_a_solo_member_sends_alone_and_an_unknown_one_nothing(self):
        entries = {'me': entry(solo=True), 'x': entry(key=('b', 1))}
        assert lifecycle.members_joining_batch('me', 'create', entries, 100, 10) == ['me']
        assert lifecycle.members_joining_batch('nobody', 'create', entries, 100, 10) == []


def test_existing_address_port_is_sent_alone_to_get_the_duplicate_answer():
    send, alone = lifecycle.split_create_batch(
        [('a', ('10.0.0.1', 80)), ('b', ('10.0.0.2', 80)), ('c', ('10.0.0.1', 81))],
        [('10.0.0.1', 80)])
    assert send == ['b', 'c'] and alone == ['a']


def test_batch_only_from_two_members():
    assert not lifecycle.batch_is_worth_it(['a'])
    assert lifecycle.batch_is_worth_it(['a', 'b'])


def test_batch_entry_decision():
    assert lifecycle.decide_on_batch_entry(lifecycle.BATCH_WAITING).next is Next.SEND
    assert lifecycle.decide_on_batch_entry(lifecycle.BATCH_CLAIMED).next is Next.WAIT
    assert lifecycle.decide_on_batch_entry(lifecycle.BATCH_SENT).next is Next.DONE


def test_registry_claims_each_member_once_across_threads():
    pool = 'pool-threads'
    for i in range(200):
        member_batches.enroll(pool, 't%d' % i, 'create', ('10.0.0.%d' % i, 80), {}, None,
                              100.0)
    claimed, barrier = [], threading.Barrier(8)

    def claimer(i):
        barrier.wait()
        batch = member_batches.claim(pool, 't%d' % i, 'create', 100.0)
        claimed.extend(token for token, _ in batch)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted('t%d' % i for i in range(200))   # none twice
    for i in range(200):
        member_batches.withdraw(pool, 't%d' % i)
    assert pool not in member_batches._pools


def _member(resource_id=None, address='10.0.0.1'):
    resource = bare_resource(member.Member, resource_id)
    resource.properties = {'pool': 'p1', 'address': address, 'protocol_port': 80,
                           'drain_seconds': 0, 'weight': 1}
    resource._parent_load_balancer_id = lambda: None
    return resource


def _create(address):
    from heat_lbaas.resources import octavia_object
    return octavia_object.Operation.start(
        lifecycle.CREATE, {'address': address, 'protocol_port': 80})


def test_waiting_creates_go_in_one_additive_batch_and_find_their_ids(clock):
    first, second = _member(), _member(address='10.0.0.2')
    op1, op2 = _create('10.0.0.1'), _create('10.0.0.2')
    client = mock.Mock()
    first.octavia = second.octavia = client
    client.member_list.side_effect = [
        {'members': []},
        {'members': [{'id': 'm1', 'address': '10.0.0.1', 'protocol_port': 80},
                     {'id': 'm2', 'address': '10.0.0.2', 'protocol_port': 80}]}]
    client.member_show.return_value = {'provisioning_status': 'ACTIVE'}
    member_batches.enroll('p1', op2['token'], 'create', ('10.0.0.2', 80), op2['body'],
                          None, clock[0])
    assert first.check_create_complete(op1) is True
    client.create.assert_called_once()
    assert client.create.call_args.args[0].endswith('/members?additive_only=true')
    assert client.create.call_args.kwargs['json'] == {'members': [op1['body'], op2['body']]}
    client.member_create.assert_not_called()
    assert first.resource_id == 'm1'
    assert second.check_create_complete(op2) is True
    assert second.resource_id == 'm2'
    assert client.create.call_count == 1
    assert 'p1' not in member_batches._pools


def test_duplicate_in_a_batch_is_sent_alone_and_fails_with_octavias_message(clock):
    import pytest
    from heat_lbaas.resources import octavia_object
    first, dup = _member(), _member(address='10.0.0.9')
    op1, op_dup = _create('10.0.0.1'), _create('10.0.0.9')
    client = mock.Mock()
    first.octavia = dup.octavia = client
    client.member_list.return_value = {'members': [
        {'id': 'foreign', 'address': '10.0.0.9', 'protocol_port': 80}]}
    client.member_create.side_effect = [{'member': {'id': 'm1'}}, api_error(409, DUPLICATE)]
    client.member_show.return_value = {'provisioning_status': 'ACTIVE'}
    member_batches.enroll('p1', op_dup['token'], 'create', ('10.0.0.9', 80),
                          op_dup['body'], None, clock[0])
    assert first.check_create_complete(op1) is True      # alone: the other is a duplicate
    client.create.assert_not_called()
    with pytest.raises(octavia_object.OctaviaRequestFailed) as failure:
        dup.check_create_complete(op_dup)
    assert DUPLICATE in str(failure.value)
    assert dup.resource_id is None                       # the foreign member not adopted
    assert 'p1' not in member_batches._pools


def test_deletes_are_never_batched_each_member_is_deleted_by_id(clock):
    # A batch that removes members must list every member to keep, as read before the
    # request: one that another client added in between would be removed with it.
    from heat_lbaas.resources import octavia_object
    from osc_lib import exceptions as osc_exceptions
    first, second = _member('m1'), _member('m2', address='10.0.0.2')
    first.properties['drain_seconds'] = second.properties['drain_seconds'] = 0
    first._whole_stack_is_deleted = second._whole_stack_is_deleted = lambda: False
    op1 = octavia_object.Operation.start(lifecycle.DELETE)
    op2 = octavia_object.Operation.start(lifecycle.DELETE)
    client = mock.Mock()
    first.octavia = second.octavia = client
    client.member_show.side_effect = osc_exceptions.NotFound(404)
    assert first.check_delete_complete(op1) is True
    assert second.check_delete_complete(op2) is True
    assert client.member_delete.call_args_list == [mock.call('p1', 'm1'),
                                                   mock.call('p1', 'm2')]
    client.create.assert_not_called()
    client.member_list.assert_not_called()
