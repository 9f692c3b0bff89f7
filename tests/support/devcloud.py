"""A devcloud (`heat-lbaas-devcloud up`) in a temporary state dir, the in-process
clients tests reach it with (tests/support/cloud_clients.py), and the openstack CLI
pointed at it (for the tests of the CLI itself). Everything it starts is checked gone,
by PID, after `down`."""
import json
import os
import pathlib
import subprocess
import sys
import time

from tests.support import cloud_clients
from tests.support import ports
from tests.support.heat_client import HeatClient
from tests.support.load_balancer_client import LoadBalancerClient

BIN = pathlib.Path(sys.executable).parent
DEVCLOUD = str(BIN / 'heat-lbaas-devcloud')
OPENSTACK = str(BIN / 'openstack')


def is_alive(pid):
    try:
        stat = pathlib.Path('/proc/%d/stat' % pid).read_text()
    except OSError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] not in ('Z', 'X')


class Devcloud:
    def __init__(self, state_dir):
        self.state_dir = pathlib.Path(state_dir)
        self.env = dict(os.environ, HEAT_LBAAS_DEVCLOUD_DIR=str(self.state_dir))
        self.started = set()
        self.settings = None
        self.heat = self.load_balancer = None

    def run(self, *args, timeout=120):
        return subprocess.run([DEVCLOUD, *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout)

    def pids(self):
        """PIDs of every process the devcloud's files name (services, Keystone's
        memcached, HAProxy, web servers, load alarms)."""
        pid_files = list((self.state_dir / 'pids').glob('*.pid'))
        pid_files += (self.state_dir / 'memcached').glob('*.pid')
        pid_files += (self.state_dir / 'controller' / 'amphorae').glob('*/haproxy.pid')
        # ACTIVE_STANDBY amphorae: HAProxy and keepalived of each.
        pairs = self.state_dir / 'controller' / 'active-standby' / 'amphorae'
        pid_files += pairs.glob('*/haproxy.pid')
        pid_files += pairs.glob('*/keepalived.pid')
        pid_files += (self.state_dir / 'webservers').glob('*.pid')
        pid_files += (self.state_dir / 'alarms').glob('*.pid')
        pids = set()
        for pid_file in pid_files:
            try:
                pids.add(int(pid_file.read_text().split()[0]))
            except (OSError, ValueError, IndexError):
                pass
        return pids

    def remember_pids(self):
        self.started |= self.pids()

    def up(self, *options):
        """`heat-lbaas-devcloud up [options]`; a VIP range of its own the first time (an
        `up` again keeps it, as a user's would). Its output is in self.up_output."""
        began = time.monotonic()
        first = not (self.state_dir / 'devcloud.json').exists()
        result = self.run('up', *options, *(['--vip-cidr', ports.random_loopback_subnet()]
                                            if first else []))
        self.remember_pids()
        assert result.returncode == 0, result.stdout + result.stderr
        self.up_output = result.stdout
        self.up_seconds = time.monotonic() - began
        self.settings = json.loads((self.state_dir / 'devcloud.json').read_text())
        exports = self.run('env').stdout
        for line in exports.splitlines():
            if line.startswith('export '):
                name, _, value = line[len('export '):].partition('=')
                self.env[name] = value.strip('\'"')
        connection = cloud_clients.connect(self.env['OS_CLIENT_CONFIG_FILE'],
                                           self.env['OS_CLOUD'])
        self.heat = HeatClient(cloud_clients.heat(connection))
        self.load_balancer = LoadBalancerClient(connection)
        return self

    def down(self):
        self.remember_pids()
        result = self.run('down')
        assert result.returncode == 0, result.stdout + result.stderr
        left = sorted(pid for pid in self.started if is_alive(pid))
        assert not left, 'processes left after down: %s' % left
        assert self.network_leftovers() == [], 'namespaces or links left after down'

    def network_leftovers(self):
        """The namespaces (and the bridge) of namespace mode that still exist."""
        settings = json.loads((self.state_dir / 'devcloud.json').read_text())
        if settings.get('amphora_network') != 'namespace':
            return []
        names = subprocess.run(['ip', 'netns', 'list'], capture_output=True,
                               text=True, check=True).stdout.split()
        left = [name for name in names
                if name.startswith(settings['namespace_prefix'] + '-')]
        if os.path.exists('/sys/class/net/' + settings['namespace_bridge']):
            left.append(settings['namespace_bridge'])
        return left

    @property
    def heat_url(self):
        return 'http://127.0.0.1:%d/v1/%s' % (self.settings['heat_port'],
                                             self.settings['project_id'])

    @property
    def controller_url(self):
        return 'http://127.0.0.1:%d' % self.settings['controller_port']

    def openstack(self, *args, check=True, timeout=180):
        """The real `openstack` CLI, one process per call: only for tests of the CLI."""
        result = subprocess.run([OPENSTACK, *args], env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def openstack_json(self, *args):
        return json.loads(self.openstack(*args, '-f', 'json').stdout)
