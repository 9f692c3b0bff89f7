"""Which UDP members the controller checks, and how their verdicts go (rise and
fall, as HAProxy's and keepalived's checks count them)."""
import uuid

from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import udp_checks

LB, LISTENER, POOL, MONITOR = (str(uuid.UUID(int=n)) for n in (1, 2, 3, 4))


def member(n, **fields):
    return dict({'id': str(uuid.UUID(int=100 + n)), 'pool_id': POOL,
                 'address': '198.18.7.1', 'protocol_port': 5000 + n, 'weight': 1,
                 'admin_state_up': True, 'provisioning_status': 'ACTIVE',
                 'monitor_address': None, 'monitor_port': None,
                 'operating_status': 'ONLINE'}, **fields)


def tree(members, monitor=None):
    monitors = [dict({'id': MONITOR, 'pool_id': POOL, 'type': 'UDP-CONNECT', 'delay': 3,
                      'timeout': 2, 'max_retries': 2, 'max_retries_down': 3,
                      'url_path': None, 'expected_codes': None, 'admin_state_up': True,
                      'provisioning_status': 'ACTIVE'}, **monitor)] \
        if monitor is not None else []
    return tree_module.LoadBalancerTree(
        loadbalancer={'id': LB, 'vip_address': '198.18.7.5', 'admin_state_up': True,
                      'provisioning_status': 'ACTIVE'},
        listeners=[{'id': LISTENER, 'protocol': 'UDP', 'protocol_port': 53,
                    'default_pool_id': POOL, 'admin_state_up': True,
                    'provisioning_status': 'ACTIVE'}],
        pools=[{'id': POOL, 'protocol': 'UDP', 'admin_state_up': True,
                'provisioning_status': 'ACTIVE'}],
        members=members, healthmonitors=monitors)


def test_members_of_monitored_udp_pools_are_checked_where_the_monitor_says():
    members = [member(1), member(2, monitor_address='198.18.7.9', monitor_port=7),
               member(3, admin_state_up=False)]
    checks = udp_checks.checks_of(tree(members, {}))
    assert sorted(checks) == [members[0]['id'], members[1]['id']]
    assert (checks[members[1]['id']].address, checks[members[1]['id']].port) == (
        '198.18.7.9', 7)
    assert checks[members[0]['id']] == udp_checks.Check(
        'UDP-CONNECT', '198.18.7.1', 5001, timeout=2, delay=3, rise=2, fall=3)
    assert udp_checks.checks_of(tree(members)) == {}
    assert udp_checks.checks_of(tree(members, {'admin_state_up': False})) == {}
    http = udp_checks.checks_of(tree(members, {'type': 'HTTP', 'url_path': '/h',
                                               'expected_codes': '200-202'}))
    assert http[members[0]['id']].expected_codes == (200, 201, 202)


def test_a_member_leaves_after_fall_failures_and_returns_after_rise_passes():
    check = udp_checks.Check('UDP-CONNECT', '198.18.7.1', 5001, 1, 1, rise=2, fall=3)
    state = udp_checks._State(check, up=True)
    for passed, up in [(False, True), (False, True), (True, True), (False, True),
                       (False, True), (False, False), (True, False), (True, True)]:
        state.record(passed)
        assert state.up is up
