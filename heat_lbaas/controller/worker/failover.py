"""Failover: replace a load balancer's amphora through the ordinary worker path.

Octavia rebuilds the amphora VM; here the amphora is one HAProxy process, so a
failover stops it and starts a new one (a new master PID) from the stored
configuration. The request is recorded here and the load balancer goes to
PENDING_UPDATE; the worker then sees the request when it applies the load balancer
(worker/apply.py) and restarts instead of reloading, and the status goes back to
ACTIVE (or ERROR) exactly as for any other change.

Requests live in memory only: after a controller restart the health monitor sees a
dead amphora again, and resume (service.Controller.resume) starts a stopped one.
"""
import threading

from heat_lbaas.controller import status_transitions


class FailoverRequests:
    def __init__(self, store):
        self.store = store
        self._lock = threading.Lock()
        self._requested = set()

    def begin(self, lb_id, allowed):
        """Mark the load balancer PENDING_UPDATE and record the failover request.

        Returns False (and changes nothing) if its provisioning status is not in
        `allowed` (status_transitions.FAILOVER_BY_*). The caller submits the load
        balancer to the worker afterwards."""
        with self.store.transaction():
            if not status_transitions.lock_for_failover(self.store, lb_id, allowed):
                return False
            with self._lock:
                self._requested.add(lb_id)
        return True

    def take(self, lb_id):
        """True once per request: the worker is about to carry it out."""
        with self._lock:
            if lb_id in self._requested:
                self._requested.discard(lb_id)
                return True
            return False


def fail_over(failovers, worker, lb_id, allowed):
    """Start a failover of `lb_id` if its status allows; True if started."""
    if not failovers.begin(lb_id, allowed):
        return False
    worker.submit(lb_id)
    return True
