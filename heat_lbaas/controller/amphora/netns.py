"""Network namespaces for amphorae ([controller] amphora_network = namespace).

The topology, all of it created by this module and named with its prefixes:

- one Linux bridge on the host (`bridge`) holding the gateway address, the first
  address of the private CIDR;
- per amphora one network namespace `<prefix>-<8 hex>` (Octavia's amphora has
  `amphora-haproxy`) with `lo` up, net.ipv4.ip_nonlocal_bind=1 (keepalived's VIP may
  be elsewhere while HAProxy binds it), a veth pair whose host end is on the bridge
  and whose other end is `eth0` inside, one address of its own from the upper half of
  the CIDR and a default route via the gateway;
- VIPs, /32 addresses of the lower half on an amphora's `eth0`, placed and taken away
  by add_vip/remove_vip apart from the namespace, so that two amphorae of one load
  balancer can exist and keepalived can own the VIP instead.

HAProxy itself runs on the host and binds its listeners in the amphora's namespace
(haproxy_process.py); keepalived runs inside it. (Earlier versions also named the
host's namespace `<prefix>-host` for HAProxy's member connections; a recorded name
is still removed by teardown.)

Every object is written to <state_dir>/netns/ before it is created, so `sweep` and
`teardown` (after a kill too) remove exactly what this state directory created:
never an object of the same name someone else made, never an object without our
prefix. Running something in a namespace: `command(amphora_id, argv)`.
"""
import dataclasses
import hashlib
import ipaddress
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid

LOG = logging.getLogger(__name__)
INSIDE_DEVICE = 'eth0'
# Where `ip netns` keeps the names of namespaces.
NETNS_DIR = '/var/run/netns'
HOST_SUFFIX = 'host'
# Linux interface names have at most 15 characters (IFNAMSIZ - 1).
MAX_DEVICE_NAME = 15
DEVICE_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$')
# The prefix becomes part of file names under /run/netns and of the veth names' hash.
PREFIX = re.compile(r'^[a-z][a-z0-9-]{0,30}$')
# Smallest CIDR: gateway, some VIPs and some amphora addresses.
MAX_PREFIX_LENGTH = 28
RECORD_SUFFIX = '.json'
BRIDGE_RECORD = 'bridge' + RECORD_SUFFIX


class TopologyError(Exception):
    """The namespace topology cannot be used or changed as asked."""


@dataclasses.dataclass(frozen=True)
class AmphoraNamespace:
    amphora_id: str
    name: str           # the network namespace (ip netns)
    veth: str           # the host end, on the bridge
    address: str        # the amphora's own address on eth0 (Octavia's lb_network_ip)


def _ip_binary():
    return shutil.which('ip') or '/usr/sbin/ip'


def _run(argv, check=True):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise TopologyError('%s failed: %s' % (' '.join(argv),
                                               (result.stderr or result.stdout).strip()))
    return result


def short_id(amphora_id):
    """8 hex characters naming an amphora: a UUID's first ones, else a digest."""
    try:
        return uuid.UUID(amphora_id).hex[:8]
    except ValueError:
        return hashlib.sha1(amphora_id.encode(), usedforsecurity=False).hexdigest()[:8]


def veth_name(namespace):
    """The host end of a namespace's veth: unique per namespace name (so per
    prefix), within the 15 characters of an interface name."""
    return 'hlb' + hashlib.sha1(namespace.encode(),
                                usedforsecurity=False).hexdigest()[:11]


def check_cidr(cidr, bridge=None):
    """The CIDR as a network, once it is private (or reserved), IPv4, large enough,
    and routed nowhere on the host yet except on `bridge` (our own, from a run that
    was killed); raises TopologyError otherwise."""
    try:
        network = ipaddress.ip_network(cidr)
    except ValueError as error:
        raise TopologyError('namespace_cidr %s is not a network: %s' % (cidr, error))
    if network.version != 4:
        raise TopologyError('namespace_cidr %s: only IPv4 is supported' % network)
    if not (network.is_private or network.is_reserved) or network.is_loopback or \
            network.is_link_local or network.is_multicast or network.is_unspecified:
        raise TopologyError('namespace_cidr %s is not a private or reserved range: '
                            'VIPs there could shadow routed addresses' % network)
    if network.prefixlen > MAX_PREFIX_LENGTH:
        raise TopologyError('namespace_cidr %s is smaller than a /%d'
                            % (network, MAX_PREFIX_LENGTH))
    for route, device in host_routes():
        if device == bridge or route.prefixlen == 0 or route.version != 4:
            continue
        if route.overlaps(network):
            raise TopologyError('namespace_cidr %s overlaps the host route %s (dev %s)'
                                % (network, route, device))
    return network


def host_routes():
    """(network, device) of every IPv4 route of the host, in every table."""
    result = _run([_ip_binary(), '-j', '-4', 'route', 'show', 'table', 'all'])
    routes = []
    for route in json.loads(result.stdout or '[]'):
        destination = route.get('dst')
        if not destination or destination == 'default':
            continue
        try:
            routes.append((ipaddress.ip_network(destination, strict=False),
                           route.get('dev')))
        except ValueError:
            continue
    return routes


def namespaces_supported():
    """Whether this process can create network namespaces (root, `ip netns` works)."""
    if os.geteuid() != 0:
        return False
    try:
        return _run([_ip_binary(), 'netns', 'list'], check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


class NamespaceTopology:
    """The bridge, the amphora namespaces and their addresses of one state directory."""

    def __init__(self, state_dir, cidr, bridge, prefix):
        if not DEVICE_NAME.match(bridge or ''):
            raise TopologyError('namespace_bridge %r is not a device name of at most '
                                '%d characters' % (bridge, MAX_DEVICE_NAME))
        if not PREFIX.match(prefix or ''):
            raise TopologyError('namespace_prefix %r: lower-case letters, digits and '
                                '"-", starting with a letter' % prefix)
        self.records_dir = os.path.join(state_dir, 'netns')
        self.bridge = bridge
        self.prefix = prefix
        self.network = ipaddress.ip_network(cidr)
        vip_half, amphora_half = self.network.subnets(prefixlen_diff=1)
        self.gateway = next(self.network.hosts())
        self.vip_range = vip_half
        self.amphora_range = amphora_half
        self.host_namespace = '%s-%s' % (prefix, HOST_SUFFIX)
        self._ip = _ip_binary()
        self._lock = threading.RLock()

    # --- what a start checks ---------------------------------------------------------

    def check(self):
        """Refuse, with the reason, what namespace mode cannot run with."""
        if not namespaces_supported():
            raise TopologyError('amphora_network = namespace needs root and a working '
                                '`ip netns`')
        recorded = self._read(BRIDGE_RECORD)
        if recorded is not None and (recorded.get('bridge'), recorded.get(
                'host_namespace')) != (self.bridge, self.host_namespace):
            # What the old names created would be left behind, and never swept.
            raise TopologyError(
                'this state directory has amphorae on bridge %s with namespaces %s-*: '
                'run heat-lbaas-amphorae stop with that configuration before changing '
                'namespace_bridge or namespace_prefix'
                % (recorded.get('bridge'), recorded.get('host_namespace', '')[
                    :-len(HOST_SUFFIX) - 1]))
        check_cidr(self.network, bridge=self.bridge)
        if self._device_exists(self.bridge) and recorded is None:
            raise TopologyError('a device named %s exists and was not created by this '
                                'controller: choose another namespace_bridge'
                                % self.bridge)

    def vip_addresses(self):
        """Addresses VIPs may take: the lower half, less network and gateway."""
        return [address for address in self.vip_range
                if address not in (self.network.network_address, self.gateway)]

    # --- records -----------------------------------------------------------------------

    def _path(self, name):
        return os.path.join(self.records_dir, name)

    def _read(self, name):
        try:
            with open(self._path(name)) as record:
                return json.load(record)
        except (OSError, ValueError):
            return None

    def _write(self, name, data):
        os.makedirs(self.records_dir, mode=0o700, exist_ok=True)
        temporary = self._path(name) + '.new'
        with open(temporary, 'w') as record:
            json.dump(data, record)
        os.replace(temporary, self._path(name))

    def _forget(self, name):
        try:
            os.unlink(self._path(name))
        except FileNotFoundError:
            pass

    def _amphora_records(self):
        if not os.path.isdir(self.records_dir):
            return {}
        records = {}
        for name in os.listdir(self.records_dir):
            if name.endswith(RECORD_SUFFIX) and name != BRIDGE_RECORD:
                data = self._read(name)
                if data and data.get('name', '').startswith(self.prefix + '-'):
                    records[data['amphora_id']] = AmphoraNamespace(**data)
        return records

    # --- existence ---------------------------------------------------------------------

    def _device_exists(self, device):
        return os.path.exists('/sys/class/net/%s' % device)

    def namespace_exists(self, name):
        return os.path.exists(NETNS_DIR + '/%s' % name)

    def namespaces(self):
        """The amphora namespaces recorded here: {amphora_id: AmphoraNamespace}."""
        with self._lock:
            return self._amphora_records()

    # --- the bridge and the host's name ------------------------------------------------

    def setup(self):
        """Create the bridge with the gateway address (what exists already,
        recorded by this state directory, is kept)."""
        with self._lock:
            recorded = self._read(BRIDGE_RECORD)
            if recorded is None:
                if self._device_exists(self.bridge):
                    raise TopologyError('%s exists and was not created here'
                                        % self.bridge)
                self._write(BRIDGE_RECORD, {'bridge': self.bridge,
                                            'host_namespace': self.host_namespace})
            if not self._device_exists(self.bridge):
                _run([self._ip, 'link', 'add', self.bridge, 'type', 'bridge'])
            gateway = '%s/%d' % (self.gateway, self.network.prefixlen)
            if gateway not in self._addresses(self.bridge):
                _run([self._ip, 'address', 'add', gateway, 'dev', self.bridge])
            _run([self._ip, 'link', 'set', self.bridge, 'up'])

    def _addresses(self, device, namespace=None):
        argv = [self._ip] + (['-n', namespace] if namespace else []) + [
            '-j', 'address', 'show', 'dev', device]
        result = _run(argv, check=False)
        if result.returncode != 0:
            return []
        return ['%s/%s' % (a['local'], a['prefixlen'])
                for link in json.loads(result.stdout or '[]')
                for a in link.get('addr_info', [])]

    # --- amphora namespaces ------------------------------------------------------------

    def name_of(self, amphora_id):
        return '%s-%s' % (self.prefix, short_id(amphora_id))

    def _free_address(self, records):
        taken = {r.address for r in records.values()}
        for address in self.amphora_range.hosts():
            if str(address) not in taken:
                return str(address)
        raise TopologyError('no amphora address left in %s' % self.amphora_range)

    def create_amphora(self, amphora_id):
        """The namespace of `amphora_id`, created (with bridge, veth, address, route)
        unless it exists already. Idempotent; raises TopologyError."""
        with self._lock:
            self.setup()
            records = self._amphora_records()
            amphora = records.get(amphora_id)
            if amphora is None:
                name = self.name_of(amphora_id)
                if any(r.name == name for r in records.values()):
                    raise TopologyError('namespace %s is taken by another amphora' % name)
                if self.namespace_exists(name):
                    raise TopologyError('a namespace named %s exists and was not '
                                        'created by this controller' % name)
                amphora = AmphoraNamespace(amphora_id, name, veth_name(name),
                                           self._free_address(records))
                self._write(name + RECORD_SUFFIX, dataclasses.asdict(amphora))
            self._build(amphora)
            return amphora

    def _build(self, amphora):
        name = amphora.name
        if not self.namespace_exists(name):
            _run([self._ip, 'netns', 'add', name])
        inside = [self._ip, '-n', name]
        _run(inside + ['link', 'set', 'lo', 'up'])
        _run([self._ip, 'netns', 'exec', name, 'sysctl', '-q', '-w',
              'net.ipv4.ip_nonlocal_bind=1'])
        if not self._device_exists(amphora.veth):
            _run(inside + ['link', 'delete', INSIDE_DEVICE], check=False)
            _run([self._ip, 'link', 'add', amphora.veth, 'type', 'veth', 'peer',
                  'name', INSIDE_DEVICE, 'netns', name])
        _run([self._ip, 'link', 'set', amphora.veth, 'master', self.bridge, 'up'])
        own = '%s/%d' % (amphora.address, self.network.prefixlen)
        if own not in self._addresses(INSIDE_DEVICE, name):
            _run(inside + ['address', 'add', own, 'dev', INSIDE_DEVICE])
        _run(inside + ['link', 'set', INSIDE_DEVICE, 'up'])
        _run(inside + ['route', 'replace', 'default', 'via', str(self.gateway)])

    def _recorded(self, amphora_id):
        amphora = self._amphora_records().get(amphora_id)
        if amphora is None:
            raise TopologyError('amphora %s has no namespace' % amphora_id)
        return amphora

    def remove_amphora(self, amphora_id):
        """End every process left in the amphora's namespace, then remove its veth,
        the namespace and its record. Nothing recorded: nothing to do."""
        with self._lock:
            amphora = self._amphora_records().get(amphora_id)
            if amphora is not None:
                self._destroy(amphora)

    def _destroy(self, amphora):
        if self.namespace_exists(amphora.name):
            self._end_processes(amphora.name)
        if self._device_exists(amphora.veth):
            _run([self._ip, 'link', 'delete', amphora.veth], check=False)
        if self.namespace_exists(amphora.name):
            _run([self._ip, 'netns', 'delete', amphora.name])
        self._forget(amphora.name + RECORD_SUFFIX)
        LOG.info('Namespace %s of amphora %s removed', amphora.name, amphora.amphora_id)

    def pids(self, amphora_id):
        """PIDs of the processes running in the amphora's namespace."""
        return self._pids(self._recorded(amphora_id).name)

    def _pids(self, name):
        result = _run([self._ip, 'netns', 'pids', name], check=False)
        return [int(pid) for pid in result.stdout.split() if pid.isdigit()]

    def _end_processes(self, name, timeout=5.0):
        """SIGTERM, then SIGKILL, what still runs in our namespace (a master killed
        with -9 leaves workers; a removed amphora must leave no process)."""
        pids = self._pids(name)
        for pid in pids:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self._pids(name) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in self._pids(name):
            LOG.warning('Killing process %s left in namespace %s', pid, name)
            _signal(pid, signal.SIGKILL)

    # --- VIP placement -----------------------------------------------------------------

    def add_vip(self, amphora_id, address):
        """Put the VIP `address` (/32) on the amphora's eth0 (idempotent)."""
        with self._lock:
            amphora = self._recorded(amphora_id)
            vip = '%s/32' % ipaddress.ip_address(address)
            if vip not in self._addresses(INSIDE_DEVICE, amphora.name):
                _run([self._ip, '-n', amphora.name, 'address', 'add', vip,
                      'dev', INSIDE_DEVICE])
            # The host may still know the VIP at the MAC of a namespace that had it
            # before (a load balancer deleted and its address given again).
            _run([self._ip, 'neigh', 'del', str(address), 'dev', self.bridge],
                 check=False)

    def remove_vip(self, amphora_id, address):
        """Take the VIP `address` off the amphora's eth0 (idempotent)."""
        with self._lock:
            amphora = self._amphora_records().get(amphora_id)
            if amphora is None or not self.namespace_exists(amphora.name):
                return
            vip = '%s/32' % ipaddress.ip_address(address)
            if vip in self._addresses(INSIDE_DEVICE, amphora.name):
                _run([self._ip, '-n', amphora.name, 'address', 'del', vip,
                      'dev', INSIDE_DEVICE])

    def vips(self, amphora_id):
        """The VIP addresses on the amphora's eth0."""
        amphora = self._recorded(amphora_id)
        return [a.split('/')[0] for a in self._addresses(INSIDE_DEVICE, amphora.name)
                if a.endswith('/32')]

    # --- running inside ----------------------------------------------------------------

    def command(self, amphora_id, argv):
        """`argv` as run inside the amphora's namespace (ip netns exec execs it: the
        PID of the process started is the PID of argv[0])."""
        return [self._ip, 'netns', 'exec', self._recorded(amphora_id).name] + list(argv)

    def run(self, amphora_id, argv, **kwargs):
        """subprocess.run of `argv` inside the amphora's namespace."""
        return subprocess.run(self.command(amphora_id, argv), **kwargs)

    # --- cleaning up -------------------------------------------------------------------

    def sweep(self, keep=()):
        """Remove the recorded amphora namespaces whose amphora is not in `keep`
        (left by a run that was killed); their ids."""
        with self._lock:
            removed = []
            for amphora_id, amphora in self._amphora_records().items():
                if amphora_id not in keep:
                    LOG.warning('Removing namespace %s of amphora %s: no such '
                                'amphora any more', amphora.name, amphora_id)
                    self._destroy(amphora)
                    removed.append(amphora_id)
            return removed

    def teardown(self):
        """Remove everything recorded: amphora namespaces, the host namespace's
        name an earlier version made, the bridge (with its address and routes),
        the records."""
        with self._lock:
            self.sweep()
            recorded = self._read(BRIDGE_RECORD)
            if recorded is None:
                return
            host = recorded.get('host_namespace')
            if host and host.startswith(self.prefix + '-') and \
                    self.namespace_exists(host):
                # Removes the name only: the host's namespace lives on.
                _run([self._ip, 'netns', 'delete', host], check=False)
            bridge = recorded.get('bridge')
            if bridge and self._device_exists(bridge):
                _run([self._ip, 'link', 'delete', bridge], check=False)
            self._forget(BRIDGE_RECORD)
            try:
                os.rmdir(self.records_dir)
            except OSError:
                pass


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
