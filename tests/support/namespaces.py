"""Names and ranges of one test run's namespace topology, and what it left behind.

Every run takes its own namespace prefix, bridge name and /24, so parallel pytest
workers, other checkouts' tests and a running devcloud never touch each other's
namespaces, links or routes."""
import ipaddress
import os
import random
import secrets
import subprocess

import pytest

from heat_lbaas.controller.amphora import netns

# 198.18.0.0/15 (RFC 2544, benchmarking) holds 512 /24s; the devcloud's default is
# its first.
TEST_RANGE = ipaddress.ip_network('198.18.0.0/15')

needs_namespaces = pytest.mark.skipif(
    not netns.namespaces_supported(),
    reason='network namespaces need root and a working `ip netns` (CI runs as root)')


class Names:
    """A prefix, a bridge and a free /24 of this run's own."""

    def __init__(self, rng=random.SystemRandom()):
        token = secrets.token_hex(3)
        self.prefix = 'hlbt%s' % token
        self.bridge = 'hlbtb%s' % token
        self.cidr = free_cidr(rng)
        self.seen = set()   # namespace names seen while the test ran

    def namespaces(self):
        """Our namespaces that exist now (and remember them for leftovers())."""
        found = [name for name in listed_namespaces()
                 if name.startswith(self.prefix + '-')]
        self.seen.update(found)
        return found

    def leftovers(self):
        """Every namespace, link or host-namespace name of this run still there."""
        left = [name for name in listed_namespaces()
                if name.startswith(self.prefix + '-')]
        links = set(os.listdir('/sys/class/net'))
        left += [link for link in [self.bridge] + [netns.veth_name(name)
                                                    for name in self.seen]
                 if link in links]
        return left


def listed_namespaces():
    result = subprocess.run(['ip', 'netns', 'list'], capture_output=True, text=True,
                            check=True)
    return [line.split()[0] for line in result.stdout.splitlines() if line.strip()]


def free_cidr(rng):
    """A /24 of TEST_RANGE that no host route overlaps (random, so two runs starting
    together are unlikely to pick the same one)."""
    routes = [route for route, _ in netns.host_routes() if route.prefixlen > 0]
    candidates = list(TEST_RANGE.subnets(new_prefix=24))[1:]
    rng.shuffle(candidates)
    for candidate in candidates:
        if not any(route.overlaps(candidate) for route in routes):
            return str(candidate)
    raise RuntimeError('no free /24 in %s' % TEST_RANGE)


def in_host_namespace(pid):
    """Whether process `pid` runs in this process's (the host's) network namespace."""
    mine = os.stat('/proc/self/ns/net')
    theirs = os.stat('/proc/%d/ns/net' % pid)
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


def listening(namespace):
    """The TCP addresses ('<ip>:<port>') listened on inside `namespace` (None: the
    host's)."""
    inside = ['ip', 'netns', 'exec', namespace] if namespace else []
    result = subprocess.run(inside + ['ss', '-Hltn'], capture_output=True, text=True,
                            check=True)
    return {line.split()[3] for line in result.stdout.splitlines() if line.strip()}


def amphora_processes(namespace, master_pid):
    """Every process of an amphora: its HAProxy master's process group (the master
    and its workers, on the host) and whatever runs inside its namespace
    (keepalived and its VRRP child)."""
    group = os.getpgid(master_pid)
    pids = set()
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                if os.getpgid(int(name)) == group:
                    pids.add(int(name))
            except ProcessLookupError:
                continue
    result = subprocess.run(['ip', 'netns', 'pids', namespace], capture_output=True,
                            text=True, check=True)
    return pids | {int(pid) for pid in result.stdout.split()}
