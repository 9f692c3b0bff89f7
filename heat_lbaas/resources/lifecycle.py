"""What to do next with an Octavia object: the lifecycle decisions of every LBaaS::* type.

Pure functions without I/O, so each decision is unit-tested on its own and the resource
classes only carry out what these say (see octavia_object.py).

Octavia refuses a change with 409 for two very different reasons:
- the parent (or the object itself) is busy applying an earlier change (PENDING_*): the same
  request succeeds a little later, so it is retried with backoff;
- the request can never succeed (duplicate port or member, VIP in use, parent in ERROR):
  retrying only hides the API's message until the stack times out, so it fails at once.
"""

import dataclasses
import enum
import re


class Next(enum.Enum):
    """The step a resource takes after looking at an answer of the API."""

    DONE = 'done'    # the action is complete
    WAIT = 'wait'    # poll the object again
    RETRY = 'retry'  # repeat the same API request after a backoff delay
    FAIL = 'fail'    # fail the resource with `Decision.reason`


@dataclasses.dataclass(frozen=True)
class Decision:
    next: Next
    reason: str = ''


ACTIONS = (CREATE, UPDATE, DELETE) = ('create', 'update', 'delete')

ACTIVE = 'ACTIVE'
ERROR = 'ERROR'
DELETED = 'DELETED'
PENDING_PREFIX = 'PENDING_'

# "Load Balancer <id> is immutable and cannot be updated." (also "Pool <id> ...",
# "Listener <id> ..."): Octavia's ImmutableObject. It is raised while the named object is
# PENDING_* and also while it is in ERROR, so the named object's status decides.
_IMMUTABLE = re.compile(
    r'^(?P<kind>[A-Za-z0-9 ]+?) (?P<id>[0-9a-fA-F-]{36}) is immutable and cannot be updated')

# "Invalid state PENDING_CREATE of loadbalancer resource <id>": the object itself is busy
# (or, with ERROR in place of PENDING_*, broken).
_INVALID_STATE = re.compile(r'Invalid state (?P<state>[A-Z_]+) of ')


@dataclasses.dataclass(frozen=True)
class ImmutableObject:
    """The object a 409 "is immutable" names: its kind as Octavia spells it, and its id."""

    kind: str
    id: str


def immutable_object_named_in(faultstring):
    """The object an "is immutable and cannot be updated" conflict names, else None."""
    match = _IMMUTABLE.search(faultstring or '')
    if match is None:
        return None
    return ImmutableObject(kind=match.group('kind'), id=match.group('id'))


def conflict_is_transient(faultstring):
    """Whether a 409 comes from an object that is busy (PENDING_*) rather than a lasting clash.

    An "is immutable" conflict counts as transient here; whether the named object is in
    ERROR instead is decided by `decide_on_busy_object_status` once its status is known.
    """
    if immutable_object_named_in(faultstring) is not None:
        return True
    match = _INVALID_STATE.search(faultstring or '')
    return match is not None and match.group('state').startswith(PENDING_PREFIX)


def decide_on_api_error(action, status_code, faultstring):
    """What to do when an API request for `action` failed with HTTP `status_code`."""
    if status_code == 404 and action == DELETE:
        return Decision(Next.DONE)
    if status_code == 409 and conflict_is_transient(faultstring):
        return Decision(Next.RETRY, faultstring)
    # Everything else (a 400 for invalid input, a duplicate, a quota, a server error) will
    # not improve by asking again: the API's own words go to the stack's status reason.
    return Decision(Next.FAIL, faultstring or 'HTTP %s' % status_code)


def decide_on_busy_object_status(kind, object_id, provisioning_status, faultstring):
    """After an "is immutable" 409: retry while the named object is busy, fail if it is broken.

    Only ACTIVE objects accept changes; an object in ERROR stays so until someone repairs or
    deletes it, so waiting for it would only run into the stack timeout.
    """
    if provisioning_status == ERROR:
        return Decision(
            Next.FAIL,
            '%s (%s %s is in provisioning_status ERROR)' % (faultstring, kind, object_id))
    return Decision(Next.RETRY, faultstring)


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


@dataclasses.dataclass(frozen=True)
class BackoffPolicy:
    """Delays between retries of a request Octavia refused as busy.

    The nominal delay doubles from `first_delay` up to `max_delay`; a random part
    (`jitter`, a fraction of the nominal delay) spreads siblings that were refused at the
    same moment (e.g. all members of a scale-out waiting for the same load balancer), so
    they do not hit the API again in lockstep.
    """

    first_delay: float = 1.0
    factor: float = 2.0
    max_delay: float = 20.0
    jitter: float = 0.5


DEFAULT_BACKOFF = BackoffPolicy()


def retry_delay(attempt, random_fraction, policy=DEFAULT_BACKOFF):
    """Seconds to wait before retry number `attempt` (0 for the first retry).

    `random_fraction` is a number in [0, 1) (random.random()); passing it in keeps this
    function deterministic for tests. The result lies in
    [nominal * (1 - jitter), nominal], nominal = min(max_delay, first_delay * factor**attempt).
    """
    nominal = min(policy.max_delay, policy.first_delay * policy.factor ** attempt)
    return nominal * (1.0 - policy.jitter) + nominal * policy.jitter * random_fraction


def retry_is_due(not_before, now):
    """Whether the backoff deadline `not_before` has passed (monotonic clock seconds)."""
    return now >= not_before
