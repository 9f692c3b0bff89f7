"""Why Octavia refused a request, and whether asking again can help.

Octavia refuses a change with 409 for two very different reasons:
- the parent (or the object itself) is busy applying an earlier change (PENDING_*): the same
  request succeeds a little later, so it is retried with backoff;
- the request can never succeed (duplicate port or member, VIP in use, parent in ERROR):
  retrying only hides the API's message until the stack times out, so it fails at once.
"""

import dataclasses
import re

from heat_lbaas.resources.decisions import DELETE, Decision, ERROR, Next, PENDING_PREFIX


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
