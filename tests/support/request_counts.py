"""Requests a load-balancer API received, and how many it answered 409, read from its
access log between two points of a test: upstream Octavia's (gunicorn's access log,
tests/support/upstream_octavia.py) or the bundled controller's (`[api] access_log`
lines in the devcloud's controller log, heat_lbaas/controller/api/access_log.py)."""
import pathlib
import re

from heat_lbaas.controller.api import access_log

# gunicorn's line as upstream_octavia.ACCESS_LOG_FORMAT writes it.
GUNICORN_LINE = re.compile(r'^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) "')


def gunicorn_status(line):
    match = GUNICORN_LINE.match(line)
    return int(match.group('status')) if match else None


def controller_status(line):
    if access_log.LOGGER_NAME not in line:
        return None
    parsed = access_log.parse_line(line)
    return parsed[2] if parsed else None


class RequestCounter:
    """(requests, 409s) logged to `path` since the last `take()`; `status_of(line)` is
    the status of an access log line, None for another line."""

    def __init__(self, path, status_of):
        self.path = pathlib.Path(path)
        self.status_of = status_of
        self.offset = self._size()

    def _size(self):
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def take(self):
        with open(self.path, 'rb') as log:
            log.seek(self.offset)
            data = log.read()
        # Only whole lines; a line still being written is read next time.
        end = data.rfind(b'\n') + 1
        self.offset += end
        statuses = [self.status_of(line)
                    for line in data[:end].decode('utf-8', 'replace').splitlines()]
        statuses = [status for status in statuses if status is not None]
        return len(statuses), statuses.count(409)
