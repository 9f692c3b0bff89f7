"""Every provisioning status change, by Octavia's rules, in one place.

The API (a request) creates an object PENDING_CREATE, changes it PENDING_UPDATE,
deletes it and everything under it PENDING_DELETE, and locks what the change
touches in PENDING_UPDATE: the objects above it up to the load balancer and the
listeners using it (graph.lock_types). Only ACTIVE parents are mutable; the object
changed may also be in ERROR. Meanwhile other changes get 409, exactly as Octavia
answers.

The worker ends each change: pending objects become ACTIVE (PENDING_DELETE ones are
removed), or, when the amphora refused it, as Octavia's revert tasks end it
(after_failure). A failover (API or health monitor) locks the load balancer
PENDING_UPDATE; after a controller restart a load balancer whose amphora does not
serve goes PENDING_UPDATE to be applied again.
"""
from heat_lbaas.controller import graph
from heat_lbaas.controller import model
from heat_lbaas.controller import errors
from heat_lbaas.controller.db import store as store_module

ACTIVE, ERROR = 'ACTIVE', 'ERROR'
PENDING_CREATE, PENDING_UPDATE, PENDING_DELETE = (
    'PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE')
PENDING = (PENDING_CREATE, PENDING_UPDATE, PENDING_DELETE)
# Shown by no object: what the worker decides for a PENDING_DELETE one it removes.
DELETED = 'DELETED'

MUTABLE = ACTIVE
# An object may itself be changed in these; its parents must be MUTABLE.
CHANGEABLE = (MUTABLE, ERROR)

# Operating status of a new object: members are NO_MONITOR until a monitor checks
# them (Octavia), everything else OFFLINE until the amphora serves it.
INITIAL_OPERATING_STATUS = {model.MEMBER: 'NO_MONITOR'}

# The API may fail over a load balancer in ERROR too: that is how Octavia users
# repair one. The health monitor only acts on ACTIVE ones (anything else is either
# being changed already or waiting for a person).
FAILOVER_BY_API = (ACTIVE, ERROR)
FAILOVER_BY_HEALTH = (ACTIVE,)


def _now():
    return store_module.utcnow()


def set_status(store, object_type, row, status):
    return store.update(object_type, row['id'], {
        'provisioning_status': status, 'updated_at': _now()})


# --- the API ------------------------------------------------------------------

def created(object_type):
    """The statuses of a new object."""
    return {'provisioning_status': PENDING_CREATE,
            'operating_status': INITIAL_OPERATING_STATUS.get(object_type, 'OFFLINE')}


def updating():
    """The columns an update of an object sets besides its changed fields."""
    return {'provisioning_status': PENDING_UPDATE, 'updated_at': _now()}


def require_changeable(object_type, row):
    # Octavia checks the parents' status, not the object's own: an object in ERROR
    # (a change of it failed) is updated or deleted like an ACTIVE one.
    if row['provisioning_status'] not in CHANGEABLE:
        raise errors.Immutable(object_type.title, row['id'])


def check_loadbalancer_mutable(lb, deleting=False):
    # Octavia lets a load balancer in ERROR be deleted, not updated.
    allowed = (MUTABLE, ERROR) if deleting else (MUTABLE,)
    if lb['provisioning_status'] not in allowed:
        raise errors.InvalidState(lb['provisioning_status'], lb['id'])


def lock_for_change(store, object_type, row, users=()):
    """Check that what a change of `row` (an object of `object_type`, or the values
    of one being created, its parent id set) locks is mutable, and lock it in
    PENDING_UPDATE: the objects above it and the listeners using it or one of them,
    plus the listeners `users` (those a new pool is created for).

    The objects above are checked nearest first, the load balancer last, so the
    409 names the first immutable one, as Octavia's does. Listeners are locked,
    never checked (Octavia's test_and_set_lb_and_listeners_prov_status)."""
    above = graph.ancestor_rows(store, object_type, row)
    top_type, top = above[-1] if above else (object_type, row)
    listener_ids = [r['id'] for t, r in above if t is graph.USER]
    for t, r in [(object_type, row)] + above:
        if graph.used_through_references(t) and r.get('id'):
            listener_ids += graph.users(store, t, r['id'])
    listener_ids += users
    between = [(t, r) for t, r in above if t not in (graph.ROOT, graph.USER)]
    for t, r in between:
        if r['provisioning_status'] != MUTABLE:
            raise errors.Immutable(t.title, r['id'])
    if top_type is not graph.ROOT:
        raise errors.NotFound(top_type.parent.title, top[top_type.parent_field])
    if top['provisioning_status'] != MUTABLE:
        raise errors.Immutable(graph.ROOT.title, top['id'])
    set_status(store, graph.ROOT, top, PENDING_UPDATE)
    for listener_id in dict.fromkeys(listener_ids):
        listener = store.get(graph.USER, listener_id)
        # A listener in ERROR keeps it while a child changes (Octavia would mark it
        # ACTIVE afterwards): its stored values are still the ones the amphora
        # refused, and the worker renders it as last accepted (worker/last_good.py)
        # until a change of the listener itself succeeds.
        if listener is not None and listener['provisioning_status'] != ERROR:
            set_status(store, graph.USER, listener, PENDING_UPDATE)
    for t, r in between:
        set_status(store, t, r, PENDING_UPDATE)


def mark_deleting(store, object_type, row):
    """PENDING_DELETE for the object and everything under it (Octavia removes a
    listener's L7 policies, a pool's members and monitor, ... with it)."""
    for t, r in graph.descendant_rows(store, object_type, row['id']):
        set_status(store, t, r, PENDING_DELETE)
    return set_status(store, object_type, row, PENDING_DELETE)


# --- the worker -----------------------------------------------------------------

def has_pending(objects):
    return any(row['provisioning_status'] in PENDING for _, row in objects)


def after_failure(objects, failover=False):
    """{(object type, id): 'ERROR' | 'ACTIVE'} for the pending objects of a failed
    apply, as Octavia's *ToErrorOnRevertTask end them.

    The changed object goes to ERROR and its locked parents back to ACTIVE, so the
    load balancer accepts the next request at once; only a change of the load
    balancer itself (create, update, failover) leaves it in ERROR, from which
    Octavia accepts a delete or a failover. One change is in flight per load
    balancer (the lock refuses others), so the changed objects are the
    PENDING_CREATE/PENDING_DELETE ones and the PENDING_UPDATE ones deepest in the
    lock order (graph.lock_depth): a PENDING_UPDATE object above them was only
    locked. `objects` is [(object type, row)] of the load balancer's tree."""
    pending = [(t, row) for t, row in objects if row['provisioning_status'] in PENDING]
    deepest = max((graph.lock_depth(t) for t, _ in pending), default=0)
    statuses = {}
    for object_type, row in pending:
        changed = (row['provisioning_status'] != PENDING_UPDATE
                   or graph.lock_depth(object_type) == deepest
                   or (object_type is graph.ROOT and failover))
        statuses[(object_type, row['id'])] = ERROR if changed else ACTIVE
    return statuses


def after_apply(objects, failed, failover=False):
    """{(object type, id): ACTIVE | ERROR | DELETED} for the pending objects once
    the worker has applied (or failed to apply) the change."""
    if failed:
        return after_failure(objects, failover)
    return {(t, row['id']): DELETED if row['provisioning_status'] == PENDING_DELETE
            else ACTIVE
            for t, row in objects if row['provisioning_status'] in PENDING}


def finish_change(store, objects, failed, failover=False, remove=None):
    """Write what after_apply decides; `remove(object type, row)` removes a DELETED
    one. `objects` in tree order (children before parents). Call inside a
    transaction."""
    objects = list(objects)
    now = _now()
    decided = after_apply(objects, failed, failover)
    for object_type, row in objects:
        status = decided.get((object_type, row['id']))
        if status == DELETED:
            remove(object_type, row)
        elif status is not None:
            store.update(object_type, row['id'], {
                'provisioning_status': status, 'updated_at': now})


def delete_failed(store, lb_id):
    # Octavia leaves a load balancer whose delete failed in ERROR, from which a
    # delete is accepted again.
    store.update(graph.ROOT, lb_id, {'provisioning_status': ERROR,
                                     'updated_at': _now()})


# --- failover and start-up ------------------------------------------------------

def lock_for_failover(store, lb_id, allowed):
    """PENDING_UPDATE for the load balancer if its status is in `allowed`
    (FAILOVER_BY_API or FAILOVER_BY_HEALTH); False (nothing changed) otherwise."""
    with store.transaction():
        lb = store.get(graph.ROOT, lb_id)
        if lb is None or lb['provisioning_status'] not in allowed:
            return False
        set_status(store, graph.ROOT, lb, PENDING_UPDATE)
        return True


def resume(store, lb, serving):
    """After a controller restart: an ACTIVE load balancer whose amphora does not
    serve is applied again (PENDING_UPDATE); PENDING_* ones are applied again as
    they are; the others (ERROR) keep their status."""
    if lb['provisioning_status'] == ACTIVE and not serving:
        store.update(graph.ROOT, lb['id'], {'provisioning_status': PENDING_UPDATE})


def adopts_amphora(lb):
    """Whether a restarted controller keeps (or starts) the amphora of `lb`: not for
    one being deleted."""
    return lb['provisioning_status'] != PENDING_DELETE
