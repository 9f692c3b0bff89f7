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

from heat_lbaas import octavia_vocabulary as octavia


class Next(enum.Enum):
    """The step a resource takes after looking at an answer of the API."""

    DONE = 'done'    # the action is complete
    WAIT = 'wait'    # poll the object again
    RETRY = 'retry'  # repeat the same API request after a backoff delay
    FAIL = 'fail'    # fail the resource with `Decision.reason`
    SEND = 'send'    # the parent accepts changes: send the request now
    REPAIR_PARENT = 'repair_parent'  # fail the parent load balancer over first (ERROR)


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


class UpdatePlan(enum.Enum):
    """How an update is carried out."""

    NOTHING = 'nothing'      # no field changed and the object is fine
    IN_PLACE = 'in_place'    # one PUT with the changed fields; the id stays
    RECREATE = 'recreate'    # delete the object, then create it anew (new id)
    FAIL_OVER = 'fail_over'  # a load balancer in ERROR: rebuild its amphora, keep the id


def decide_how_to_update(provisioning_status, changed_properties,
                         recreate_properties, can_fail_over=False):
    """The plan of an update, from the object's current state and what changed.

    `provisioning_status` None means the object is gone. `recreate_properties` are those
    the API cannot update (a health monitor's type, a member's address or port): they
    are changed by deleting the object first and creating it again, never the other way
    round, because the new object would clash with the old one (duplicate member or
    health monitor: a permanent 409, the hang of Heat's create-before-delete).
    An object in ERROR (or gone) is recovered the same way, since Octavia accepts no
    update of it; a load balancer is failed over instead, so its children survive.
    """
    if provisioning_status is None:
        return UpdatePlan.RECREATE
    if provisioning_status == ERROR:
        return UpdatePlan.FAIL_OVER if can_fail_over else UpdatePlan.RECREATE
    if set(changed_properties) & set(recreate_properties):
        return UpdatePlan.RECREATE
    if changed_properties:
        return UpdatePlan.IN_PLACE
    return UpdatePlan.NOTHING


def unchanged_resource_needs_update(resource_failed, provisioning_status):
    """Whether a stack update must touch a resource whose template did not change.

    Heat skips unchanged resources, so an object that went to ERROR (or vanished) out of
    band, or one whose last action failed, would stay broken forever: update it anyway,
    and decide_how_to_update recovers it.
    """
    return resource_failed or provisioning_status in (ERROR, None)


def replace_failed_resource_by_heat(object_exists):
    """Whether a FAILED resource is left to Heat's replacement (create new, delete old).

    Only when the object is gone: otherwise the new one could clash with it (duplicate
    member or monitor), so it is recovered in place by the update instead.
    """
    return not object_exists


def live_values_to_compare(template_values, live_values):
    """The observed values Heat compares with the template to find out-of-band changes
    (`stack update --converge`, or every update with `observe_on_update`).

    Only those of properties the template sets: one it leaves unset (None) is the API's
    to choose. Octavia fills such fields with defaults (timeouts, an empty header map)
    or derives them (a listener's default pool once a pool names the listener), and
    counting those as drift would make the update send null for them, which detaches
    the listener's pool. A name Heat made up (template name None) is the same case.
    """
    return {prop: value for prop, value in live_values.items()
            if template_values.get(prop) is not None}


# Operating statuses after which waiting for health checks makes no sense: ONLINE passed
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


DUPLICATE_MEMBER = ('Another member on this pool is already using ip %s on '
                    'protocol_port %s')


def foreign_member_clash(listed_members, owned_keys, sent_members):
    """Octavia's duplicate-member message for the first member of an additive batch
    whose address:port the pool has already although this resource did not create it,
    else None.

    An additive batch (`additive_only=true`) UPDATES an existing member with the same
    address:port: without this check it would adopt a member another client created.
    """
    owned = {tuple(key) for key in owned_keys}
    listed = {octavia.member_identity(m) for m in listed_members}
    for sent in sent_members:
        key = octavia.member_identity(sent)
        if key in listed and key not in owned:
            return DUPLICATE_MEMBER % key
    return None


@dataclasses.dataclass(frozen=True)
class PoolMemberChange:
    """The requests that change the members a resource owns in a pool.

    `batch`: body (member list) of one ADDITIVE batch update (creates and updates only,
    never removes), None when nothing is to be sent; `drain_seconds` to wait after it;
    `leaving`: the owned members to remove, each by its own DELETE, as
    {'id': member id, 'key': [address, port]}.
    """

    batch: list
    drain_seconds: float
    leaving: list


def plan_pool_member_change(listed_members, owned_keys, desired_members, drain_seconds,
                            whole_stack_deleted):
    """How a resource changes ITS members of a pool from `owned_keys` (address:port
    pairs it created) to `desired_members` (create bodies), given the pool's members
    as listed now.

    Octavia has no conditional batch call, so a non-additive batch (the whole list)
    would delete a member another client added between the list and the request.
    Instead: one additive batch with the desired members, plus the leaving ones at
    weight 0 when a drain time is asked for (drain_is_needed); then one DELETE per
    leaving member, by id. Members the resource does not own are never sent nor removed.
    """
    owned = {tuple(key) for key in owned_keys}
    desired_keys = {octavia.member_identity(m) for m in desired_members}
    leaving = [m for m in listed_members
               if octavia.member_identity(m) in owned - desired_keys]
    drained = []
    if drain_seconds > 0 and not whole_stack_deleted:
        drained = [{**batch_fields(m), 'weight': 0} for m in leaving
                   if m.get('weight', 1) != 0]
    batch = list(desired_members) + drained
    return PoolMemberChange(batch=batch or None,
                            drain_seconds=drain_seconds if drained else 0,
                            leaving=[{'id': m['id'],
                                      'key': list(octavia.member_identity(m))}
                                     for m in leaving])


# Fields a member in a batch update body may carry (the rest of a shown member, such as
# ids and statuses, is read-only).
_BATCH_MEMBER_FIELDS = ('address', 'protocol_port', 'name', 'subnet_id', 'weight',
                        'admin_state_up', 'monitor_address', 'monitor_port', 'backup',
                        'tags')


def batch_fields(member):
    """A member as the API shows it, reduced to what a batch update body carries; unset
    fields (null in a shown member) are left out, as in any create body."""
    return {k: v for k, v in member.items() if k in _BATCH_MEMBER_FIELDS and v is not None}


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


# Octavia applies a change in well under a second once the amphora exists (the bundled
# controller: tens of milliseconds; an amphora reload: a few hundred), so a retry after
# 0.25 s (0.125-0.25 with jitter) usually finds the parent free again, and doubling to a
# 5 s cap keeps a long queue of siblings from hammering the API. Heat polls every second
# (the devcloud every 0.1 s), so on stock Heat the first retries simply happen on the next
# poll; the jitter still spreads siblings over later polls.
DEFAULT_BACKOFF = BackoffPolicy(first_delay=0.25, factor=2.0, max_delay=5.0, jitter=0.5)


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


# --- coalescing LBaaS::Member creates and deletes (member_batches.py) --------------------

# States of a member waiting in this engine to be created or deleted with its siblings.
BATCH_WAITING, BATCH_CLAIMED, BATCH_SENT = 'waiting', 'claimed', 'sent'


def members_joining_batch(own_token, action, entries, now, stale_after):
    """Tokens of the waiting members that go out in the request of `own_token`, own first.

    `entries` maps a token to its entry (a mapping with action, key, state, solo, seen,
    enrolled). The one whose turn it is at the load balancer takes along every other
    member of the same pool waiting for the same action, except: members that must send
    alone (`solo`: a batch refused them or their address:port already exists, so the API
    answers them one by one, with its own message); members claimed or sent already;
    members whose resource has not polled for `stale_after` seconds (its thread is gone:
    sending it would create a member nobody owns); and, for creates, a second member with
    an address:port already in the batch (the batch would be refused as a whole; it
    waits for a later turn and fails there as a duplicate).
    """
    own = entries.get(own_token)
    if own is None or own['action'] != action or own['state'] != BATCH_WAITING:
        return []   # unknown, or a sibling has just claimed it: it goes out with theirs
    chosen = [own_token]
    if own['solo']:
        return chosen
    keys = {own['key']}
    others = sorted((entry['enrolled'], token) for token, entry in entries.items()
                    if token != own_token)
    for _, token in others:
        entry = entries[token]
        if (entry['action'] != action or entry['state'] != BATCH_WAITING or entry['solo']
                or now - entry['seen'] > stale_after):
            continue
        if action == CREATE and entry['key'] in keys:
            continue
        keys.add(entry['key'])
        chosen.append(token)
    return chosen


def split_create_batch(keys_by_token, existing_keys):
    """(tokens to send in one additive batch, tokens to send alone) for creates.

    `keys_by_token` is [(token, (address, port))] of the batch, `existing_keys` the
    address:port pairs the pool has now. An additive batch UPDATES an existing member
    with the same address:port instead of failing, so such a member must not go in it:
    sent alone (POST), it gets Octavia's own 409 "Another member on this pool is already
    using ip ..." and the resource fails as before, instead of adopting a foreign member.
    """
    existing = set(existing_keys)
    send = [token for token, key in keys_by_token if key not in existing]
    alone = [token for token, key in keys_by_token if key in existing]
    return send, alone


def members_created_already(bodies_by_token, listed_members):
    """{token: member id} of the batch members the pool has already with their own
    owner tag: an earlier batch created them, but its answer was lost."""
    created = {}
    for token, body in bodies_by_token:
        tags = [tag for tag in body.get('tags') or () if tag.startswith(OWNER_TAG_PREFIX)]
        for listed in listed_members:
            if tags and tags[0] in (listed.get('tags') or ()):
                created[token] = listed['id']
                break
    return created


def batch_is_worth_it(tokens):
    """Whether a batch request beats the plain single-member request: only for two or
    more members (one member goes the usual way, POST or DELETE, with its usual answers)."""
    return len(tokens) >= 2


def decide_on_batch_entry(state):
    """What a member resource waiting in a batch does on its poll.

    SEND: nobody sent it yet (it waits for the turn, and sends itself and the others
    waiting then); WAIT: the turn holder is sending it right now; DONE: its request went
    out in another member's batch (it then follows its own member's status).
    """
    if state == BATCH_SENT:
        return Decision(Next.DONE)
    if state == BATCH_CLAIMED:
        return Decision(Next.WAIT)
    return Decision(Next.SEND)


# --- a create whose answer was lost (octavia_object.py) ----------------------------------

# Every object a resource creates carries this tag with the resource's uuid, so that a
# create whose answer never came back (connection cut, timeout, engine killed) is found
# again and adopted instead of created a second time. Names cannot do it: a template may
# give several objects the same name. Heat shows the object's tags without it.
OWNER_TAG_PREFIX = 'heat-lbaas-owner:'

# How often a create whose answer was lost is sent again (each time only after looking
# for the object it may have created) before the resource fails.
LOST_CREATE_ATTEMPTS = 5


def owner_tag(resource_uuid):
    return OWNER_TAG_PREFIX + resource_uuid


def with_owner_tag(tags, resource_uuid):
    """The tags to send: the template's, then the owner tag."""
    return without_owner_tags(tags) + [owner_tag(resource_uuid)]


def without_owner_tags(tags):
    """Tags as the template knows them (the owner tags removed)."""
    return [tag for tag in tags or () if not tag.startswith(OWNER_TAG_PREFIX)]


def create_answer_may_be_lost(transport_failed, api_error):
    """Whether a failed create may have created the object all the same: the connection
    failed or timed out (`transport_failed`: keystoneauth's ConnectionError), or a proxy
    or server failed after passing the request on (`api_error` is (5xx, ...))."""
    return transport_failed or (api_error is not None and api_error[0] >= 500)


def decide_on_lost_create(attempt, description):
    """After a create whose answer was lost: retry (the retry first looks for the
    object by its owner tag), up to LOST_CREATE_ATTEMPTS times."""
    if attempt + 1 < LOST_CREATE_ATTEMPTS:
        return Decision(Next.RETRY, 'the answer to the create of %s was lost'
                        % description)
    return Decision(Next.FAIL, 'the answer to the create of %s was lost %d times'
                    % (description, LOST_CREATE_ATTEMPTS))


def lost_object(listed, resource_uuid):
    """The object the resource created although it never got the answer: the oldest
    listed object with its owner tag that is not being deleted, else None."""
    tag = owner_tag(resource_uuid)
    found = [shown for shown in listed
             if tag in (shown.get('tags') or ())
             and shown.get('provisioning_status') not in (DELETED, 'PENDING_DELETE')]
    if not found:
        return None
    return min(found, key=lambda shown: shown.get('created_at') or '')
