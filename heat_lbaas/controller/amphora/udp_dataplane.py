"""The UDP data plane of the haproxy amphora driver in namespace mode: the
nftables ruleset of nft_render.py loaded in the amphora's network namespace, and
which members are in its rotation.

- `probe_*`: whether this machine can serve UDP (nf_tables NAT works, checked once
  at start) and SCTP (it cannot here: the kernel has no SCTP sockets).
- `load(topology, amphora_id, text)`: `ip netns exec <ns> nft -f -`, one
  transaction; forwarding enabled in the namespace first (DNATed datagrams leave
  through eth0 again).
- `UdpDataplane`: the last tree the worker served per load balancer and the members
  its health checks took out of rotation; either change renders the ruleset again
  and hands it to the amphora driver (`apply_ruleset`), which keeps it with the
  amphora (re-loaded on adoption after a controller restart).
"""
import errno
import logging
import shutil
import socket
import subprocess
import threading

from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import nft_render

LOG = logging.getLogger(__name__)
NFT_TIMEOUT = 30
# A NAT chain in a table of its own, checked (-c) and never committed.
PROBE_RULESET = ('add table ip heat_lbaas_probe\n'
                 'add chain ip heat_lbaas_probe prerouting { type nat hook prerouting '
                 'priority dstnat; policy accept; }\n')
SCTP = 132


def nft_binary():
    return shutil.which('nft') or '/usr/sbin/nft'


def _nft(argv_prefix, text):
    return subprocess.run(list(argv_prefix) + [nft_binary(), '-f', '-'], input=text,
                          capture_output=True, text=True, timeout=NFT_TIMEOUT)


def check(text, argv_prefix=()):
    """None if `nft -c` accepts the ruleset text, else nft's complaint."""
    try:
        result = subprocess.run(list(argv_prefix) + [nft_binary(), '-c', '-f', '-'],
                                input=text, capture_output=True, text=True,
                                timeout=NFT_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    return None if result.returncode == 0 else (result.stderr or result.stdout).strip()


def probe_udp(topology):
    """Why UDP listeners are not served here (None: they are): namespace mode with
    nf_tables NAT. Asked once, at start."""
    if topology is None:
        return ('UDP listeners are served by nftables in the amphora\'s network '
                'namespace, and this controller runs amphora_network = loopback')
    problem = check(PROBE_RULESET)
    if problem is not None:
        return 'nftables NAT does not work on this machine (nft -c: %s)' % problem
    return None


def probe_sctp():
    """Why SCTP listeners are not served here: never, so far; the reason says
    whether the kernel could at least open SCTP sockets."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM, SCTP).close()
    except OSError as error:
        if error.errno in (errno.EPROTONOSUPPORT, errno.ESOCKTNOSUPPORT):
            return 'this kernel has no SCTP (socket() says %s)' % (
                errno.errorcode[error.errno])
        return 'SCTP sockets cannot be opened here (%s)' % error
    return ('SCTP load balancing needs IPVS, which this kernel lacks, and SCTP '
            'health checks, which are not written')


def load(topology, amphora_id, text):
    """Load the ruleset text in the amphora's namespace (one nft transaction);
    raises AmphoraError with nft's complaint, the previous ruleset staying."""
    try:
        forwarding = topology.run(amphora_id, ['sysctl', '-q', '-w',
                                               'net.ipv4.ip_forward=1'],
                                  capture_output=True, text=True, timeout=NFT_TIMEOUT)
        if forwarding.returncode != 0:
            raise driver_base.AmphoraError('enabling forwarding in the namespace of %s '
                                           'failed: %s' % (amphora_id,
                                                           forwarding.stderr.strip()))
        result = _nft(topology.command(amphora_id, []), text)
    except (OSError, subprocess.SubprocessError) as error:
        raise driver_base.AmphoraError('nft failed: %s' % error)
    if result.returncode != 0:
        raise driver_base.AmphoraError('nft refused the UDP ruleset of %s: %s' % (
            amphora_id, (result.stderr or result.stdout).strip()))


class UdpDataplane:
    """What the UDP rulesets serve, shared by the worker (a change applied) and the
    health monitor (a member in or out of rotation)."""

    def __init__(self, driver):
        self.driver = driver
        self._lock = threading.Lock()
        self._trees = {}        # lb id -> the tree last served
        self._out = {}          # lb id -> frozenset of member ids out of rotation

    def serve(self, tree):
        """Render and apply the ruleset of `tree` (the worker's, before the HAProxy
        configuration: a load balancer with UDP listeners only keeps its namespace
        for it). Raises AmphoraError, the previous ruleset serving."""
        lb_id = tree.loadbalancer['id']
        with self._lock:
            out = self._out.get(lb_id, frozenset())
            self.driver.apply_ruleset(lb_id, nft_render.render(tree, out))
            if nft_render.has_udp_listeners(tree):
                self._trees[lb_id] = tree
            else:
                self._trees.pop(lb_id, None)
                self._out.pop(lb_id, None)

    def adopt(self, tree, out_of_rotation):
        """After a controller restart: the driver re-loaded the ruleset kept with the
        amphora; remember what it serves and who its checks had taken out."""
        if nft_render.has_udp_listeners(tree):
            with self._lock:
                self._trees[tree.loadbalancer['id']] = tree
                self._out[tree.loadbalancer['id']] = frozenset(out_of_rotation)

    def set_out_of_rotation(self, lb_id, member_ids):
        """Take exactly `member_ids` out of the rotation (the health checks' verdict);
        the ruleset is rendered again only when that changes."""
        member_ids = frozenset(member_ids)
        with self._lock:
            tree = self._trees.get(lb_id)
            if tree is None or self._out.get(lb_id, frozenset()) == member_ids:
                return
            self.driver.apply_ruleset(lb_id, nft_render.render(tree, member_ids))
            self._out[lb_id] = member_ids
            LOG.info('Load balancer %s: UDP members out of rotation: %s', lb_id,
                     ', '.join(sorted(member_ids)) or 'none')

    def withdraw(self, lb_id):
        """Serve no ruleset (a first change that failed)."""
        with self._lock:
            self.driver.apply_ruleset(lb_id, None)
            self._trees.pop(lb_id, None)
            self._out.pop(lb_id, None)

    def lb_ids(self):
        with self._lock:
            return set(self._trees)

    def forget(self, lb_id):
        with self._lock:
            self._trees.pop(lb_id, None)
            self._out.pop(lb_id, None)
