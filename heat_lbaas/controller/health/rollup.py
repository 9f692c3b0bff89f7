"""Operating status by Octavia's rules, from admin state and HAProxy's checks.

Members: OFFLINE when admin down, NO_MONITOR without a health monitor, otherwise
what HAProxy's checks say (UP -> ONLINE, DOWN -> ERROR, DRAIN or weight 0 ->
DRAINING, MAINT -> OFFLINE). Pools: ERROR when every member failed, DEGRADED when
some did. Load balancer: DEGRADED when a pool is not healthy.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller.db import tree as tree_module

CHECK_TO_STATUS = {'UP': 'ONLINE', 'DOWN': 'ERROR', 'DRAIN': 'DRAINING',
                   'MAINT': 'OFFLINE', 'NOLB': 'DRAINING'}


def member_status(member, has_monitor, check_status=None):
    if not member['admin_state_up']:
        return 'OFFLINE'
    if not has_monitor:
        return 'NO_MONITOR'
    # "UP 1/3" while going down, "DOWN 1/2" while coming up: the first word counts.
    word = (check_status or '').split(' ')[0]
    status = CHECK_TO_STATUS.get(word)
    if status is None:
        # Not checked yet: keep what the last check said.
        return member['operating_status'] if member['operating_status'] in (
            'ONLINE', 'ERROR', 'DRAINING') else 'OFFLINE'
    if status == 'ONLINE' and member['weight'] == 0:
        return 'DRAINING'
    return status


def pool_status(pool, member_statuses):
    if not pool['admin_state_up']:
        return 'OFFLINE'
    checked = [s for s in member_statuses if s not in ('OFFLINE', 'NO_MONITOR')]
    failed = [s for s in checked if s == 'ERROR']
    if checked and len(failed) == len(checked):
        return 'ERROR'
    if failed:
        return 'DEGRADED'
    return 'ONLINE'


def listener_status(listener, default_pool_status):
    if not listener['admin_state_up']:
        return 'OFFLINE'
    if default_pool_status in ('ERROR', 'DEGRADED'):
        return 'DEGRADED'
    return 'ONLINE'


def loadbalancer_status(lb, child_statuses):
    if not lb['admin_state_up']:
        return 'OFFLINE'
    if any(s in ('ERROR', 'DEGRADED') for s in child_statuses):
        return 'DEGRADED'
    return 'ONLINE'


def compute(tree, member_checks):
    """{(object type, id): operating_status} for the whole tree.

    member_checks maps a member id to HAProxy's check status ('UP', 'DOWN 1/3', ...).
    """
    result = {}
    pool_statuses = {}
    for pool in tree.pools:
        has_monitor = tree.healthmonitor_of(pool['id']) is not None
        statuses = []
        for member in tree.members_of(pool['id']):
            status = member_status(member, has_monitor, member_checks.get(member['id']))
            result[(model.MEMBER, member['id'])] = status
            statuses.append(status)
        pool_statuses[pool['id']] = pool_status(pool, statuses)
        result[(model.POOL, pool['id'])] = pool_statuses[pool['id']]
        hm = tree.healthmonitor_of(pool['id'])
        if hm:
            result[(model.HEALTH_MONITOR, hm['id'])] = (
                'ONLINE' if hm['admin_state_up'] else 'OFFLINE')
    listener_statuses = []
    for listener in tree.listeners:
        status = listener_status(listener, pool_statuses.get(listener['default_pool_id']))
        result[(model.LISTENER, listener['id'])] = status
        listener_statuses.append(status)
    # L7 policies and rules have no health of their own: Octavia shows them ONLINE
    # once applied, OFFLINE while disabled.
    for object_type in (model.L7POLICY, model.L7RULE):
        for row in tree.rows(object_type):
            result[(object_type, row['id'])] = (
                'ONLINE' if row['admin_state_up'] else 'OFFLINE')
    result[(model.LOADBALANCER, tree.loadbalancer['id'])] = loadbalancer_status(
        tree.loadbalancer, listener_statuses + list(pool_statuses.values()))
    return result


def store_statuses(store, tree, statuses):
    """Write the statuses that changed; returns how many did."""
    changed = 0
    with store.transaction():
        for object_type, row in tree.objects():
            status = statuses.get((object_type, row['id']))
            if status and status != row['operating_status'] and (
                    row['provisioning_status'] != 'PENDING_DELETE'):
                store.update(object_type, row['id'], {'operating_status': status})
                changed += 1
    return changed


def refresh_from_configuration(store, lb_id, member_checks=None):
    tree = tree_module.load_tree(store, lb_id)
    if tree is not None:
        store_statuses(store, tree, compute(tree, member_checks or {}))


def refresh_after_change(store, changed_tree):
    """What the worker calls once a change is applied (the amphora driver's
    counterpart of health/noop_statuses.store_after_change)."""
    refresh_from_configuration(store, changed_tree.loadbalancer['id'])
