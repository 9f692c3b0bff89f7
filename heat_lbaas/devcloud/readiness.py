"""Wait until the devcloud's services answer, or say clearly why they do not."""

import time
import urllib.error
import urllib.request

from heat_lbaas.devcloud import processes


class NotReady(Exception):
    """A service died or did not answer in time; the message names it."""


def answers_200(url, timeout=2.0):
    if not url.startswith('http://'):
        raise ValueError('readiness URLs are the devcloud\'s own http:// URLs: %r' % url)
    try:
        # Safe to open: the scheme is checked above (no file:// or custom schemes).
        with urllib.request.urlopen(url, timeout=timeout) as response:  # nosec B310
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_until_answering(services, timeout):
    """Wait for every ``(name, pid, url)`` to answer ``GET url`` with 200.

    Raises NotReady as soon as one process is gone (no point waiting for it), or
    when ``timeout`` seconds have passed.
    """
    waiting = list(services)
    deadline = time.monotonic() + timeout
    while waiting:
        for service in list(waiting):
            name, pid, url = service
            if answers_200(url):
                waiting.remove(service)
            elif not processes.is_alive(pid):   # our own child: no marker check
                raise NotReady('%s (pid %d) exited before answering %s'
                               % (name, pid, url))
        if waiting and time.monotonic() > deadline:
            raise NotReady('%s did not answer within %d s: %s' % (
                ', '.join(s[0] for s in waiting), timeout,
                ', '.join(s[2] for s in waiting)))
        if waiting:
            time.sleep(0.2)
