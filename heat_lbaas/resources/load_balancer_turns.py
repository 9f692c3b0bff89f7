"""Turns per load balancer inside one Heat engine process, and where each parent lives.

Octavia applies one change per load balancer at a time and answers 409 to the others.
When 100 members of a scale-out start together, each would send, 99 would be refused,
back off and try again: a storm of conflicts. Resources of one engine process take turns
here instead (lifecycle.turn_is_free decides); across engines (or against changes made
outside Heat) the API's 409 and the backoff still apply, so this only saves requests and
never decides correctness.
"""

import threading

from heat_lbaas.resources import lifecycle

# Seconds after which a turn counts as abandoned (its holder's thread died); longer than
# any single change takes on Octavia (an amphora reload takes a few seconds at most).
LEASE_SECONDS = 60.0

_lock = threading.Lock()
_holders = {}   # load balancer id -> (claimant token, lease end)

# (kind, id) of a listener, pool or L7 policy -> id of its load balancer. A child never
# moves to another load balancer, so the answer can be kept for the process lifetime.
_load_balancer_of = {}


def try_take(load_balancer_id, claimant, now, lease=LEASE_SECONDS):
    """Take the turn of `load_balancer_id` for `claimant`; False while someone else has it."""
    with _lock:
        holder, lease_ends = _holders.get(load_balancer_id, (None, 0.0))
        if not lifecycle.turn_is_free(holder, lease_ends, claimant, now):
            return False
        _holders[load_balancer_id] = (claimant, now + lease)
        return True


def give_back(load_balancer_id, claimant):
    with _lock:
        holder, _ = _holders.get(load_balancer_id, (None, 0.0))
        if holder == claimant:
            del _holders[load_balancer_id]


def remembered_load_balancer_of(kind, object_id):
    return _load_balancer_of.get((kind, object_id))


def remember_load_balancer_of(kind, object_id, load_balancer_id):
    _load_balancer_of[(kind, object_id)] = load_balancer_id
