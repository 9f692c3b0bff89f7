"""Upstream Octavia (the PyPI release in .venv-octavia, `make octavia-venv`) on this
machine, the way its own gate job octavia-v2-dsvm-noop-api runs it: the real API and
worker, the amphora provider, the no-op compute, network, amphora, image and volume
drivers. No data plane (nothing answers on a VIP; operating statuses never become
ONLINE), but provisioning statuses, 409 rules, batch members and cascade delete are
Octavia's own code.

Pieces, each started and stopped by PID, bound to 127.0.0.1, on ports chosen at run time:
a private MariaDB (heat_lbaas/devcloud/mariadb.py; Octavia's migrations fail on SQLite),
a private RabbitMQ node (tests/support/rabbitmq.py; API and worker talk over
oslo.messaging), the schema (`octavia-db-manage upgrade head`), the API under gunicorn
gthread (tests/support/octavia_wsgi.py) with an access log, and `octavia-worker`.
`auth_strategy = noauth`: the project comes from X-Project-Id (octavia_wsgi.py).

Run it alone: `.venv/bin/python -m tests.support.upstream_octavia DIR` (Ctrl-C stops it).
"""
import argparse
import collections
import json
import os
import pathlib
import secrets
import signal
import subprocess
import sys
import time

import requests

from heat_lbaas.devcloud import mariadb
from tests.support import ports
from tests.support import rabbitmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
VENV = ROOT / '.venv-octavia'
HOST = '127.0.0.1'
API_WORKERS = 2
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 30.0
# One access log line per request: method, path?query, status, user agent
# (tests/support/request_counts.py reads them).
ACCESS_LOG_FORMAT = '%(m)s %(U)s?%(q)s %(s)s "%(a)s"'
TEST_USER_AGENT = 'heat-lbaas-upstream-test'
PROVIDERS = ('amphora:The Octavia Amphora driver.,'
             'octavia:Deprecated alias of the Octavia Amphora driver.')


def render_config(api_port, database_url, transport_url, ca_cert, ca_key, state_dir):
    return f"""\
[DEFAULT]
transport_url = {transport_url}
debug = false
use_stderr = true

[api_settings]
bind_host = {HOST}
bind_port = {api_port}
auth_strategy = noauth
api_base_uri = http://{HOST}:{api_port}
enabled_provider_drivers = {PROVIDERS}
default_provider_driver = amphora

[database]
connection = {database_url}
max_pool_size = 10
max_overflow = 20

[controller_worker]
amphora_driver = amphora_noop_driver
compute_driver = compute_noop_driver
network_driver = network_noop_driver
image_driver = image_noop_driver
volume_driver = volume_noop_driver
client_ca = {ca_cert}
loadbalancer_topology = SINGLE
workers = 1

[certificates]
cert_manager = noop_cert_manager
ca_certificate = {ca_cert}
ca_private_key = {ca_key}

[oslo_concurrency]
lock_path = {state_dir}/locks

[oslo_messaging]
topic = octavia_prov

[oslo_messaging_notifications]
driver = noop

[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
"""


def _make_ca(directory):
    """A throwaway CA (Octavia's create flow reverts to ERROR without one on disk)."""
    cert, key = directory / 'ca.pem', directory / 'ca.key'
    if not cert.exists():
        subprocess.run(
            ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
             '-subj', '/CN=heat-lbaas-test-ca', '-keyout', str(key), '-out', str(cert)],
            check=True, capture_output=True, timeout=60)
    return cert, key


def _descendants(pid):
    """PIDs of every process below `pid` (from /proc), deepest last."""
    children = collections.defaultdict(list)
    for entry in pathlib.Path('/proc').iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / 'stat').read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(')', 1)[1].split()[1])
        children[parent].append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _is_alive(pid):
    try:
        stat = pathlib.Path('/proc/%d/stat' % pid).read_text()
    except OSError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] not in ('Z', 'X')


class UpstreamOctavia:
    """Octavia's API and worker with their MariaDB and RabbitMQ, under `base_dir`."""

    def __init__(self, base_dir, token_projects=None, venv=VENV):
        self.base_dir = pathlib.Path(base_dir).absolute()
        self.venv = pathlib.Path(venv)
        self.token_projects = token_projects or {}
        self.database = mariadb.PrivateMariaDB(self.base_dir / 'mariadb')
        self.broker = rabbitmq.PrivateRabbitMQ(self.base_dir / 'rabbitmq')
        self.api_port = None
        self.config = self.base_dir / 'octavia.conf'
        self.access_log = self.base_dir / 'api-access.log'
        self._processes = {}
        self.started_pids = set()
        self.start_seconds = None

    @property
    def endpoint(self):
        return 'http://%s:%d' % (HOST, self.api_port)

    def _bin(self, name):
        return str(self.venv / 'bin' / name)

    def _start(self, name, command, env=None):
        with open(self.base_dir / ('%s.log' % name), 'ab') as log:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=env, cwd=str(self.base_dir), start_new_session=True)
        self._processes[name] = process
        self.started_pids.add(process.pid)
        return process

    def start(self):
        began = time.monotonic()
        if not (self.venv / 'bin' / 'octavia-worker').exists():
            raise RuntimeError('no upstream Octavia in %s: run `make octavia-venv`'
                               % self.venv)
        self.base_dir.mkdir(parents=True, exist_ok=True)
        (self.base_dir / 'locks').mkdir(exist_ok=True)
        try:
            self.database.start()
            self.started_pids.add(self.database.pid)
            database_url = self.database.create_database(
                'octavia', 'octavia', secrets.token_hex(12))
            self.broker.start()
            self.started_pids |= {self.broker.pid, self.broker.epmd_pid}
            ca_cert, ca_key = _make_ca(self.base_dir)
            self.api_port = ports.free_port()
            self.config.write_text(render_config(
                self.api_port, database_url, self.broker.transport_url, ca_cert, ca_key,
                self.base_dir))
            subprocess.run([self._bin('octavia-db-manage'), '--config-file', str(self.config),
                            'upgrade', 'head'], check=True, capture_output=True,
                           timeout=300, cwd=str(self.base_dir))
            env = dict(os.environ, HEAT_LBAAS_OCTAVIA_CONF=str(self.config),
                       HEAT_LBAAS_OCTAVIA_TOKEN_PROJECTS=json.dumps(self.token_projects))
            self._start('api', [
                self._bin('gunicorn'), '--worker-class', 'gthread', '--workers',
                str(API_WORKERS), '--threads', '8', '--keep-alive', '30',
                '--bind', '%s:%d' % (HOST, self.api_port), '--no-control-socket',
                '--access-logfile', str(self.access_log),
                '--access-logformat', ACCESS_LOG_FORMAT,
                '--pythonpath', str(ROOT), 'tests.support.octavia_wsgi:application'],
                env=env)
            self._start('worker', [self._bin('octavia-worker'), '--config-file',
                                   str(self.config)])
            self._wait_until_answering()
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def _wait_until_answering(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            for name, process in self._processes.items():
                if process.poll() is not None:
                    raise RuntimeError('octavia %s exited: %s' % (name, self.log_tail(name)))
            try:
                if self.api('GET', '/v2/lbaas/providers').status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError('octavia API did not answer within %s s: %s'
                                   % (READY_TIMEOUT, self.log_tail('api')))
            time.sleep(0.5)

    def api(self, method, path, project='admin', **kwargs):
        """A request of the test itself (left out of the counts), as `project`."""
        headers = {'X-Project-Id': project, 'User-Agent': TEST_USER_AGENT}
        response = requests.request(method, self.endpoint + path, headers=headers,
                                    timeout=30, **kwargs)
        return response

    def get(self, path):
        response = self.api('GET', path)
        response.raise_for_status()
        return response.json()

    def log_tail(self, name, limit=3000):
        try:
            return (self.base_dir / ('%s.log' % name)).read_text(errors='replace')[-limit:]
        except OSError:
            return ''

    def pids(self):
        """Every PID of ours that runs now (services and their children)."""
        pids = set()
        for pid in self.started_pids:
            if pid and _is_alive(pid):
                pids.add(pid)
                pids.update(_descendants(pid))
        return pids

    def stop(self):
        """Stop the API and worker (and what they spawned), RabbitMQ, MariaDB."""
        for name in ('api', 'worker'):
            process = self._processes.pop(name, None)
            if process is None:
                continue
            below = _descendants(process.pid)
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()
            for pid in below:
                if _is_alive(pid):
                    os.kill(pid, signal.SIGKILL)
        self.broker.stop()
        self.database.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('base_dir')
    args = parser.parse_args(argv)
    octavia = UpstreamOctavia(args.base_dir).start()
    print('upstream Octavia at %s (up in %.1f s); Ctrl-C stops it'
          % (octavia.endpoint, octavia.start_seconds), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        octavia.stop()


if __name__ == '__main__':
    sys.exit(main())
