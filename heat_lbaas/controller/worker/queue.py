"""An ordered work queue per load balancer.

Any number of threads take load balancers off one queue, but a load balancer is
never applied by two threads at once: a submit while it is being applied marks it
to be applied again afterwards, so every change is applied, in order.

An apply that raises (worker/apply.py ends failed changes itself, so this is a
failure to even read or record them: the database out of reach, no file descriptor
left) is tried again after RETRY_DELAYS, so the change still ends once the cause
is gone instead of staying PENDING_* until a restart.
"""
import logging
import queue
import threading

LOG = logging.getLogger(__name__)
# Seconds before the 1st, 2nd, ... retry of an apply that raised; the last repeats.
RETRY_DELAYS = (0.5, 1, 2, 5, 10, 30)


class PerLoadBalancerQueue:
    def __init__(self, apply, threads=4):
        self._apply = apply
        self._queue = queue.Queue()
        self._lock = threading.Lock()
        self._busy = set()
        self._again = set()
        self._threads = [threading.Thread(target=self._run, daemon=True,
                                          name='lb-worker-%d' % n)
                         for n in range(threads)]
        self._idle = threading.Condition(self._lock)
        self._failures = {}     # lb id -> applies in a row that raised
        self._stopping = threading.Event()

    def start(self):
        for thread in self._threads:
            thread.start()

    def submit(self, lb_id):
        with self._lock:
            if lb_id in self._busy:
                self._again.add(lb_id)
                return
            self._busy.add(lb_id)
        self._queue.put(lb_id)

    def _run(self):
        while True:
            lb_id = self._queue.get()
            if lb_id is None:
                return
            try:
                self._apply(lb_id)
                self._failures.pop(lb_id, None)
            except Exception:
                LOG.exception('Applying load balancer %s failed', lb_id)
                self._retry_later(lb_id)
            with self._lock:
                if lb_id in self._again:
                    self._again.discard(lb_id)
                    self._queue.put(lb_id)
                else:
                    self._busy.discard(lb_id)
                    self._idle.notify_all()

    def _retry_later(self, lb_id):
        failures = self._failures.get(lb_id, 0)
        self._failures[lb_id] = failures + 1
        delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
        LOG.warning('Load balancer %s: applying again in %ss', lb_id, delay)
        timer = threading.Timer(delay, self._resubmit, (lb_id,))
        timer.daemon = True
        timer.start()

    def _resubmit(self, lb_id):
        if not self._stopping.is_set():
            self.submit(lb_id)

    def wait_idle(self, timeout=None):
        with self._lock:
            return self._idle.wait_for(lambda: not self._busy, timeout)

    def stop(self):
        self._stopping.set()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
