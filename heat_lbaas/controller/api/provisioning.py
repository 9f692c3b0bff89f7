"""Octavia's PENDING_* rules: which changes are accepted, and what they lock.

Only ACTIVE parents are mutable (the object changed may also be in ERROR). A change to a
child puts the load balancer (and
the listeners and pool above the child) into PENDING_UPDATE until the worker has
applied it; meanwhile other changes get 409, exactly as Octavia answers.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import errors
from heat_lbaas.controller.db import store as store_module

MUTABLE = 'ACTIVE'
# An object may itself be changed in these; its parents must be MUTABLE.
CHANGEABLE = (MUTABLE, 'ERROR')


def set_status(store, object_type, row, status):
    return store.update(object_type, row['id'], {
        'provisioning_status': status, 'updated_at': store_module.utcnow()})


def lock_for_child_change(store, lb_id, pool=None, listener_ids=()):
    """Check that the parents are mutable and put them into PENDING_UPDATE."""
    if pool is not None and pool['provisioning_status'] != MUTABLE:
        raise errors.Immutable(model.POOL.title, pool['id'])
    lb = store.get(model.LOADBALANCER, lb_id)
    if lb is None:
        raise errors.NotFound(model.LOADBALANCER.title, lb_id)
    if lb['provisioning_status'] != MUTABLE:
        raise errors.Immutable(model.LOADBALANCER.title, lb_id)
    set_status(store, model.LOADBALANCER, lb, 'PENDING_UPDATE')
    for listener_id in listener_ids:
        listener = store.get(model.LISTENER, listener_id)
        # A listener in ERROR keeps it while a child changes (Octavia would mark it
        # ACTIVE afterwards): its stored values are still the ones the amphora
        # refused, and the worker renders it as last accepted (worker/last_good.py)
        # until a change of the listener itself succeeds.
        if listener is not None and listener['provisioning_status'] != 'ERROR':
            set_status(store, model.LISTENER, listener, 'PENDING_UPDATE')
    if pool is not None:
        set_status(store, model.POOL, pool, 'PENDING_UPDATE')


def lock_for_pool_child_change(store, pool):
    """Lock what a change of a member or health monitor of `pool` touches."""
    lock_for_child_change(store, pool['loadbalancer_id'], pool=pool,
                          listener_ids=listeners_using_pool(store, pool['id']))


def check_loadbalancer_mutable(lb, deleting=False):
    # Octavia lets a load balancer in ERROR be deleted, not updated.
    allowed = (MUTABLE, 'ERROR') if deleting else (MUTABLE,)
    if lb['provisioning_status'] not in allowed:
        raise errors.InvalidState(lb['provisioning_status'], lb['id'])


def listeners_using_pool(store, pool_id):
    """Listeners sending traffic to the pool: as default pool or by an L7 policy."""
    ids = [listener['id'] for listener in store.find(model.LISTENER, default_pool_id=pool_id)]
    for policy in store.find(model.L7POLICY, redirect_pool_id=pool_id):
        if policy['listener_id'] not in ids:
            ids.append(policy['listener_id'])
    return ids


def lock_for_l7policy_change(store, listener):
    """Lock what a change of an L7 policy of `listener` touches: listener and LB."""
    lock_for_child_change(store, listener['loadbalancer_id'],
                          listener_ids=[listener['id']])


def lock_for_l7rule_change(store, policy):
    """Lock what a change of a rule of `policy` touches: policy, listener and LB."""
    if policy['provisioning_status'] != MUTABLE:
        raise errors.Immutable(model.L7POLICY.title, policy['id'])
    listener = store.get(model.LISTENER, policy['listener_id'])
    lock_for_l7policy_change(store, listener)
    set_status(store, model.L7POLICY, policy, 'PENDING_UPDATE')
