"""Drain (drain_seconds): when a member leaving its pool is first set to weight 0, and
when its drain time is over."""


def drain_is_needed(weight, drain_seconds, whole_stack_deleted):
    """Whether a member leaving its pool is first set to weight 0 for `drain_seconds`.

    Not when it takes no new traffic already (weight 0), when no drain time is asked for,
    or when the whole stack (and with it the load balancer) is being deleted: then no
    client is served by the pool afterwards, and waiting only slows the delete down.
    """
    return drain_seconds > 0 and weight != 0 and not whole_stack_deleted


def drain_is_over(drain_started, now, drain_seconds):
    """Whether a draining member has had its `drain_seconds` (monotonic seconds).

    A fixed time, not "no sessions left": Octavia has no per-member session count, and
    the listener's count misses the requests an older HAProxy process still finishes
    after the weight-0 reload, which are exactly the in-flight ones.
    """
    return now >= drain_started + drain_seconds
