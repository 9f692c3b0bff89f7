"""A private RabbitMQ node for the tests that run upstream OpenStack services (Octavia's
API and worker talk over oslo.messaging; `fake://` works only inside one process).

Its own Erlang port mapper (epmd, on a port of its own, in the foreground so that its PID
is ours), node name, AMQP and distribution ports, data, log and HOME directories, all
bound to 127.0.0.1. Debian's `rabbitmq-server` provides the programs; the node runs them
directly (not through /usr/sbin/rabbitmq-server, which switches to the `rabbitmq` user),
and with RUNNING_UNDER_SYSTEMD set the script execs the Erlang VM, so the PID we started
is the broker's and SIGTERM stops it cleanly. Nothing of the system's own RabbitMQ
(its config, node, service) is used or touched.
"""
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time

from tests.support import ports

HOST = '127.0.0.1'
SERVER_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server'
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


def _answers(port):
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def _stop(process, timeout=STOP_TIMEOUT):
    if process is None or process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


class PrivateRabbitMQ:
    """One RabbitMQ node of our own under `base_dir`; `pid` is the broker's PID."""

    def __init__(self, base_dir):
        self.base_dir = pathlib.Path(base_dir).absolute()
        self.port = None
        self.pid = None
        self.epmd_pid = None
        self._broker = None
        self._epmd = None
        self.log = self.base_dir / 'rabbitmq.log'

    @property
    def transport_url(self):
        return 'rabbit://guest:guest@%s:%d/' % (HOST, self.port)

    def _environment(self, epmd_port, dist_port):
        home = self.base_dir / 'home'
        for directory in ('home', 'mnesia', 'logs'):
            (self.base_dir / directory).mkdir(parents=True, exist_ok=True)
        (self.base_dir / 'enabled_plugins').write_text('[].\n')
        (self.base_dir / 'rabbitmq.conf').write_text(
            'listeners.tcp.default = %s:%d\n'
            'loopback_users.guest = true\n'
            'log.console = true\n'
            'log.file = false\n' % (HOST, self.port))
        (self.base_dir / 'rabbitmq-env.conf').write_text('')
        env = dict(os.environ)
        env.update({
            'HOME': str(home),
            'RABBITMQ_NODENAME': 'heat-lbaas-%d@localhost' % self.port,
            'RABBITMQ_NODE_IP_ADDRESS': HOST,
            'RABBITMQ_NODE_PORT': str(self.port),
            'RABBITMQ_DIST_PORT': str(dist_port),
            'RABBITMQ_CONFIG_FILE': str(self.base_dir / 'rabbitmq.conf'),
            'RABBITMQ_CONF_ENV_FILE': str(self.base_dir / 'rabbitmq-env.conf'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': str(self.base_dir / 'enabled_plugins'),
            'RABBITMQ_MNESIA_BASE': str(self.base_dir / 'mnesia'),
            'RABBITMQ_LOG_BASE': str(self.base_dir / 'logs'),
            'RABBITMQ_PID_FILE': str(self.base_dir / 'rabbitmq.pid'),
            'RUNNING_UNDER_SYSTEMD': '1',
            'ERL_EPMD_ADDRESS': HOST,
            'ERL_EPMD_PORT': str(epmd_port),
        })
        return env

    def start(self):
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.port = ports.free_port()
        epmd_port, dist_port = ports.free_port(), ports.free_port()
        env = self._environment(epmd_port, dist_port)
        with open(self.log, 'ab') as log:
            self._epmd = subprocess.Popen(
                [shutil.which('epmd') or 'epmd', '-port', str(epmd_port), '-address', HOST],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True)
            self.epmd_pid = self._epmd.pid
            self._broker = subprocess.Popen(
                [SERVER_SCRIPT], stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=env, start_new_session=True,
                cwd=str(self.base_dir))
        self.pid = self._broker.pid
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(self.port):
            if self._broker.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors='replace')[-3000:]
                self.stop()
                raise RuntimeError('RabbitMQ did not start: %s' % tail)
            time.sleep(0.25)
        return self

    def stop(self):
        _stop(self._broker)
        _stop(self._epmd, timeout=5)
        self._broker = self._epmd = None
        self.pid = self.epmd_pid = None
