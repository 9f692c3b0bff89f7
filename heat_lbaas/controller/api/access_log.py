"""Access log of the Octavia v2 API: one line per request, `METHOD path status`.

A plain WSGI middleware around the API application (enabled by `[api] access_log`). The
line goes through the `heat_lbaas.controller.access` logger at INFO, so it lands wherever
oslo.log sends the controller's log. `make bench` (bench/heat_members.py) counts requests
and 409 answers from these lines.
"""
import logging
import pathlib

LOGGER_NAME = 'heat_lbaas.controller.access'
LOG = logging.getLogger(LOGGER_NAME)


def log_line(method, path, status):
    """The logged text, e.g. "POST /v2/lbaas/pools/<id>/members 409"."""
    return '%s %s %s' % (method, path, status)


def parse_line(text):
    """(method, path, status code) of a logged line's text, or None if it is not one.

    `text` may carry oslo.log's prefix (time, pid, level, logger name): the line's own
    part is its last three words.
    """
    words = text.split()
    if len(words) < 3 or not words[-1].isdigit() or not words[-2].startswith('/'):
        return None
    return words[-3], words[-2], int(words[-1])


def logged_request(line):
    """(method, path, status code) of a line of the controller's log if it is an
    access log line, else None."""
    return parse_line(line) if LOGGER_NAME in line else None


class LogTail:
    """The whole lines appended to a log file since the last `new_lines()` (or since
    this was made): how `make bench` and the tests count a step's requests."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        try:
            self.offset = self.path.stat().st_size
        except OSError:
            self.offset = 0

    def new_lines(self):
        with open(self.path, 'rb') as log:
            log.seek(self.offset)
            data = log.read()
        # Only whole lines; a line still being written is read next time.
        end = data.rfind(b'\n') + 1
        self.offset += end
        return data[:end].decode('utf-8', 'replace').splitlines()


class AccessLog:
    """Logs `METHOD path?query status` once the wrapped application has answered."""

    def __init__(self, application, logger=LOG):
        self.application = application
        self.logger = logger

    def __call__(self, environ, start_response):
        seen = {}

        def remember_status(status, headers, exc_info=None):
            seen['status'] = status.split(' ', 1)[0]
            if exc_info is not None:
                return start_response(status, headers, exc_info)
            return start_response(status, headers)

        try:
            return self.application(environ, remember_status)
        finally:
            path = environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')
            if environ.get('QUERY_STRING'):
                path += '?' + environ['QUERY_STRING']
            self.logger.info('%s', log_line(environ.get('REQUEST_METHOD', '-'), path,
                                             seen.get('status', '500')))
