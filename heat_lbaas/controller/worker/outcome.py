"""Which objects a failed change puts into ERROR, as Octavia's revert tasks do.

The API locks the parents of a changed object in PENDING_UPDATE (the load balancer,
the listeners and pool above it) while the object itself is PENDING_CREATE/UPDATE/
DELETE. When applying fails, Octavia's *ToErrorOnRevertTask marks the changed object
ERROR and its locked parents ACTIVE again, so the load balancer accepts the next
request at once; only a change of the load balancer itself (create, update,
failover) leaves the load balancer in ERROR, from which Octavia accepts a delete or
a failover.

One change is in flight per load balancer (the lock refuses others), so the changed
objects are the PENDING_CREATE/PENDING_DELETE ones and the PENDING_UPDATE ones at the
deepest level of the tree: a PENDING_UPDATE object above them was only locked.
"""
from heat_lbaas.controller import model

PENDING = ('PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE')
# How deep each kind of object sits; a change locks only shallower objects.
DEPTH = {model.LOADBALANCER: 0, model.LISTENER: 1, model.POOL: 2, model.L7POLICY: 2,
         model.MEMBER: 3, model.HEALTH_MONITOR: 3, model.L7RULE: 3}


def after_failure(objects, failover=False):
    """{(object type, id): 'ERROR' | 'ACTIVE'} for the pending objects of a failed apply.

    `objects` is [(object type, row)] of the load balancer's tree."""
    pending = [(t, row) for t, row in objects if row['provisioning_status'] in PENDING]
    deepest = max((DEPTH[t] for t, _ in pending), default=0)
    statuses = {}
    for object_type, row in pending:
        changed = (row['provisioning_status'] != 'PENDING_UPDATE'
                   or DEPTH[object_type] == deepest
                   or (object_type is model.LOADBALANCER and failover))
        statuses[(object_type, row['id'])] = 'ERROR' if changed else 'ACTIVE'
    return statuses
