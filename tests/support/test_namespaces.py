"""Network namespaces on a test bridge, standing in for amphorae in tests that run
HAProxy and keepalived side by side without the controller.

Names carry the test process's PID in hex (`hlbt<pid>...`), so a run killed before it
cleaned up is found and swept by the next one (its PID is gone). Addresses come
from 198.18.0.0/15 (RFC 2544's benchmark range, never routed): one random /24 per
bridge, refused if the host already has a route into it.
"""
import ipaddress
import os
import random
import subprocess

from tests.support import processes

PREFIX = 'hlbt'
BENCHMARK_RANGE = ipaddress.ip_network('198.18.0.0/15')


def ip(*words, namespace=None, check=True):
    command = ['ip'] + (['-n', namespace] if namespace else []) + list(words)
    return subprocess.run(command, check=check, capture_output=True, text=True).stdout


def _owner_pid(name):
    """The PID a test namespace or link name was made by, or None."""
    if not name.startswith(PREFIX):
        return None
    # <PREFIX><pid in hex><two random hex digits>[-<suffix>]
    digits = name.split('-')[0][len(PREFIX):-2]
    try:
        return int(digits, 16)
    except ValueError:
        return None


def sweep_stale():
    """Remove namespaces and bridges of test runs whose process is gone."""
    for line in ip('netns', 'list').splitlines():
        name = line.split()[0]
        owner = _owner_pid(name)
        if owner and not processes.alive(owner):
            for pid in namespace_pids(name):
                os.kill(pid, 9)
            ip('netns', 'delete', name, check=False)
    for line in ip('-o', 'link', 'show', 'type', 'bridge').splitlines():
        name = line.split(':')[1].strip()
        owner = _owner_pid(name)
        if owner and not processes.alive(owner):
            ip('link', 'delete', name, check=False)


def namespace_pids(namespace):
    return [int(pid) for pid in ip('netns', 'pids', namespace).split()]


def _free_subnet(rng=random.SystemRandom()):
    routes = [ipaddress.ip_network(line.split()[0], strict=False)
              for line in ip('-4', 'route', 'show', 'table', 'all').splitlines()
              if line and line.split()[0][0].isdigit()]
    for _ in range(100):
        subnet = list(BENCHMARK_RANGE.subnets(new_prefix=24))[rng.randrange(512)]
        if not any(subnet.overlaps(route) for route in routes):
            return subnet
    raise AssertionError('no free /24 in %s' % BENCHMARK_RANGE)


class TestBridge:
    """A bridge with the host's address .1 of a free /24; `add_namespace` joins a
    namespace to it through a veth pair whose namespace end is `eth0`."""

    def __init__(self):
        sweep_stale()
        # At most 12 characters: link names end at 15, and a veth's adds its suffix.
        self.tag = '%s%x%02x' % (PREFIX, os.getpid(), random.randrange(256))
        self.bridge = self.tag
        self.subnet = _free_subnet()
        self.host_address = str(self.subnet[1])
        self.namespaces = []
        self._next_host = 2
        ip('link', 'add', self.bridge, 'type', 'bridge')
        ip('addr', 'add', '%s/24' % self.host_address, 'dev', self.bridge)
        ip('link', 'set', self.bridge, 'up')

    def address(self, index):
        return str(self.subnet[index])

    def add_namespace(self, suffix):
        """A namespace `<tag>-<suffix>` on the bridge; returns (name, its address).
        Non-local binds are allowed in it, as Octavia allows them in its amphora
        namespace, so a BACKUP's HAProxy binds the VIP it does not hold yet."""
        name = '%s-%s' % (self.tag, suffix)
        host_end = self.tag + suffix[:3]
        ip('netns', 'add', name)
        self.namespaces.append(name)
        ip('link', 'add', host_end, 'type', 'veth', 'peer', 'name', 'eth0',
           'netns', name)
        ip('link', 'set', host_end, 'master', self.bridge, 'up')
        address = self.address(self._next_host)
        self._next_host += 1
        ip('addr', 'add', '%s/24' % address, 'dev', 'eth0', namespace=name)
        ip('link', 'set', 'eth0', 'up', namespace=name)
        ip('link', 'set', 'lo', 'up', namespace=name)
        subprocess.run(['ip', 'netns', 'exec', name, 'sh', '-c',
                        'echo 1 > /proc/sys/net/ipv4/ip_nonlocal_bind'], check=True)
        return name, address

    def holds(self, namespace, address):
        """Whether `address` is on an interface of `namespace`."""
        return (' %s/' % address) in ip('-o', '-4', 'addr', 'show', namespace=namespace)

    def remove(self):
        """Everything this bridge made, processes left in its namespaces included."""
        for name in self.namespaces:
            for pid in namespace_pids(name):
                os.kill(pid, 9)
            ip('netns', 'delete', name, check=False)
        ip('link', 'delete', self.bridge, check=False)
