"""Real HTTP through a VIP: clients that keep requesting a URL from threads while a
stack changes, counting answers and failures, and who answered a request.

Some clients ask quickly, others ask for slow answers (`?sleep=1`, which both the
devcloud's and the Nova servers' web server understand), so requests are in flight when a
member leaves and must still be answered."""
import collections
import threading
import time

import requests

QUICK_AND_SLOW = ('', '', '?sleep=1', '?sleep=1', '?sleep=1')


def served_by(response):
    """The member that answered: body `served-by: <stack>/<resource> <address>:<port>`."""
    if response.status_code != 200:
        raise AssertionError('HTTP %d: %s' % (response.status_code, response.text[:200]))
    return response.text.split()[-1].rsplit(':', 1)[0]


def get(url, timeout=10, **kwargs):
    return requests.get(url, timeout=timeout, allow_redirects=False, **kwargs)


def responders(url, count, timeout=10):
    """Counter of who answered `count` requests on new connections."""
    return collections.Counter(served_by(get(url, timeout)) for _ in range(count))


class RequestLoad:
    def __init__(self, url, paths=QUICK_AND_SLOW, timeout=30, classify=None):
        """classify(response) -> key: answers are also counted by key in self.answers."""
        self.url, self.timeout, self._classify = url, timeout, classify
        self.failures, self.answered = [], 0
        # time.monotonic() of each failure: how long an outage lasted, seen by clients.
        self.failed_at = []
        self.answers = collections.Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(path,), daemon=True)
                         for path in paths]

    def _client(self, path):
        session = requests.Session()
        while not self._stop.is_set():
            try:
                response = session.get(self.url + path, timeout=self.timeout)
                failure = None if response.status_code == 200 else response.status_code
            except requests.RequestException as error:
                failure = repr(error)
            with self._lock:
                if failure is None:
                    self.answered += 1
                    if self._classify:
                        self.answers[self._classify(response)] += 1
                else:
                    self.failures.append(failure)
                    self.failed_at.append(time.monotonic())

    def failures_since(self, moment):
        with self._lock:
            return [f for f, at in zip(self.failures, self.failed_at) if at >= moment]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 30)
