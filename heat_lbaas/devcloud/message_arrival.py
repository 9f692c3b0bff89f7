"""A pause that ends when a message arrives: what the devcloud's Heat puts in place of
``time`` inside oslo.messaging's in-memory (fake) driver, whose listeners otherwise look
at their queues every 50 ms (heat_server.wake_listeners_on_delivery)."""
import threading
import time


class MessageArrival:
    """Stands in for ``time`` inside oslo.messaging's fake driver: a listener's pause
    between two looks at its queues ends as soon as a message is delivered.

    A thread's pause ends at once if any message came since its previous pause ended
    (so one delivered while it was looking, after its queue was found empty, is not
    waited for); otherwise at the next delivery or after ``seconds``.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._deliveries = 0
        self._seen = threading.local()

    def delivered(self):
        with self._condition:
            self._deliveries += 1
            self._condition.notify_all()

    def sleep(self, seconds):
        with self._condition:
            seen = getattr(self._seen, 'deliveries', self._deliveries)
            self._condition.wait_for(lambda: self._deliveries != seen, timeout=seconds)
            self._seen.deliveries = self._deliveries

    def __getattr__(self, name):
        return getattr(time, name)
