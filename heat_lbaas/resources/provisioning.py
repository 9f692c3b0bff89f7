"""Whether an action on an object is over, from the object as the API shows it."""

from heat_lbaas.resources.decisions import ACTIVE, DELETE, DELETED, Decision, ERROR, Next


def decide_on_provisioning_status(action, provisioning_status, description):
    """Whether the object reached the end of `action`, given its provisioning_status.

    `description` names the object in the failure reason, e.g. "listener 1d2c...".
    """
    if provisioning_status == ERROR:
        return Decision(
            Next.FAIL,
            'Octavia set %s to provisioning_status ERROR during %s'
            % (description, action))
    if action == DELETE:
        return Decision(Next.DONE if provisioning_status == DELETED else Next.WAIT)
    if provisioning_status == ACTIVE:
        return Decision(Next.DONE)
    if provisioning_status == DELETED:
        return Decision(
            Next.FAIL, '%s was deleted by someone else during %s' % (description, action))
    return Decision(Next.WAIT)


def decide_on_missing_object(action, description):
    """What a 404 while polling the object means."""
    if action == DELETE:
        return Decision(Next.DONE)
    return Decision(
        Next.FAIL, '%s disappeared during %s (HTTP 404)' % (description, action))
