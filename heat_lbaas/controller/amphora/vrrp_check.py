"""keepalived's check that an amphora's HAProxy is alive (Octavia's haproxy-vrrp-check).

    python3 vrrp_check.py <stats socket>...

Exits 0 when every HAProxy stats socket answers `show info`, 1 otherwise, so the
VRRP instance of an amphora whose HAProxy died goes to FAULT and its peer takes the
VIP. keepalived runs this every check interval: it imports nothing beyond the standard
library and takes no configuration (no heat_lbaas import, no file read).
"""
import socket
import sys

TIMEOUT = 0.8   # seconds; below the smallest check interval (1 s)


def answers(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stats:
        stats.settimeout(TIMEOUT)
        stats.connect(path)
        stats.sendall(b'show info\n')
        return bool(stats.recv(64))


def main(paths):
    try:
        return 0 if paths and all(answers(path) for path in paths) else 1
    except OSError:
        return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
