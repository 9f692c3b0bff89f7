"""Before a request: whether the parent load balancer accepts changes, whose turn it is,
and the failover of a parent in ERROR before a child is removed from it."""

from heat_lbaas.resources.decisions import ACTIVE, DELETE, DELETED, Decision, ERROR, Next


def decide_on_parent_status(action, provisioning_status, parent_description,
                            whole_stack_deleted=False):
    """Before a request: send it only while the parent load balancer is ACTIVE.

    Octavia refuses every change under a load balancer that is PENDING_* (busy) or ERROR;
    asking it first costs one GET where sending blindly costs a 409 (and, when many
    siblings do so at once, a storm of them). `provisioning_status` None means the parent
    is unknown (no parent, or it could not be read): the request itself then decides.

    A removal (`action` DELETE, also the drain update before it) under a parent in
    ERROR: when the whole stack is deleted, the load balancer's cascade delete removes
    the object, so it is done. Otherwise the object would stay behind, owned by nobody
    (a member still in the pool of a surviving load balancer): the parent is failed
    over first (the only change Octavia accepts of a load balancer in ERROR), then the
    object is removed.
    """
    if provisioning_status is None or provisioning_status == ACTIVE:
        return Decision(Next.SEND)
    if provisioning_status == ERROR:
        if action == DELETE and whole_stack_deleted:
            return Decision(
                Next.DONE, '%s is in provisioning_status ERROR: its cascade delete '
                'removes the object' % parent_description)
        if action == DELETE:
            return Decision(Next.REPAIR_PARENT, '%s is in provisioning_status ERROR'
                            % parent_description)
        return Decision(Next.FAIL, '%s is in provisioning_status ERROR, so Octavia '
                        'accepts no change under it' % parent_description)
    if provisioning_status == DELETED or provisioning_status == 'PENDING_DELETE':
        if action == DELETE:
            return Decision(Next.DONE, '%s is being deleted' % parent_description)
        return Decision(Next.FAIL, '%s is being deleted' % parent_description)
    return Decision(Next.RETRY, '%s is %s' % (parent_description, provisioning_status))


def decide_on_parent_repair(provisioning_status, failover_requested, parent_description):
    """The failover of a parent load balancer in ERROR before removing a child.

    SEND the failover while the parent is in ERROR and none was asked for; DONE once it
    is ACTIVE again (or gone: the removal then finds nothing); WAIT while it is busy;
    FAIL when the failover itself ended in ERROR.
    """
    if provisioning_status is None or provisioning_status in (ACTIVE, DELETED):
        return Decision(Next.DONE)
    if provisioning_status == ERROR:
        if failover_requested:
            return Decision(
                Next.FAIL, 'the failover of %s, needed to remove the object from it, '
                'ended in provisioning_status ERROR' % parent_description)
        return Decision(Next.SEND)
    return Decision(Next.WAIT)


def turn_is_free(holder, lease_ends, claimant, now):
    """Whether `claimant` may change a load balancer whose turn `holder` took.

    Octavia applies one change per load balancer at a time and refuses the others with
    409. Resources of one Heat engine (e.g. 100 members of a scale-out) therefore take
    turns in the engine process instead of racing for the API's lock; the lease bounds
    how long a holder that vanished (engine thread killed) can block the others.
    """
    return holder is None or holder == claimant or now >= lease_ends
