"""Clients that keep requesting a URL from threads, counting answers and failures: the
Tempest plugin's (tempest_plugin/traffic.py), so the scenario tests and these tests
measure "no failed request" the same way.

Used to show that a change (scale-in, member removal) drops no request: some clients
ask quickly, others ask for slow answers (`?sleep=1`), which are in flight when a
member leaves and must still be answered."""
from tempest_plugin.traffic import QUICK_AND_SLOW, RequestLoad  # noqa: F401
