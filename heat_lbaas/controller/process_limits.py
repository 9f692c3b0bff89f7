"""The controller's own file-descriptor limit, raised to what the API needs.

Every API connection holds a descriptor, and waitress accepts up to
`[api] connection_limit` of them; the worker and the health monitor need more for
the database, the log, HAProxy's pipes and sockets. A soft limit below that makes
accept() and the worker fail with EMFILE under load, so the controller raises its
soft limit at start (up to the hard limit) or refuses to start.
"""
import resource

# Descriptors beyond the API connections: SQLite and its journal, the log, pipes of
# `haproxy -c` and the master, stats and master sockets of every amphora polled.
HEADROOM = 256


class LimitError(Exception):
    """The process cannot get the descriptors its configuration needs."""


def needed_descriptors(connection_limit):
    return connection_limit + HEADROOM


def raise_descriptor_limit(connection_limit):
    """Raise RLIMIT_NOFILE's soft limit to what `connection_limit` needs; the new
    soft limit. Raises LimitError if the hard limit is too low."""
    needed = needed_descriptors(connection_limit)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise LimitError(
            '[api] connection_limit = %d needs %d open files (%d more for the '
            'database, logs and HAProxy sockets), but the hard limit of open files '
            'is %d: raise it (ulimit -Hn, LimitNOFILE=) or lower connection_limit'
            % (connection_limit, needed, HEADROOM, hard))
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed
