"""Readiness (wait_for_online): when the object's health checks count as passed."""

from heat_lbaas.resources.decisions import Decision, Next


# them; NO_MONITOR has none to pass; DRAINING (weight 0) passed them but takes no new
# traffic by the user's own choice. OFFLINE is settled only when the user disabled the
# object: a new member is OFFLINE until its first check.
_SETTLED_OPERATING_STATUSES = ('ONLINE', 'NO_MONITOR', 'DRAINING')


def decide_on_operating_status(operating_status, waited, timeout, description,
                               admin_state_up=True):
    """Readiness (wait_for_online): done once health checks pass, fail after `timeout` s."""
    if operating_status in _SETTLED_OPERATING_STATUSES or not admin_state_up:
        return Decision(Next.DONE)
    if waited >= timeout:
        return Decision(
            Next.FAIL, '%s did not come ONLINE within %s s: its operating_status is '
            'still %s (its health checks fail)' % (description, timeout, operating_status))
    return Decision(Next.WAIT)
