"""LBaaS::PoolMembers: bodies of the batch request and when a change is complete."""
from unittest import mock

import pytest

from heat_lbaas.resources import api_errors
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import member
from heat_lbaas.resources import operations
from heat_lbaas.resources import pool_members
from heat_lbaas.resources.lifecycle import Next


def test_member_bodies_drop_unset_keys_and_rename_subnet():
    assert pool_members.member_bodies([
        {'address': '10.0.0.1', 'protocol_port': 80, 'weight': 1, 'name': None,
         'subnet': 'sub', 'monitor_port': None}]) == [
        {'address': '10.0.0.1', 'protocol_port': 80, 'weight': 1, 'subnet_id': 'sub'}]


def test_a_batch_change_is_done_when_the_pool_is_active_again_even_at_delete():
    for action in lifecycle.ACTIONS:
        assert pool_members.decide_on_pool_status(action, 'ACTIVE', 'm').next is Next.DONE
        assert pool_members.decide_on_pool_status(
            action, 'PENDING_UPDATE', 'm').next is Next.WAIT
        assert pool_members.decide_on_pool_status(action, 'ERROR', 'm').next is Next.FAIL


def test_the_batch_request_is_one_put_of_the_whole_list():
    client = mock.Mock(JSON_HEADER={'Accept': 'application/json'})
    member.replace_pool_members(client, 'p1', [{'address': 'a', 'protocol_port': 1}])
    client.create.assert_called_once_with(
        '/lbaas/pools/p1/members', method='PUT', headers={'Accept': 'application/json'},
        json={'members': [{'address': 'a', 'protocol_port': 1}]})


def test_live_members_take_the_shape_of_the_template_entries():
    template = [{'address': 'a', 'protocol_port': 80, 'weight': 1, 'name': None,
                 'subnet': 's'},
                {'address': 'b', 'protocol_port': 80, 'weight': 2, 'name': 'web-b',
                 'subnet': None}]
    listed = [{'id': 'x', 'address': 'b', 'protocol_port': 80, 'weight': 2,
               'name': 'web-b', 'subnet_id': None, 'operating_status': 'ONLINE'},
              {'id': 'y', 'address': 'a', 'protocol_port': 80, 'weight': 1,
               'name': 'made-up', 'subnet_id': 's'}]
    assert pool_members.live_members_as_in_template(template, listed) == template


def test_live_members_show_drift_and_missing_members_not_members_of_others():
    template = [{'address': 'a', 'protocol_port': 80, 'weight': 1},
                {'address': 'b', 'protocol_port': 80, 'weight': 1}]
    listed = [{'address': 'a', 'protocol_port': 80, 'weight': 7},
              {'address': 'c', 'protocol_port': 80, 'weight': 1}]   # c: another client's
    assert pool_members.live_members_as_in_template(template, listed) == [
        {'address': 'a', 'protocol_port': 80, 'weight': 7}]


def _members_resource(listed, drain_seconds=4, whole_stack_deleted=False):
    resource = object.__new__(pool_members.PoolMembers)
    resource.name = 'members'
    resource.resource_id = 'p1'
    resource.context = None
    resource.octavia = mock.Mock()
    resource.octavia.pool_show.return_value = {'provisioning_status': 'ACTIVE'}
    resource.octavia.member_list.return_value = {'members': listed}
    resource.client = lambda: resource.octavia
    resource.properties = {'pool': 'p1', 'members': [], 'drain_seconds': drain_seconds}
    resource._whole_stack_is_deleted = lambda: whole_stack_deleted
    data = {}
    resource.data = lambda: dict(data)
    resource.data_set = data.__setitem__
    return resource


# a and b are the resource's own members; z was added by another client.
LISTED = [{'id': 'x', 'address': 'a', 'protocol_port': 80, 'weight': 1},
          {'id': 'y', 'address': 'b', 'protocol_port': 80, 'weight': 1},
          {'id': 'z', 'address': 'z', 'protocol_port': 80, 'weight': 1}]
OWNED = [{'address': 'a', 'protocol_port': 80}, {'address': 'b', 'protocol_port': 80}]


def _owning(resource):
    resource.properties['members'] = OWNED
    resource._load_balancer_is_deleted_with_stack = lambda: False
    return resource


def _update(resource, new_members, drain_seconds=4):
    snippet = mock.Mock()
    snippet.properties.return_value = {'pool': 'p1', 'members': new_members,
                                       'drain_seconds': drain_seconds}
    return resource.handle_update(snippet, {}, {'members': new_members})


def test_removing_members_is_additive_drain_batch_wait_then_delete_by_id():
    operation = _update(_owning(_members_resource(LISTED)),
                        [{'address': 'a', 'protocol_port': 80}])
    assert (operation['action'], operation['body']) == (lifecycle.UPDATE, {
        'members': [{'address': 'a', 'protocol_port': 80},
                    {'address': 'b', 'protocol_port': 80, 'weight': 0}],
        'owned': [['a', 80], ['b', 80]]})
    assert operation['then'] == [[operations.DRAIN_WAIT, 4],
                                 [lifecycle.DELETE, {'id': 'y', 'key': ['b', 80]}]]


@pytest.mark.parametrize('new_members, drain_seconds, deleted', [
    ([{'address': 'a', 'protocol_port': 80}, {'address': 'b', 'protocol_port': 80},
      {'address': 'c', 'protocol_port': 80}], 4, []),    # only added: nothing leaves
    ([{'address': 'a', 'protocol_port': 80}], 0, ['y'])])  # no drain asked for
def test_other_changes_are_one_additive_batch_and_deletes(new_members, drain_seconds,
                                                          deleted):
    operation = _update(_owning(_members_resource(LISTED, drain_seconds)), new_members,
                        drain_seconds)
    assert (operation['action'], operation['body']['members'], operation['then']) == (
        lifecycle.UPDATE, new_members,
        [[lifecycle.DELETE, {'id': d, 'key': ['b', 80]}] for d in deleted])


def test_deleting_the_resource_drains_and_deletes_only_its_own_members():
    resource = _owning(_members_resource(LISTED))
    operation = resource.handle_delete()
    assert (operation['action'], operation['body']['members']) == (lifecycle.UPDATE, [
        {'address': 'a', 'protocol_port': 80, 'weight': 0},
        {'address': 'b', 'protocol_port': 80, 'weight': 0}])
    assert operation['then'] == [[operations.DRAIN_WAIT, 4],
                                 [lifecycle.DELETE, {'id': 'x', 'key': ['a', 80]}],
                                 [lifecycle.DELETE, {'id': 'y', 'key': ['b', 80]}]]

    operation = _owning(_members_resource(LISTED, whole_stack_deleted=True)).handle_delete()
    assert (operation['action'], operation['body'], operation['then']) == (
        lifecycle.DELETE, {'id': 'x', 'key': ['a', 80]},
        [[lifecycle.DELETE, {'id': 'y', 'key': ['b', 80]}]])

    resource = _owning(_members_resource(LISTED, whole_stack_deleted=True))
    resource._load_balancer_is_deleted_with_stack = lambda: True
    assert resource.handle_delete() is None     # the load balancer's cascade removes them


def test_a_foreign_address_port_fails_as_a_duplicate_and_is_not_adopted():
    resource = _owning(_members_resource(LISTED))
    operation = _update(resource, OWNED + [{'address': 'z', 'protocol_port': 80}])
    resource._parent_load_balancer_id = lambda: None
    with pytest.raises(api_errors.OctaviaRequestFailed) as failure:
        resource.check_update_complete(operation)
    assert ('Another member on this pool is already using ip z on protocol_port 80'
            in str(failure.value))
    resource.octavia.create.assert_not_called()


def test_members_sent_by_a_change_whose_answer_was_lost_count_as_its_own():
    # The additive batch of a failed update created c; Heat still holds the list a, b.
    resource = _owning(_members_resource(LISTED + [
        {'id': 'w', 'address': 'c', 'protocol_port': 80, 'weight': 1}]))
    resource.data_set(pool_members.PoolMembers.SENT_KEYS, '[["c", 80]]')
    operation = _update(resource, OWNED + [{'address': 'c', 'protocol_port': 80}], 0)
    resource._parent_load_balancer_id = lambda: None
    assert resource.check_update_complete(operation) is True     # not a duplicate
    resource.octavia.create.assert_called_once()
