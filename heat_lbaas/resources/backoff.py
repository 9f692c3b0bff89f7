"""Delays between retries of a request Octavia refused as busy."""

import dataclasses


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
