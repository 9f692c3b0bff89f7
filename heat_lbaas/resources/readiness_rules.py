"""Readiness (wait_for_online): when the object counts as ready, and when to look again."""

from heat_lbaas.resources.backoff import BackoffPolicy, retry_delay
from heat_lbaas.resources.decisions import Decision, Next


# ONLINE: its health checks pass; NO_MONITOR: there are none to pass; DRAINING (weight 0)
# passed them but takes no new traffic by the user's own choice. OFFLINE is settled only
# when the user disabled the object: a new member is OFFLINE until its first check (and
# stays so on a cloud whose health checks never run, e.g. Octavia's no-op drivers).
_SETTLED_OPERATING_STATUSES = ('ONLINE', 'NO_MONITOR', 'DRAINING')

# How often the object is looked at while waiting: health monitors check every few
# seconds (the shipped templates: every 2 s), so a first look after 0.5 s (0.25-0.5 with
# jitter), doubling to one every 2-4 s, sees a member come ONLINE soon after it does, and
# a member that never does costs 40-60 requests in 120 s instead of one per Heat poll (10
# per second on the devcloud: 1200).
READINESS_BACKOFF = BackoffPolicy(first_delay=0.5, factor=2.0, max_delay=4.0, jitter=0.5)


def decide_on_operating_status(operating_status, waited, timeout, description,
                               admin_state_up=True):
    """Readiness (wait_for_online): done once ready, fail after `timeout` s naming the
    operating_status seen last (the only thing known: why it is not ONLINE is not)."""
    if operating_status in _SETTLED_OPERATING_STATUSES or not admin_state_up:
        return Decision(Next.DONE)
    if waited >= timeout:
        return Decision(
            Next.FAIL, '%s was not ready within %s s: its operating_status was still %s '
            '(ready means %s; with wait_for_online false the resource completes once '
            'provisioned)' % (description, timeout, operating_status,
                              ', '.join(_SETTLED_OPERATING_STATUSES)))
    return Decision(Next.WAIT)


def next_readiness_check(began, now, checks_done, timeout, random_fraction,
                         policy=READINESS_BACKOFF):
    """When (monotonic seconds) to look at a not-yet-ready object again, after
    `checks_done` looks: backed off as a busy retry is, but never past the timeout, so the
    failure is reported on time."""
    return min(now + retry_delay(checks_done, random_fraction, policy), began + timeout)
