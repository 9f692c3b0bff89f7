"""Requests a load-balancer API received, and how many it answered 409, read from its
access log between two points of a test: upstream Octavia's (gunicorn's access log,
tests/support/upstream_octavia.py) or the bundled controller's (`[api] access_log`
lines in the devcloud's controller log, heat_lbaas/controller/api/access_log.py)."""
import re

from heat_lbaas.controller.api import access_log

# gunicorn's line as upstream_octavia.ACCESS_LOG_FORMAT writes it.
GUNICORN_LINE = re.compile(r'^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) "')


def gunicorn_status(line):
    match = GUNICORN_LINE.match(line)
    return int(match.group('status')) if match else None


def controller_status(line):
    logged = access_log.logged_request(line)
    return logged[2] if logged else None


class RequestCounter:
    """(requests, 409s) logged to `path` since the last `take()`; `status_of(line)` is
    the status of an access log line, None for another line."""

    def __init__(self, path, status_of):
        self.tail = access_log.LogTail(path)
        self.status_of = status_of

    def take(self):
        statuses = [self.status_of(line) for line in self.tail.new_lines()]
        statuses = [status for status in statuses if status is not None]
        return len(statuses), statuses.count(409)
