"""A real heat-lbaas-controller process for functional tests, stopped by PID."""
import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time

import requests

from heat_lbaas.controller import amphorae_cli
from tests.support import ports

# The controller's health and statistics poll (seconds): each poll reads every load
# balancer's HAProxy and database rows, so a shorter one costs CPU all through make
# test, and a longer one delays every status a test waits for.
HEALTH_INTERVAL = 0.5


class RunningController:
    def __init__(self, state_dir, vip_cidr=None, haproxy_binary='haproxy', extra_config='',
                 namespaces=None):
        """`extra_config`: more sections for the configuration file
        ([api_settings], [oslo_policy]). `namespaces`: a tests.support.namespaces.Names,
        for amphora_network = namespace with that run's own prefix, bridge and CIDR."""
        self.state_dir = state_dir
        os.makedirs(state_dir, exist_ok=True)
        self.port = ports.free_port()
        vip_cidr = vip_cidr or ports.random_loopback_subnet()
        self.vip_cidr = vip_cidr
        self.url = 'http://127.0.0.1:%d' % self.port
        # Tests put the PEM files their certificate references name here.
        self.certificate_dir = os.path.join(state_dir, 'certificates')
        os.makedirs(self.certificate_dir, exist_ok=True)
        self.config_path = os.path.join(state_dir, 'controller.conf')
        network = ''
        if namespaces is not None:
            network = ('amphora_network = namespace\nnamespace_cidr = %s\n'
                       'namespace_bridge = %s\nnamespace_prefix = %s\n'
                       % (namespaces.cidr, namespaces.bridge, namespaces.prefix))
        with open(self.config_path, 'w') as config:
            config.write('[DEFAULT]\nlog_file = %s\ndebug = true\n'
                         '[api]\nbind_port = %d\n'
                         '[controller]\nstate_dir = %s\nvip_subnet_cidr = %s\n'
                         'health_interval = %s\nhaproxy_binary = %s\n%s'
                         '[certificates]\nstorage_path = %s\n'
                         % (os.path.join(state_dir, 'controller.log'), self.port,
                            state_dir, vip_cidr, HEALTH_INTERVAL, haproxy_binary, network,
                            self.certificate_dir))
            config.write(extra_config)
        self.process = None

    def start(self, timeout=30):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'heat_lbaas.controller.service',
             '--config-file', self.config_path],
            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('controller exited with %s; log:\n%s'
                                   % (self.process.returncode, self.log()))
            try:
                if requests.get(self.url + '/', timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError('controller did not answer within %ss' % timeout)

    def log(self):
        try:
            with open(os.path.join(self.state_dir, 'controller.log')) as log:
                return log.read()[-4000:]
        except OSError:
            return ''

    def stop(self, timeout=30, amphorae=True, by_command=False):
        """SIGTERM the controller; then, unless `amphorae` is false, stop the HAProxy
        processes it leaves serving (heat-lbaas-amphorae stop), as a test must."""
        try:
            self._stop_controller(timeout)
        finally:
            if amphorae:
                self.stop_amphorae(by_command)

    def _stop_controller(self, timeout):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError('the controller did not stop within %ss of SIGTERM'
                                 % timeout)

    def kill(self):
        """SIGKILL the controller (a crash): its HAProxy processes keep running."""
        self.process.kill()
        self.process.wait()

    def stop_amphorae(self, by_command=False):
        """`heat-lbaas-amphorae stop`: with `by_command` the command itself, else its
        main() in this process (a Python start of its own is about 1.2 s of CPU, and
        most tests stop a controller or two)."""
        argv = ['--config-file', self.config_path, 'stop']
        if by_command:
            subprocess.run([sys.executable, '-m', 'heat_lbaas.controller.amphorae_cli',
                            *argv], check=True, stdout=subprocess.DEVNULL, timeout=120)
            return
        with contextlib.redirect_stdout(io.StringIO()):
            assert amphorae_cli.main(argv) == 0


def short_state_dir():
    # A short path keeps HAProxy's unix sockets well under their length limit.
    return tempfile.mkdtemp(prefix='hlbt-')
