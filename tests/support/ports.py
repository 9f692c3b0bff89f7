"""Free loopback ports, chosen at run time so tests and a running devcloud coexist."""
import random
import socket


def free_port(host='127.0.0.1'):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def random_loopback_subnet(rng=random.SystemRandom()):
    """A /24 inside 127.0.0.0/8 for one test's VIPs or servers.

    Each test run takes its own, so it cannot collide with a running devcloud
    (127.77.0.0/16) or another run; HAProxy binds without SO_REUSEPORT, so a
    collision would fail loudly rather than share a port."""
    return '127.%d.%d.0/24' % (rng.randint(100, 254), rng.randint(0, 255))
