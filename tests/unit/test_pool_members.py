"""LBaaS::PoolMembers: bodies of the batch request and when a change is complete."""
from unittest import mock

from heat_lbaas.resources import lifecycle
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
    pool_members.replace_pool_members(client, 'p1', [{'address': 'a', 'protocol_port': 1}])
    client.create.assert_called_once_with(
        '/lbaas/pools/p1/members', method='PUT', headers={'Accept': 'application/json'},
        json={'members': [{'address': 'a', 'protocol_port': 1}]})
