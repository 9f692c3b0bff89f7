"""Coalescing LBaaS::Member creates (member_batches.py): who joins a batch request, who
must send alone, and what a member waiting in a batch does on its poll."""

from heat_lbaas.resources.decisions import CREATE, Decision, Next
from heat_lbaas.resources.owner_tags import OWNER_TAG_PREFIX


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
