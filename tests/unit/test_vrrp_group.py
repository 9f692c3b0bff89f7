"""Roles and router ids of ACTIVE_STANDBY pairs (amphora/vrrp_group.py)."""
import pytest

from heat_lbaas.controller.amphora import vrrp_group


def test_a_new_group_takes_the_lowest_free_router_id():
    assert vrrp_group.new_group(set(), 'a', 'b')['vrrp_id'] == 1
    assert vrrp_group.new_group({1, 2, 4}, 'a', 'b')['vrrp_id'] == 3
    with pytest.raises(vrrp_group.NoRouterIdLeft):
        vrrp_group.free_vrrp_id(set(range(1, 256)))


def test_a_new_group_has_one_master_one_backup_and_a_password_keepalived_reads():
    group = vrrp_group.new_group(set(), 'a', 'b')
    assert vrrp_group.role_of(group, 'a') == 'MASTER'
    assert vrrp_group.role_of(group, 'b') == 'BACKUP'
    assert group['auth_pass'].isalnum() and len(group['auth_pass']) == 8
    assert group['auth_pass'] != vrrp_group.new_group(set(), 'a', 'b')['auth_pass']


@pytest.mark.parametrize('failed, survivor', [('a', 'b'), ('b', 'a')])
def test_after_a_failover_the_survivor_is_master_and_the_new_amphora_backup(
        failed, survivor):
    group = vrrp_group.new_group({7}, 'a', 'b')
    after = vrrp_group.after_failover(group, failed, 'c')
    assert vrrp_group.role_of(after, survivor) == 'MASTER'
    assert vrrp_group.role_of(after, 'c') == 'BACKUP'
    assert [a['id'] for a in after['amphorae']] == [survivor, 'c']
    assert (after['vrrp_id'], after['auth_pass']) == (group['vrrp_id'], group['auth_pass'])
    assert group['amphorae'][0] == {'id': 'a', 'role': 'MASTER'}     # not changed


def test_an_amphora_of_another_group_is_refused():
    group = vrrp_group.new_group(set(), 'a', 'b')
    with pytest.raises(KeyError):
        vrrp_group.after_failover(group, 'z', 'c')
