"""Each amphora is one HAProxy process in master-worker mode on the host.

Start: `haproxy -W -S <master socket> -p <pid file> -f haproxy.cfg`, a child of the
controller in its own session. Change: the new file is checked with `haproxy -c`
first, then `reload` on the master socket starts new workers that take over the
listening sockets (`expose-fd listeners`) while old workers finish their
connections, so a reload drops nothing. Stop: SIGTERM to the master, by PID.

The masters outlive the controller (their own session; the controller's stop leaves
them serving, like Octavia's amphorae outlive its control plane). A new controller
adopts a running master (`adopt`), and starts a stopped one from haproxy.cfg, which
only ever holds the last configuration HAProxy accepted.

With a `topology` (amphora_network = namespace, amphora/netns.py) each master runs
in the controller's (the host's) network namespace and only its listeners are in the
amphora's namespace (`bind <vip>:<port> namespace <amphora namespace>`, added to
every bind line here), created with the VIP on it before the configuration is
checked and removed with the amphora. Members and health checks are reached from the
host directly. (HAProxy 2.6 closes its namespace descriptors when a worker
soft-stops, so a worker draining its connections after a reload could no longer
open a connection in any namespace but its own: member connections must need none.)
"""
import errno
import hashlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from heat_lbaas.controller.amphora import death_watch
from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import netns
from heat_lbaas.controller.amphora import nft_render
from heat_lbaas.controller.amphora import private_dir
from heat_lbaas.controller.amphora import udp_dataplane
from heat_lbaas.controller.amphora import unix_socket

LOG = logging.getLogger(__name__)
# HAProxy runs external checks as `<command> <proxy addr> <proxy port> <server addr>
# <server port>` with an empty environment, hence the absolute path of ping.
PING_CHECK = '''#!/bin/sh
exec %s -c 1 -W 1 -q "$3" >/dev/null 2>&1
'''
VIP_FILE = 'vip'
# The nftables ruleset of the amphora's UDP listeners (udp_dataplane.py), as loaded.
RULESET_FILE = 'udp.nft'
MASTER_LINE = re.compile(r'^(\d+)\s+master\s+(\d+)\s+\[failed:\s*(\d+)\]', re.M)
WORKER_LINE = re.compile(r'^(\d+)\s+worker\s+(\d+)', re.M)
# Between two looks at a reloading master: a reload takes about 30 ms, and each look
# is two exchanges on its socket and a held statistics reading (no database).
RELOAD_POLL_SECONDS = 0.005
# The template writes every listener as `    bind <address>:<port>[ options]`.
BIND_LINE = re.compile(r'^(    bind \S+)', re.M)


def listeners_in_namespace(config_text, namespace):
    """`config_text` with every listener bound in the network namespace `namespace`
    (HAProxy's bind option `namespace`), the rest of the process staying where it
    runs."""
    return BIND_LINE.sub(lambda line: '%s namespace %s' % (line.group(1), namespace),
                         config_text)


def _network_namespace(pid):
    """(device, inode) of the network namespace process `pid` runs in, or None."""
    try:
        found = os.stat('/proc/%s/ns/net' % pid)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _digest(config_text):
    return hashlib.sha256(config_text.encode()).hexdigest()


def _raise_if_out_of_descriptors(error):
    """Not being able to look is not "not running": taking a live amphora for a dead
    one would start a second master over its sockets."""
    if error.errno in (errno.EMFILE, errno.ENFILE):
        raise error


def _live_start_ticks(pid):
    """The start time (clock ticks since boot) of process `pid` if it lives and is not
    a zombie, else None."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
    except OSError as error:
        _raise_if_out_of_descriptors(error)
        return None
    except IndexError:
        return None
    return None if fields[0] == 'Z' else fields[19]


class HaproxyProcessDriver(driver_base.AmphoraDriver):
    def __init__(self, state_dir, haproxy_binary='haproxy', timeout=15.0,
                 topology=None):
        self.amphorae_dir = os.path.join(state_dir, 'amphorae')
        os.makedirs(self.amphorae_dir, exist_ok=True)
        # Unix socket paths are limited to 107 bytes; a deep state_dir would
        # exceed it, so sockets live in a short directory derived from it.
        digest = hashlib.sha1(os.path.abspath(state_dir).encode(),
                              usedforsecurity=False).hexdigest()[:10]
        self.socket_dir = os.path.join(tempfile.gettempdir(), 'hlb-%s' % digest)
        private_dir.ensure(self.socket_dir)
        self.binary = haproxy_binary
        self.timeout = timeout
        self._children = {}
        # netns.NamespaceTopology, or None: every master in the controller's namespace.
        self.topology = topology
        # Adopted amphorae: their first apply reloads only if the configuration changed.
        self._adopted = set()
        self._ping_command = self._write_ping_check(state_dir)
        # watch_exits: a master that exits unasked is reported at once.
        self._exits = None

    def watch_exits(self, on_exit):
        """Call on_exit(lb_id) as soon as a master this driver runs exits without
        being stopped by it (until stop_watching)."""
        self._exits = death_watch.DeathWatch(on_exit)

    def stop_watching(self):
        if self._exits is not None:
            self._exits.stop()
            self._exits = None

    def _watch(self, lb_id, pid):
        if self._exits is not None and pid:
            self._exits.watch(lb_id, pid)

    @staticmethod
    def _write_ping_check(state_dir):
        # The same in both topologies: HAProxy, and so its external checks, runs in
        # the host's namespace, where the members are.
        path = os.path.join(state_dir, 'ping-check')
        with open(path, 'w') as script:
            script.write(PING_CHECK % (shutil.which('ping') or '/usr/bin/ping'))
        os.chmod(path, 0o700)   # run by HAProxy, which runs as the controller's user
        return path

    @property
    def ping_command(self):
        return self._ping_command

    def _placed(self, lb_id, config_text):
        """The configuration as this amphora runs it: with namespaces, its listeners
        in the amphora's namespace."""
        if self.topology is None or config_text is None:
            return config_text
        return listeners_in_namespace(config_text, self.topology.name_of(lb_id))

    def place_vip(self, lb_id, vip_address):
        if self.topology is None:
            return      # loopback: the address is routed to lo already
        # Kept with the amphora, for a start after a controller restart (adopt).
        os.makedirs(self._dir(lb_id), exist_ok=True)
        with open(self._vip_path(lb_id), 'w') as vip:
            vip.write(vip_address)

    def _vip_path(self, lb_id):
        return os.path.join(self._dir(lb_id), VIP_FILE)

    def _prepare_namespace(self, lb_id):
        """The amphora's namespace with its VIP, before its master starts."""
        try:
            with open(self._vip_path(lb_id)) as vip:
                vip_address = vip.read().strip()
        except OSError:
            raise driver_base.AmphoraError('No VIP placed for amphora %s' % lb_id)
        try:
            self.topology.create_amphora(lb_id)
            self.topology.add_vip(lb_id, vip_address)
        except netns.TopologyError as error:
            raise driver_base.AmphoraError(str(error))

    def _in_controller_namespace(self, pid):
        """Whether the master `pid` runs in the controller's network namespace, as
        masters do since only their listeners are in the amphora's; an earlier
        version ran the whole master inside it."""
        return _network_namespace(pid) == _network_namespace('self')

    def _release_namespace(self, lb_id, unless_ruleset=False):
        """Remove the amphora's namespace; with `unless_ruleset`, not while a UDP
        ruleset serves in it (a load balancer with UDP listeners only runs no
        HAProxy and still needs its namespace and VIP)."""
        if unless_ruleset and os.path.exists(self._ruleset_path(lb_id)):
            return
        if self.topology is not None:
            try:
                self.topology.remove_amphora(lb_id)
            except netns.TopologyError as error:
                raise driver_base.AmphoraError(str(error))

    def sweep(self, lb_ids):
        if self.topology is not None:
            self.topology.sweep(keep=set(lb_ids))

    def stage_file(self, lb_id, name, data):
        os.makedirs(self._dir(lb_id), exist_ok=True)
        path = os.path.join(self._dir(lb_id), name)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, 'wb') as staged:
            staged.write(data)
        return path

    # --- paths -----------------------------------------------------------------

    def _dir(self, lb_id):
        return os.path.join(self.amphorae_dir, lb_id)

    def config_path(self, lb_id):
        return os.path.join(self._dir(lb_id), 'haproxy.cfg')

    def pid_path(self, lb_id):
        return os.path.join(self._dir(lb_id), 'haproxy.pid')

    def master_socket_path(self, lb_id):
        return os.path.join(self.socket_dir, lb_id + '.master')

    def stats_socket_path(self, lb_id):
        return os.path.join(self.socket_dir, lb_id + '.stats')

    # --- state -----------------------------------------------------------------

    def incarnation(self, lb_id):
        """'<pid>/<start ticks>' of the running master: with the PID, the start time
        names one process for good (PIDs are reused, not with the same start time)."""
        # master_pid first: it records a master found by HAProxy's pid file (started
        # before the controller kept records), which then has an incarnation too.
        pid = self.master_pid(lb_id)
        record = self._master_record(lb_id) if pid is not None else None
        return '%d/%s' % record if record is not None and record[0] == pid else None

    def master_pid(self, lb_id):
        """PID of the running master of this amphora, or None.

        The controller records the master it started (PID and start time) instead of
        trusting HAProxy's pid file: while the master re-executes itself for a reload,
        its pid file is briefly missing or empty and its command line empty, and a
        master taken for gone then would be failed over, or its workers' counters
        folded in and counted again."""
        record = self._master_record(lb_id)
        if record is None:
            return self._master_of_pid_file(lb_id)
        pid, ticks = record
        child = self._children.get(lb_id)
        if child is not None and child.pid == pid and child.poll() is not None:
            return None
        return pid if _live_start_ticks(pid) == ticks else None

    def _master_record_path(self, lb_id):
        return os.path.join(self._dir(lb_id), 'master')

    def _master_record(self, lb_id):
        """(PID, start ticks) of the master the controller started, or None."""
        try:
            with open(self._master_record_path(lb_id)) as record:
                pid, ticks = record.read().split()
            return int(pid), ticks
        except OSError as error:
            _raise_if_out_of_descriptors(error)
            return None
        except ValueError:
            return None

    def _record_master(self, lb_id, pid):
        ticks = _live_start_ticks(pid)
        if ticks is None:
            return
        path = self._master_record_path(lb_id)
        with open(path + '.new', 'w') as record:
            record.write('%d %s\n' % (pid, ticks))
        os.replace(path + '.new', path)

    def _master_of_pid_file(self, lb_id):
        """The master named by HAProxy's pid file, if it runs this amphora's config:
        an amphora started before the controller kept its own record. Once found it
        is recorded."""
        try:
            with open(self.pid_path(lb_id)) as pid_file:
                pid = int(pid_file.read().split()[0])
        except OSError as error:
            _raise_if_out_of_descriptors(error)
            return None
        except (ValueError, IndexError):
            return None
        try:
            with open('/proc/%d/cmdline' % pid, 'rb') as cmdline:
                words = cmdline.read().split(b'\0')
        except OSError as error:
            _raise_if_out_of_descriptors(error)
            return None
        # A recycled PID is not ours: it must be haproxy running this config.
        if _live_start_ticks(pid) is None or self.config_path(lb_id).encode() not in words:
            return None
        self._record_master(lb_id, pid)
        return pid

    def _show_proc(self, lb_id):
        try:
            text = unix_socket.exchange(self.master_socket_path(lb_id), 'show proc',
                                        timeout=2)
        except OSError:
            return None
        master = MASTER_LINE.search(text)
        if not master:
            return None
        return {'reloads': int(master.group(2)), 'failed': int(master.group(3)),
                'workers': [int(w) for w, _ in WORKER_LINE.findall(text)]}

    # --- changes ---------------------------------------------------------------

    def _check(self, path):
        result = subprocess.run([self.binary, '-c', '-f', path],
                                capture_output=True, text=True)
        if result.returncode != 0:
            problems = [line for line in (result.stdout + result.stderr).splitlines()
                        if 'ALERT' in line or 'rror' in line]
            raise driver_base.AmphoraError(
                'haproxy -c rejected the configuration: %s'
                % ' | '.join(problems or [result.stderr.strip()]))

    def _installed(self, lb_id):
        """The configuration in haproxy.cfg, or None."""
        try:
            with open(self.config_path(lb_id)) as config_file:
                return config_file.read()
        except OSError:
            return None

    def _install(self, lb_id, config_text):
        """Make `config_text` the amphora's configuration once haproxy -c accepts it;
        returns the previous one (None if there was none)."""
        os.makedirs(self._dir(lb_id), exist_ok=True)
        previous = self._installed(lb_id)
        candidate = self.config_path(lb_id) + '.new'
        with open(candidate, 'w') as config_file:
            config_file.write(config_text)
        if self.topology is not None:
            # haproxy -c opens the namespaces the bind lines name.
            self._prepare_namespace(lb_id)
        self._check(candidate)
        os.replace(candidate, self.config_path(lb_id))
        return previous

    def _restore(self, lb_id, previous):
        """Put back the configuration that serves after HAProxy refused a new one, so
        haproxy.cfg is what a restarted controller starts (the last good one)."""
        if previous is None:
            os.unlink(self.config_path(lb_id))
            return
        with open(self.config_path(lb_id) + '.new', 'w') as config_file:
            config_file.write(previous)
        os.replace(self.config_path(lb_id) + '.new', self.config_path(lb_id))

    def apply(self, lb_id, config_text):
        if config_text is None:
            self._before_replacing(lb_id)
            self._stop(lb_id)
            self._release_namespace(lb_id, unless_ruleset=True)
            # Nothing to serve: a restarted controller must not start it again.
            for path in (self.config_path(lb_id), self._served_path(lb_id)):
                if os.path.exists(path):
                    os.unlink(path)
            return
        config_text = self._placed(lb_id, config_text)
        adopted = lb_id in self._adopted
        self._adopted.discard(lb_id)
        running = self.master_pid(lb_id)
        if adopted and running and self._served_digest(lb_id) == _digest(config_text):
            return      # what the adopted master serves already
        previous = self._install(lb_id, config_text)
        # haproxy -c takes a while: a master that died meanwhile is replaced by a start
        # instead of failing the change on a reload it can no longer do.
        running = self.master_pid(lb_id)
        try:
            if running:
                self._reload(lb_id)
                self._mark_served(lb_id)
            else:
                self._start_afresh(lb_id)
        except driver_base.AmphoraError:
            self._restore(lb_id, previous)
            raise

    # --- the UDP data plane ------------------------------------------------------

    def _ruleset_path(self, lb_id):
        return os.path.join(self._dir(lb_id), RULESET_FILE)

    def apply_ruleset(self, lb_id, ruleset):
        """Load the UDP listeners' nftables ruleset in the amphora's namespace
        (created with its VIP if need be) and keep it for adoption; None removes our
        table. Raises AmphoraError, the previous ruleset serving."""
        path = self._ruleset_path(lb_id)
        if ruleset is None:
            if os.path.exists(path):
                if self.topology is not None and lb_id in self.topology.namespaces():
                    udp_dataplane.load(self.topology, lb_id,
                                       nft_render.removal())
                os.unlink(path)
            return
        if self.topology is None:
            raise driver_base.AmphoraError('UDP listeners need amphora_network = '
                                           'namespace')
        os.makedirs(self._dir(lb_id), exist_ok=True)
        self._prepare_namespace(lb_id)
        udp_dataplane.load(self.topology, lb_id, ruleset)
        with open(path + '.new', 'w') as kept:
            kept.write(ruleset)
        os.replace(path + '.new', path)

    def _reload_ruleset(self, lb_id):
        """After a controller restart (or heat-lbaas-amphorae stop): the kept ruleset
        loaded again. The same text replaces the same table in one transaction, so
        flows already NATed keep going."""
        try:
            with open(self._ruleset_path(lb_id)) as kept:
                ruleset = kept.read()
        except FileNotFoundError:
            return
        self._prepare_namespace(lb_id)
        udp_dataplane.load(self.topology, lb_id, ruleset)
        LOG.info('Amphora of load balancer %s: UDP ruleset loaded again', lb_id)

    def _served_path(self, lb_id):
        return os.path.join(self._dir(lb_id), 'haproxy.cfg.served')

    def _served_digest(self, lb_id):
        """Digest of the configuration the master last loaded: haproxy.cfg is replaced
        just before a reload, so a controller killed in between would otherwise take
        the new file for what serves."""
        try:
            with open(self._served_path(lb_id)) as served:
                return served.read().strip()
        except OSError:
            return None

    def _mark_served(self, lb_id):
        with open(self._served_path(lb_id), 'w') as served:
            served.write(_digest(self._installed(lb_id) or ''))

    def _start_afresh(self, lb_id):
        """A new master from haproxy.cfg, once what the previous one left (pid file,
        sockets, workers of a dead or killed master) is cleared."""
        self._stop(lb_id)
        self._start(lb_id)
        self._mark_served(lb_id)

    def adopt(self, lb_id):
        """After a controller restart: keep this amphora's running master (its pid file
        names a live haproxy whose command line has this amphora's haproxy.cfg), else
        start one from haproxy.cfg, the last configuration HAProxy accepted.

        Returns the master PID, or None if there is no configuration to serve.
        Raises AmphoraError if HAProxy does not start."""
        if self.topology is not None:
            self._reload_ruleset(lb_id)
        pid = self.master_pid(lb_id)
        if pid and self.topology is not None and not self._in_controller_namespace(pid):
            # Its configuration reaches members through a host namespace name that
            # is no longer made: stopped, and rendered again by the caller.
            LOG.warning('Amphora of load balancer %s runs inside its namespace (an '
                        'earlier layout): restarting it', lb_id)
            self._stop(lb_id)
            self._adopted.discard(lb_id)
            return None
        if pid:
            LOG.info('Amphora of load balancer %s adopted (pid %s)', lb_id, pid)
            self._watch(lb_id, pid)
        elif self._installed(lb_id) is not None:
            self._start_afresh(lb_id)
            pid = self.master_pid(lb_id)
        self._adopted.add(lb_id)
        return pid

    def restart(self, lb_id, config_text):
        # The configuration is checked before the old process goes, so a failover
        # never trades a running amphora for one that cannot start.
        self._adopted.discard(lb_id)
        # A master that died is replaced from the configuration it served without
        # checking it again (haproxy -c takes about 0.1 s of the outage).
        if config_text is None:
            self._before_replacing(lb_id)
            self._stop(lb_id)
            self._release_namespace(lb_id, unless_ruleset=True)
            return
        config_text = self._placed(lb_id, config_text)
        if config_text != self._installed(lb_id):
            self._install(lb_id, config_text)
        self._before_replacing(lb_id)
        self._start_afresh(lb_id)

    def crashed(self, lb_id):
        # The master is recorded when it starts and only _stop removes the record, so
        # a record (or a pid file) without a live master means it died untold.
        return ((os.path.exists(self._master_record_path(lb_id))
                 or os.path.exists(self.pid_path(lb_id)))
                and self.master_pid(lb_id) is None)

    def reload_count(self, lb_id):
        """Reloads the running master has done since it started, or None."""
        state = self._show_proc(lb_id)
        return state and state['reloads']

    def _start(self, lb_id):
        for stale in (self.master_socket_path(lb_id), self.stats_socket_path(lb_id)):
            if os.path.exists(stale):
                os.unlink(stale)
        log_path = os.path.join(self._dir(lb_id), 'haproxy.log')
        argv = [self.binary, '-W', '-S', self.master_socket_path(lb_id),
                '-p', self.pid_path(lb_id), '-f', self.config_path(lb_id)]
        if self.topology is not None:
            # Recreates what is missing of it (after heat-lbaas-amphorae stop).
            self._prepare_namespace(lb_id)
        with open(log_path, 'ab') as log:
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True, close_fds=True)
        self._children[lb_id] = child
        self._record_master(lb_id, child.pid)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if child.poll() is not None:
                self._stop(lb_id)
                raise driver_base.AmphoraError(
                    'HAProxy exited at start (code %s): %s'
                    % (child.returncode, self._log_tail(log_path)))
            state = self._show_proc(lb_id)
            if state and state['workers']:
                LOG.info('Amphora of load balancer %s started (pid %s)', lb_id, child.pid)
                self._watch(lb_id, child.pid)
                return
            time.sleep(0.02)
        self._stop(lb_id)
        raise driver_base.AmphoraError('HAProxy did not start within %ss' % self.timeout)

    def _reload(self, lb_id):
        before = self._show_proc(lb_id)
        if before is None:
            raise driver_base.AmphoraError('The master socket of %s does not answer'
                                           % lb_id)
        self._before_replacing(lb_id)
        try:
            unix_socket.exchange(self.master_socket_path(lb_id), 'reload', timeout=2)
        except OSError:
            pass    # the master closes the socket as it re-executes itself
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            state = self._show_proc(lb_id)
            if state and state['reloads'] > before['reloads'] and state['workers']:
                if state['failed'] > before['failed']:
                    raise driver_base.AmphoraError(
                        'HAProxy refused the new configuration at reload: %s'
                        % self._log_tail(os.path.join(self._dir(lb_id), 'haproxy.log')))
                return
            # The old worker serves until the new ones are ready, then exits as soon
            # as its connections end: its counters are read until then.
            self._before_replacing(lb_id, hold=True)
            time.sleep(RELOAD_POLL_SECONDS)
        raise driver_base.AmphoraError('HAProxy did not reload within %ss' % self.timeout)

    @staticmethod
    def _log_tail(path, lines=5):
        try:
            with open(path, errors='replace') as log:
                return ' | '.join(log.read().splitlines()[-lines:])
        except OSError:
            return '(no log)'

    def _stop(self, lb_id):
        if self._exits is not None:
            self._exits.forget(lb_id)
        pid = self.master_pid(lb_id)
        if pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + self.timeout
            while self.master_pid(lb_id) and time.monotonic() < deadline:
                self._reap(lb_id)
                time.sleep(0.01)
            if self.master_pid(lb_id):
                os.kill(pid, signal.SIGKILL)
        self._reap(lb_id, wait=True)
        self._end_orphaned_workers(lb_id)
        for path in (self._master_record_path(lb_id), self.pid_path(lb_id),
                     self.master_socket_path(lb_id), self.stats_socket_path(lb_id)):
            if os.path.exists(path):
                os.unlink(path)

    def _processes_of(self, lb_id):
        """PIDs of live (not zombie) haproxy processes running this amphora's config."""
        config = self.config_path(lb_id).encode()
        pids = []
        for name in os.listdir('/proc'):
            if not name.isdigit():
                continue
            try:
                with open('/proc/%s/cmdline' % name, 'rb') as cmdline:
                    words = cmdline.read().split(b'\0')
                with open('/proc/%s/stat' % name) as stat:
                    zombie = stat.read().rsplit(')', 1)[1].split()[0] == 'Z'
            except (OSError, IndexError):
                continue
            if config in words and not zombie:
                pids.append(int(name))
        return pids

    def _end_orphaned_workers(self, lb_id):
        """Wait for workers whose master died (kill -9) to leave, as they do within
        about a second: until then they hold the VIP ports a new master must bind."""
        deadline = time.monotonic() + self.timeout
        while self._processes_of(lb_id):
            if time.monotonic() > deadline:
                for pid in self._processes_of(lb_id):
                    LOG.warning('Killing HAProxy process %s of %s left by its master',
                                pid, lb_id)
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                break
            time.sleep(0.02)

    def _reap(self, lb_id, wait=False):
        child = self._children.get(lb_id)
        if child is None:
            return
        if wait:
            try:
                child.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            self._children.pop(lb_id, None)
        else:
            child.poll()

    def remove(self, lb_id):
        self._stop(lb_id)
        self._release_namespace(lb_id)
        directory = self._dir(lb_id)
        if os.path.isdir(directory):
            for name in os.listdir(directory):
                os.unlink(os.path.join(directory, name))
            os.rmdir(directory)

    def query(self, lb_id, command):
        if not self.master_pid(lb_id):
            return None
        try:
            return unix_socket.exchange(self.stats_socket_path(lb_id), command)
        except OSError:
            return None

    def process_stats(self, lb_id):
        """Each live worker of the master, current or left draining by a reload, as
        the master lists them (`show proc`: the /proc children listing skips a child
        when another exits while it is read, and a worker wrongly taken for gone is
        counted twice when it shows up again), read through the master socket
        (`@!<pid> show stat`: an old worker's stats socket is closed). None while the
        master re-executes itself for a reload (its socket is closed): nobody can
        tell then which workers live, and the next reading will."""
        incarnation = self.incarnation(lb_id)
        if incarnation is None:
            return {}
        state = self._show_proc(lb_id)
        if state is None:
            return None
        readings = {}
        for pid in state['workers']:
            try:
                readings[str(pid)] = unix_socket.exchange(
                    self.master_socket_path(lb_id), '@!%s show stat' % pid, timeout=2)
            except OSError:
                readings[str(pid)] = None
        return {incarnation: readings}

    def running_ids(self):
        if not os.path.isdir(self.amphorae_dir):
            return []
        return [lb_id for lb_id in os.listdir(self.amphorae_dir)
                if self.master_pid(lb_id)]

    def stop_all(self):
        for lb_id in self.running_ids():
            self._stop(lb_id)
        if self.topology is not None:
            # Namespaces, veths, the bridge and the host namespace's name.
            self.topology.teardown()
        # The socket directory lives in /tmp; leave nothing there once all is stopped.
        try:
            os.rmdir(self.socket_dir)
        except OSError:
            pass    # not empty: sockets of amphorae this process did not stop
