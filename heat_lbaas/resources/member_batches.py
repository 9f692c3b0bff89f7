"""Members of one pool waiting, in one Heat engine process, to be created or deleted.

Next to load_balancer_turns.py: while one LBaaS::Member holds its load balancer's turn,
its siblings wait. Each waiting create or delete is enrolled here (keyed by pool id), so
the one that gets the turn sends them all in ONE batch request (PUT
/v2/lbaas/pools/{id}/members): one provisioning cycle instead of one per member.
lifecycle.members_joining_batch decides who joins; the resources carry it out
(member.py). Heat runs resources concurrently (green threads, or threads): every access
goes through one lock, and a claim is atomic, so no member is ever sent twice.
"""

import threading

from heat_lbaas.resources import lifecycle

# A waiting resource polls at least every few seconds (Heat: about once a second); one
# silent for longer is gone (its stack was cancelled) and is never sent by another.
STALE_SECONDS = 10.0

_lock = threading.Lock()
_pools = {}   # pool id -> {token: entry (dict)}


def enroll(pool_id, token, action, key, body, member_id, now):
    """Enroll (or refresh) the waiting member of `token`; return a copy of its entry."""
    with _lock:
        entries = _pools.setdefault(pool_id, {})
        entry = entries.get(token)
        if entry is None:
            entry = entries[token] = dict(
                action=action, key=key, body=body, member_id=member_id,
                state=lifecycle.BATCH_WAITING, solo=False, enrolled=now, seen=now)
        entry['seen'] = now
        return dict(entry)


def claim(pool_id, own_token, action, now, stale_after=STALE_SECONDS):
    """Claim the members that go out in the request of `own_token` (own first):
    [(token, copy of entry)]; claimed members wait until settle or release."""
    with _lock:
        entries = _pools.get(pool_id, {})
        tokens = lifecycle.members_joining_batch(own_token, action, entries, now,
                                                 stale_after)
        for token in tokens:
            entries[token]['state'] = lifecycle.BATCH_CLAIMED
        return [(token, dict(entries[token])) for token in tokens]


def settle(pool_id, member_ids):
    """The members of `member_ids` (token -> member id, or None for a delete) went out."""
    with _lock:
        entries = _pools.get(pool_id, {})
        for token, member_id in member_ids.items():
            if token in entries:
                entries[token]['state'] = lifecycle.BATCH_SENT
                if member_id is not None:
                    entries[token]['member_id'] = member_id


def release(pool_id, tokens, solo=False):
    """Claimed members that did not go out wait again (`solo`: later alone)."""
    with _lock:
        entries = _pools.get(pool_id, {})
        for token in tokens:
            if token in entries:
                entries[token]['state'] = lifecycle.BATCH_WAITING
                entries[token]['solo'] = entries[token]['solo'] or solo


def withdraw(pool_id, token):
    with _lock:
        entries = _pools.get(pool_id)
        if entries is None:
            return
        entries.pop(token, None)
        if not entries:
            del _pools[pool_id]
