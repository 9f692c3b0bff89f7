"""An ordered work queue per load balancer.

Any number of threads take load balancers off one queue, but a load balancer is
never applied by two threads at once: a submit while it is being applied marks it
to be applied again afterwards, so every change is applied, in order.
"""
import logging
import queue
import threading

LOG = logging.getLogger(__name__)


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
            except Exception:
                LOG.exception('Applying load balancer %s failed', lb_id)
            with self._lock:
                if lb_id in self._again:
                    self._again.discard(lb_id)
                    self._queue.put(lb_id)
                else:
                    self._busy.discard(lb_id)
                    self._idle.notify_all()

    def wait_idle(self, timeout=None):
        with self._lock:
            return self._idle.wait_for(lambda: not self._busy, timeout)

    def stop(self):
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
