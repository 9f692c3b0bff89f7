"""A private memcached: the cache Keystone's API workers share in `up --auth keystone`.

Keystone without a cache reads the database a few hundred times to validate one token
(measured: 447 queries, 1.1 s on a quiet 2-core machine), and every API call of Heat, the
controller and Tempest starts with one. A cache private to each gunicorn worker would
keep what another worker changed (a role assignment made a moment ago would be missing),
so the workers share this one, as devstack's Keystone shares its memcached.

It listens on a unix socket in its own directory (mode 0700; the socket 0600), not on a
port: nothing to allocate, nothing another user reaches. Started detached and stopped by
its PID, checked against its command line, which names that socket.
"""
import os
import pathlib
import shutil
import socket
import time

from heat_lbaas.devcloud import processes

READY_TIMEOUT = 30
# Megabytes: Keystone caches tokens, roles and assignments of a few dozen users.
MEMORY_MB = 64


class MemcachedError(Exception):
    """The server did not start; the message says why."""


class PrivateMemcached:
    """One memcached living in ``base_dir``."""

    def __init__(self, base_dir):
        self.base_dir = pathlib.Path(base_dir).absolute()
        # A unix socket path must stay under 108 bytes: keep the name short.
        self.socket = self.base_dir / 'm.sock'
        self.pid_file = self.base_dir / 'memcached.pid'
        self.log_file = self.base_dir / 'memcached.log'

    @property
    def url(self):
        """The server as oslo.cache's `memcache_servers` names it."""
        return 'unix:%s' % self.socket

    @property
    def pid(self):
        """PID of the running server, or None."""
        return processes.running_pid(self.pid_file, str(self.socket))

    def command(self):
        binary = shutil.which('memcached') or shutil.which(
            'memcached', path='/usr/bin:/usr/sbin') or 'memcached'
        # memcached refuses to run as root unless told which user to be.
        user = ['-u', 'root'] if os.geteuid() == 0 else []
        return [binary, *user, '-s', str(self.socket), '-a', '0600',
                '-m', str(MEMORY_MB), '-U', '0']

    def start(self, timeout=READY_TIMEOUT):
        """Start the server unless it runs; return when it answers."""
        if self.pid:
            return
        self.base_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base_dir, 0o700)
        if self.socket.exists():
            self.socket.unlink()        # left by a server that was killed
        pid = processes.start_detached(self.command(), self.log_file, self.pid_file,
                                       cwd=str(self.base_dir))
        deadline = time.monotonic() + timeout
        while not self._answers():
            if not processes.is_alive(pid):
                raise MemcachedError('memcached (pid %d) exited:\n%s'
                                     % (pid, processes.tail(self.log_file)))
            if time.monotonic() > deadline:
                raise MemcachedError('memcached did not answer within %d s:\n%s'
                                     % (timeout, processes.tail(self.log_file)))
            time.sleep(0.02)

    def _answers(self):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(2)
                client.connect(str(self.socket))
                client.sendall(b'version\r\n')
                return client.recv(64).startswith(b'VERSION')
        except OSError:
            return False

    def stop(self):
        """Stop the server if it runs (what it holds is only a cache)."""
        processes.stop_by_pid_file(self.pid_file, str(self.socket))
