"""keepalived's check that an amphora's HAProxy is alive (Octavia's haproxy-vrrp-check).

    python3 vrrp_check.py <stats socket>...

Exits 0 when every HAProxy stats socket answers `show info`, 1 otherwise, so the
VRRP instance of an amphora whose HAProxy died goes to FAULT and its peer takes the
VIP. A socket that does not answer is asked once more, 0.15 s later: a reload
replaces the socket file, and one miss would move the VIP (vrrp_fail_count is 1).
A dead HAProxy fails the check at once (no socket file, or nobody listening on it);
a slow one has a second per attempt to answer: on a loaded machine a check that
gave up sooner moved the VIP away from a MASTER that served, failing requests.
keepalived runs this every check interval: it imports nothing beyond the standard
library and takes no configuration (no heat_lbaas import, no file read).
"""
import socket
import sys
import time

# Seconds: each attempt's wait for an answer, and the pause between the two.
TIMEOUT = 1.0
PAUSE = 0.15
# The longest a check waits (keepalived's deadline for it must be longer).
LONGEST_WAIT = 2 * TIMEOUT + PAUSE


def answers(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stats:
        stats.settimeout(TIMEOUT)
        stats.connect(path)
        stats.sendall(b'show info\n')
        return bool(stats.recv(64))


def answers_soon(path):
    for attempt in range(2):
        try:
            if answers(path):
                return True
        except OSError:
            pass
        if attempt == 0:
            time.sleep(PAUSE)
    return False


def main(paths):
    return 0 if paths and all(answers_soon(path) for path in paths) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
