"""ACTIVE_STANDBY load balancers: two amphorae, each an HAProxy in its own network
namespace with a keepalived beside it, VRRP moving the VIP between them (Octavia's
ACTIVE_STANDBY topology).

Each amphora is run by an HaproxyProcessDriver keyed by the amphora's id (so it has
its own namespace, directory, sockets and death watch), over the namespace topology
with one difference: the VIP is keepalived's to place (`_KeepalivedPlacesVips`), on
whichever amphora is MASTER. The pair's ids, roles, virtual_router_id and password are
kept in `<state_dir>/active-standby/groups/<lb id>.json` (vrrp_group.py decides
them), so a restarted controller adopts the same amphorae.

- apply: the same HAProxy configuration reaches both amphorae (a reload each, which
  drops nothing), then each keepalived gets its configuration (reloaded only when it
  changed: a peer or a priority).
- restart (failover): every amphora that is down (its HAProxy or its keepalived not
  running) is rebuilt as a new amphora, the new BACKUP; the survivor, which holds the
  VIP by then, becomes MASTER. With none down (an API failover), each amphora is
  rebuilt in turn, the BACKUP first, as Octavia's load balancer failover does; an
  amphora failover names the one amphora to rebuild (request_amphora_failover).
"""
import dataclasses
import json
import logging
import os
import pwd
import time
import uuid

from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import haproxy_process
from heat_lbaas.controller.amphora import keepalived_process
from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import netns
from heat_lbaas.controller.amphora import vrrp_group
from heat_lbaas.controller.db import store as store_module

LOG = logging.getLogger(__name__)


class _KeepalivedPlacesVips:
    """The namespace topology as the amphorae of a pair use it: keepalived places the
    VIP, and the bridge and the sweep of unknown namespaces belong to the driver of
    SINGLE amphorae (per_topology.PerTopologyDriver asks it to keep these)."""

    def __init__(self, topology):
        self._topology = topology

    def __getattr__(self, name):
        return getattr(self._topology, name)

    def add_vip(self, amphora_id, address):
        pass

    def sweep(self, keep=()):
        return []

    def teardown(self):
        pass


@dataclasses.dataclass(frozen=True)
class AmphoraState:
    """What the amphora API shows of one amphora of a pair."""
    amphora_id: str
    role: str
    vrrp_ip: str
    vrrp_priority: int
    vrrp_id: int
    vrrp_interface: str
    ha_ip: str
    holds_vip: bool
    created_at: str


class ActiveStandbyDriver(driver_base.AmphoraDriver):
    def __init__(self, state_dir, topology, timing, haproxy_binary='haproxy',
                 keepalived_binary='keepalived', timeout=15.0):
        self.base_dir = os.path.join(state_dir, 'active-standby')
        self.groups_dir = os.path.join(self.base_dir, 'groups')
        self.files_dir = os.path.join(self.base_dir, 'files')
        os.makedirs(self.groups_dir, exist_ok=True)
        self.topology = topology
        self.timing = timing
        self.keepalived_binary = keepalived_binary
        self.haproxy = haproxy_process.HaproxyProcessDriver(
            self.base_dir, haproxy_binary, timeout, topology=_KeepalivedPlacesVips(topology))
        self.script_user = pwd.getpwuid(os.geteuid()).pw_name
        self._vips = {}
        self._amphora_failovers = {}    # lb id -> amphora id asked to fail over
        self._before_replacing_hook = None

    # --- the group record --------------------------------------------------------

    def _group_path(self, lb_id):
        return os.path.join(self.groups_dir, lb_id + '.json')

    def group(self, lb_id):
        try:
            with open(self._group_path(lb_id)) as record:
                return json.load(record)
        except (OSError, ValueError):
            return None

    def _save(self, lb_id, group):
        temporary = self._group_path(lb_id) + '.new'
        with open(temporary, 'w') as record:
            json.dump(group, record)
        os.replace(temporary, self._group_path(lb_id))

    def lb_ids(self):
        return [name[:-len('.json')] for name in os.listdir(self.groups_dir)
                if name.endswith('.json')]

    def amphora_ids(self):
        return {a['id'] for lb_id in self.lb_ids() for a in
                (self.group(lb_id) or {'amphorae': []})['amphorae']}

    def _group_for_change(self, lb_id):
        group = self.group(lb_id)
        if group is None:
            taken = {g['vrrp_id'] for g in map(self.group, self.lb_ids()) if g}
            group = vrrp_group.new_group(taken, str(uuid.uuid4()), str(uuid.uuid4()))
            group['created_at'] = {a['id']: store_module.utcnow()
                                   for a in group['amphorae']}
        vip = self._vips.get(lb_id)
        if vip and group.get('vip') != vip:
            group['vip'] = vip
        if not group.get('vip'):
            raise driver_base.AmphoraError('No VIP placed for load balancer %s' % lb_id)
        self._save(lb_id, group)
        return group

    # --- per amphora ---------------------------------------------------------------

    def _keepalived(self, amphora_id):
        directory = os.path.dirname(self.haproxy.config_path(amphora_id))
        return keepalived_process.Keepalived(directory,
                                             self.topology.name_of(amphora_id),
                                             self.keepalived_binary)

    def _vrrp_amphora(self, group, amphora_id):
        namespace = self.topology.namespaces().get(amphora_id)
        if namespace is None:
            raise driver_base.AmphoraError('amphora %s has no namespace' % amphora_id)
        return keepalived_render.VrrpAmphora(
            amphora_id=amphora_id, role=vrrp_group.role_of(group, amphora_id),
            vrrp_ip=namespace.address, interface=netns.INSIDE_DEVICE,
            stats_socket=self.haproxy.stats_socket_path(amphora_id))

    def _keepalived_config(self, lb_id, group, amphora_id):
        peer = vrrp_group.peer_of(group, amphora_id)
        return keepalived_render.render(
            lb_id, group['vrrp_id'], group['auth_pass'], group['vip'], 32,
            self._vrrp_amphora(group, amphora_id), [self._vrrp_amphora(group, peer)],
            self.timing, self.script_user)

    def _configure_keepalived(self, lb_id, group, amphora_id):
        """Start or reload the amphora's keepalived; whether it was started."""
        keepalived = self._keepalived(amphora_id)
        text = self._keepalived_config(lb_id, group, amphora_id)
        try:
            with open(keepalived.config_path) as current:
                unchanged = current.read() == text
        except OSError:
            unchanged = False
        running = keepalived.pid()
        if unchanged and running:
            return False
        keepalived.apply(text)
        return not running

    def _configure_pair(self, lb_id, group):
        """Each amphora's keepalived, the MASTER's first. Both start as BACKUP and
        nopreempt leaves the VIP wherever it lands first (the two priorities' skews
        differ by 20 ms, their first checks by up to a check interval), so a MASTER
        just started is let take the VIP before its peer starts."""
        for amphora in group['amphorae']:
            started = self._configure_keepalived(lb_id, group, amphora['id'])
            if started and amphora['role'] == vrrp_group.MASTER:
                self._wait_for_vip(group, amphora['id'])

    def _haproxy_config(self, lb_id, amphora_id, config_text):
        """The load balancer's configuration with the amphora's own stats socket."""
        shared = 'stats socket %s ' % self.stats_socket_path(lb_id)
        if shared not in config_text:
            raise driver_base.AmphoraError('the configuration has no stats socket %s'
                                           % self.stats_socket_path(lb_id))
        return config_text.replace(
            shared, 'stats socket %s ' % self.haproxy.stats_socket_path(amphora_id))

    def _serve(self, lb_id, group, amphora_id, config_text):
        self.haproxy.place_vip(amphora_id, group['vip'])
        self.haproxy.apply(amphora_id, self._haproxy_config(lb_id, amphora_id,
                                                            config_text))

    def _down(self, amphora_id):
        """HAProxy or keepalived of a serving amphora is not running."""
        if not os.path.exists(self.haproxy.config_path(amphora_id)):
            return False
        keepalived = self._keepalived(amphora_id)
        return (self.haproxy.master_pid(amphora_id) is None
                or (os.path.exists(keepalived.config_path) and keepalived.pid() is None))

    def _retire(self, amphora_id):
        self._keepalived(amphora_id).stop()
        self.haproxy.remove(amphora_id)

    # --- the driver interface --------------------------------------------------------

    def place_vip(self, lb_id, vip_address):
        self._vips[lb_id] = vip_address

    def apply(self, lb_id, config_text):
        if config_text is None:
            group = self.group(lb_id)
            for amphora in (group or {'amphorae': []})['amphorae']:
                self._keepalived(amphora['id']).stop()
                self.haproxy.apply(amphora['id'], None)
            return
        group = self._group_for_change(lb_id)
        for amphora in group['amphorae']:
            self._serve(lb_id, group, amphora['id'], config_text)
        self._configure_pair(lb_id, group)

    def request_amphora_failover(self, lb_id, amphora_id):
        """The next restart of `lb_id` rebuilds this amphora only."""
        self._amphora_failovers[lb_id] = amphora_id

    def restart(self, lb_id, config_text):
        if config_text is None:
            self.apply(lb_id, None)
            return
        group = self._group_for_change(lb_id)
        asked = self._amphora_failovers.pop(lb_id, None)
        ids = [a['id'] for a in group['amphorae']]
        if asked in ids:
            failed = [asked]
        else:
            failed = [i for i in ids if self._down(i)] or ids[::-1]    # BACKUP first
        for amphora_id in failed:
            group = self._rebuild(lb_id, group, amphora_id, config_text)

    def _rebuild(self, lb_id, group, failed_id, config_text):
        LOG.warning('Load balancer %s: rebuilding amphora %s as the new BACKUP',
                    lb_id, failed_id)
        self._retire(failed_id)
        new_id = str(uuid.uuid4())
        group = vrrp_group.after_failover(group, failed_id, new_id)
        group['created_at'] = {amphora['id']: group['created_at'].get(amphora['id'])
                               or store_module.utcnow() for amphora in group['amphorae']}
        self._save(lb_id, group)
        self._serve(lb_id, group, new_id, config_text)
        # A keepalived reload restarts a BACKUP's wait for the dead MASTER's
        # advertisements: the survivor is promoted once it holds the VIP.
        self._wait_for_vip(group, vrrp_group.peer_of(group, new_id))
        self._configure_pair(lb_id, group)
        return group

    def _wait_for_vip(self, group, amphora_id):
        """Until the amphora holds the VIP, at most as long as a BACKUP takes to miss
        three advertisements (and some), in case it cannot take it at all."""
        deadline = time.monotonic() + 3 * float(self.timing.advert_int) + 3
        while time.monotonic() < deadline:
            try:
                if group['vip'] in self.topology.vips(amphora_id):
                    return
            except netns.TopologyError:
                return
            time.sleep(0.05)
        LOG.warning('Amphora %s did not take the VIP %s', amphora_id, group['vip'])

    # Statistics: the hook is called with the load balancer, whichever of its
    # amphorae is about to replace processes; each amphora's processes are read.
    @property
    def before_replacing(self):
        return self._before_replacing_hook

    @before_replacing.setter
    def before_replacing(self, hook):
        self._before_replacing_hook = hook
        self.haproxy.before_replacing = None if hook is None else (
            lambda amphora_id, **options: hook(self._lb_of(amphora_id), **options))

    def _lb_of(self, amphora_id):
        for lb_id in self.lb_ids():
            if amphora_id in {a['id'] for a in self.group(lb_id)['amphorae']}:
                return lb_id
        return amphora_id

    def process_stats(self, lb_id):
        """Every live process of both amphorae, by amphora incarnation: Octavia sums
        a load balancer's counters over its amphorae."""
        readings = {}
        for state in self.amphorae(lb_id):
            one = self.haproxy.process_stats(state.amphora_id)
            if one is None:
                return None
            readings.update(one)
        return readings

    def incarnation(self, lb_id):
        group = self.group(lb_id)
        return group and '/'.join(a['id'] for a in group['amphorae'])

    def amphorae(self, lb_id):
        """AmphoraState of each amphora of the pair (none before its first change)."""
        group = self.group(lb_id)
        if group is None:
            return []
        namespaces = self.topology.namespaces()
        states = []
        for amphora in group['amphorae']:
            namespace = namespaces.get(amphora['id'])
            holds = False
            if namespace is not None:
                try:
                    holds = group['vip'] in self.topology.vips(amphora['id'])
                except netns.TopologyError:
                    holds = False
            states.append(AmphoraState(
                amphora_id=amphora['id'], role=amphora['role'],
                vrrp_ip=namespace and namespace.address,
                vrrp_priority=keepalived_render.PRIORITY[amphora['role']],
                vrrp_id=group['vrrp_id'], vrrp_interface=netns.INSIDE_DEVICE,
                ha_ip=group['vip'], holds_vip=holds,
                created_at=group['created_at'][amphora['id']]))
        return states

    def watch_exits(self, on_exit):
        def exited(amphora_id):
            for lb_id in self.lb_ids():
                group = self.group(lb_id) or {'amphorae': []}
                if any(a['id'] == amphora_id for a in group['amphorae']):
                    on_exit(lb_id)
        self.haproxy.watch_exits(exited)

    def stop_watching(self):
        self.haproxy.stop_watching()

    def crashed(self, lb_id):
        group = self.group(lb_id)
        return bool(group) and any(self._down(a['id']) for a in group['amphorae'])

    def remove(self, lb_id):
        group = self.group(lb_id)
        for amphora in (group or {'amphorae': []})['amphorae']:
            self._retire(amphora['id'])
        for path in (self._group_path(lb_id),):
            if os.path.exists(path):
                os.unlink(path)
        staged = os.path.join(self.files_dir, lb_id)
        if os.path.isdir(staged):
            for name in os.listdir(staged):
                os.unlink(os.path.join(staged, name))
            os.rmdir(staged)
        self._vips.pop(lb_id, None)

    def stage_file(self, lb_id, name, data):
        # One copy both amphorae read (they share the host's file system).
        directory = os.path.join(self.files_dir, lb_id)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        path = os.path.join(directory, name)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, 'wb') as staged:
            staged.write(data)
        return path

    @property
    def ping_command(self):
        return self.haproxy.ping_command

    def stats_socket_path(self, lb_id):
        # Rendered into the load balancer's configuration, then replaced by each
        # amphora's own socket (_haproxy_config); never bound itself.
        return os.path.join(self.haproxy.socket_dir, 'lb-%s.stats' % lb_id)

    def query(self, lb_id, command):
        """Asked of the amphora holding the VIP (the one serving), else of any."""
        states = self.amphorae(lb_id)
        for state in sorted(states, key=lambda s: not s.holds_vip):
            answer = self.haproxy.query(state.amphora_id, command)
            if answer is not None:
                return answer
        return None

    def adopt(self, lb_id):
        group = self.group(lb_id)
        if group is None:
            return None
        pid = None
        for amphora in group['amphorae']:
            pid = self.haproxy.adopt(amphora['id']) or pid
        for amphora in group['amphorae']:
            keepalived = self._keepalived(amphora['id'])
            if os.path.exists(keepalived.config_path) and not keepalived.pid():
                with open(keepalived.config_path) as config_file:
                    keepalived.apply(config_file.read())
        return pid

    def master_pid(self, lb_id):
        """The HAProxy master of the amphora holding the VIP, else of any running."""
        for state in sorted(self.amphorae(lb_id), key=lambda s: not s.holds_vip):
            pid = self.haproxy.master_pid(state.amphora_id)
            if pid:
                return pid
        return None

    def running_ids(self):
        return [lb_id for lb_id in self.lb_ids()
                if any(self.haproxy.master_pid(a['id'])
                       for a in (self.group(lb_id) or {'amphorae': []})['amphorae'])]

    def stop_all(self):
        for lb_id in self.lb_ids():
            for amphora in (self.group(lb_id) or {'amphorae': []})['amphorae']:
                self._keepalived(amphora['id']).stop()
        self.haproxy.stop_all()
