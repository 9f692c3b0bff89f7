"""The operating statuses the noop amphora driver writes after a change, by
Octavia's rules for its no-op drivers (health/noop_statuses.py)."""
from heat_lbaas.controller import model
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import noop_statuses


def row(object_id, status='ACTIVE', enabled=True, **fields):
    return dict(id=object_id, provisioning_status=status, admin_state_up=enabled,
                operating_status='OFFLINE', **fields)


def tree(members=(), healthmonitors=(), l7policies=(), l7rules=(),
         lb_status='PENDING_UPDATE'):
    return tree_module.LoadBalancerTree(
        loadbalancer=row('lb', lb_status), listeners=[row('listener', lb_status)],
        pools=[row('pool', lb_status)], members=list(members),
        healthmonitors=list(healthmonitors), l7policies=list(l7policies),
        rules=list(l7rules))


def test_a_new_member_is_no_monitor_or_offline_under_a_health_monitor():
    alone = noop_statuses.compute(tree(members=[row('m', 'PENDING_CREATE',
                                                    pool_id='pool')]))
    assert alone == {(model.MEMBER, 'm'): 'NO_MONITOR'}
    monitored = noop_statuses.compute(tree(
        members=[row('m', 'PENDING_CREATE', pool_id='pool')],
        healthmonitors=[row('hm', pool_id='pool')]))
    assert monitored[model.MEMBER, 'm'] == 'OFFLINE'


def test_an_updated_member_keeps_its_status():
    assert noop_statuses.compute(tree(
        members=[row('m', 'PENDING_UPDATE', pool_id='pool')])) == {}


def test_enabled_monitors_and_l7_objects_go_online_disabled_ones_offline():
    statuses = noop_statuses.compute(tree(
        healthmonitors=[row('hm', 'PENDING_UPDATE', enabled=False, pool_id='pool')],
        l7policies=[row('policy', 'PENDING_CREATE')],
        l7rules=[row('rule', 'PENDING_UPDATE', enabled=False)]))
    assert statuses == {(model.HEALTH_MONITOR, 'hm'): 'OFFLINE',
                        (model.L7POLICY, 'policy'): 'ONLINE',
                        (model.L7RULE, 'rule'): 'OFFLINE'}


def test_deleting_the_health_monitor_makes_the_members_no_monitor():
    statuses = noop_statuses.compute(tree(
        members=[row('m1', pool_id='pool'), row('m2', 'PENDING_CREATE', pool_id='pool')],
        healthmonitors=[row('hm', 'PENDING_DELETE', pool_id='pool')]))
    assert statuses == {(model.MEMBER, 'm1'): 'NO_MONITOR',
                        (model.MEMBER, 'm2'): 'NO_MONITOR'}


def test_load_balancers_listeners_and_pools_are_left_offline():
    assert noop_statuses.compute(tree(lb_status='PENDING_CREATE')) == {}
