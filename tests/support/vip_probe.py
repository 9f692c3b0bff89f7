"""A request loop from the host to a VIP measuring a switch of amphorae: each request
on a new connection (so each one finds where the VIP lives now), with a short
timeout; every answer and failure is kept with its time."""
import http.client
import threading
import time


class VipProbe:
    def __init__(self, address, port, timeout=0.5, pause=0.01):
        self.address, self.port = address, port
        self.timeout, self.pause = timeout, pause
        self.events = []    # (time.monotonic(), answer body or None, error or None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _once(self):
        connection = http.client.HTTPConnection(self.address, self.port,
                                                timeout=self.timeout)
        try:
            connection.request('GET', '/')
            response = connection.getresponse()
            body = response.read().decode(errors='replace').strip()
            if response.status != 200:
                return None, 'HTTP %d' % response.status
            return body, None
        except (OSError, http.client.HTTPException) as error:
            # An answer cut short (its HAProxy killed mid-body) is a failed request too.
            return None, repr(error)
        finally:
            connection.close()

    def _run(self):
        while not self._stop.is_set():
            body, error = self._once()
            self.events.append((time.monotonic(), body, error))
            time.sleep(self.pause)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)

    def wait_for_answer(self, body, since, timeout=30):
        """Time of the first answer `body` after `since`; AssertionError after timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, answer, _ in list(self.events):
                if at >= since and answer == body:
                    return at
            time.sleep(0.05)
        raise AssertionError('no answer %r within %ss; last events: %s'
                             % (body, timeout, self.events[-5:]))

    def wait_for_any_answer(self, since, timeout=30):
        """Time of the first answer (whatever its body) after `since`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, answer, _ in list(self.events):
                if at >= since and answer is not None:
                    return at
            time.sleep(0.05)
        raise AssertionError('no answer within %ss; last events: %s'
                             % (timeout, self.events[-5:]))

    def wait_for_failure(self, since, timeout=30):
        """Time of the first failed request after `since`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, _, error in list(self.events):
                if at >= since and error is not None:
                    return at
            time.sleep(0.05)
        raise AssertionError('no request failed within %ss' % timeout)

    def failures_between(self, start, end=float('inf')):
        return [(at, error) for at, _, error in list(self.events)
                if error is not None and start <= at < end]

    def answers_between(self, start, end=float('inf')):
        return [(at, answer) for at, answer, _ in list(self.events)
                if answer is not None and start <= at < end]
