"""One keepalived (VRRP only) per ACTIVE_STANDBY amphora, in the amphora's network
namespace, as Octavia runs `keepalived` inside `amphora-haproxy`.

Start: the configuration is checked with `keepalived -t` first, then
`keepalived --namespace <ns> --vrrp --dont-fork -f keepalived.conf -p <pid file>` runs
in its own session (it outlives the controller, like the amphora's HAProxy). Change:
SIGHUP, after which keepalived reads its file again and keeps its VRRP state (a
MASTER stays MASTER). Stop: SIGTERM by PID (the pid file is trusted only when
/proc/<pid>/cmdline names this amphora's configuration); keepalived then removes the
VIP it holds.
"""
import os
import signal
import subprocess
import time

from heat_lbaas.controller.amphora import driver_base


class Keepalived:
    def __init__(self, directory, namespace, binary='keepalived', timeout=15.0):
        self.directory = directory
        self.namespace = namespace
        self.binary = binary
        self.timeout = timeout
        self._child = None

    @property
    def config_path(self):
        return os.path.join(self.directory, 'keepalived.conf')

    @property
    def pid_path(self):
        return os.path.join(self.directory, 'keepalived.pid')

    @property
    def vrrp_pid_path(self):
        return os.path.join(self.directory, 'keepalived-vrrp.pid')

    @property
    def log_path(self):
        return os.path.join(self.directory, 'keepalived.log')

    def pid(self):
        """PID of this amphora's running keepalived, or None."""
        try:
            with open(self.pid_path) as pid_file:
                pid = int(pid_file.read().split()[0])
            with open('/proc/%d/cmdline' % pid, 'rb') as cmdline:
                words = cmdline.read().split(b'\0')
            with open('/proc/%d/stat' % pid) as stat:
                zombie = stat.read().rsplit(')', 1)[1].split()[0] == 'Z'
        except (OSError, ValueError, IndexError):
            return None
        if zombie or self.config_path.encode() not in words:
            return None
        return pid

    def check(self, path):
        result = subprocess.run([self.binary, '-t', '-f', path], capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise driver_base.AmphoraError(
                'keepalived -t rejected the configuration: %s'
                % ' | '.join((result.stdout + result.stderr).splitlines()[-5:]))

    def apply(self, config_text):
        """Serve `config_text`: checked, then a start or a reload (SIGHUP)."""
        os.makedirs(self.directory, exist_ok=True)
        candidate = self.config_path + '.new'
        with open(candidate, 'w') as config_file:
            config_file.write(config_text)
        self.check(candidate)
        os.replace(candidate, self.config_path)
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGHUP)
        else:
            self._start()

    def _start(self):
        for stale in (self.pid_path, self.vrrp_pid_path):
            if os.path.exists(stale):
                os.unlink(stale)
        with open(self.log_path, 'ab') as log:
            self._child = subprocess.Popen(
                [self.binary, '--namespace', self.namespace, '--vrrp', '--dont-fork',
                 '--log-console', '--no-syslog', '--log-detail',
                 '-f', self.config_path, '-p', self.pid_path, '-r', self.vrrp_pid_path],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True, close_fds=True)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._child.poll() is not None:
                raise driver_base.AmphoraError(
                    'keepalived exited at start (code %s)' % self._child.returncode)
            if self.pid() and os.path.exists(self.vrrp_pid_path):
                return
            time.sleep(0.02)
        self.stop()
        raise driver_base.AmphoraError('keepalived did not start within %ss'
                                       % self.timeout)

    def stop(self):
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + self.timeout
            while self.pid() and time.monotonic() < deadline:
                if self._child is not None:
                    self._child.poll()
                time.sleep(0.02)
            if self.pid():
                os.kill(pid, signal.SIGKILL)
        if self._child is not None:
            try:
                self._child.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                self._child.kill()
                self._child.wait()
            self._child = None
        for path in (self.pid_path, self.vrrp_pid_path):
            if os.path.exists(path):
                os.unlink(path)
