"""`heat-lbaas-devcloud up --auth keystone`: a real Keystone (on the devcloud's private
MariaDB), Heat behind keystonemiddleware with trusts, the controller behind auth_token.

As a user of a real cloud would: a demo member issues a token, creates the shipped
autoscaling stack and scales it through the scaling policy's signal URL (the scaling
itself runs later in the engine with the stack's trust, not with the caller's token);
its scale-down load alarm (the devcloud's Aodh) then acts with that trust too; the
controller refuses a request without a token; `down` leaves no process behind
(MariaDB, Keystone's gunicorn master and workers, Heat, the controller, the stack's).
The startup time is printed.
"""
import json
import pathlib
import sqlite3
import time

import pytest
import requests

from tests.support import cloud_clients
from tests.support import devcloud as devcloud_support
from tests.support import ports
from tests.support.heat_client import HeatClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
STACK = 'keystone-web'
UP_TIMEOUT = 600


def children_of(pid):
    """Direct children of a process (Keystone's gunicorn workers)."""
    found = set()
    for task in pathlib.Path('/proc/%d/task' % pid).glob('*'):
        try:
            found |= {int(p) for p in (task / 'children').read_text().split()}
        except OSError:
            pass
    return found


class KeystoneDevcloud(devcloud_support.Devcloud):
    def up_keystone(self):
        began = time.monotonic()
        result = self.run('up', '--auth', 'keystone', '--vip-cidr',
                          ports.random_loopback_subnet(), timeout=UP_TIMEOUT)
        self.remember_pids()
        assert result.returncode == 0, result.stdout + result.stderr
        self.up_seconds = time.monotonic() - began
        print(result.stdout)
        print('up --auth keystone: %.1f s' % self.up_seconds)
        self.settings = json.loads((self.state_dir / 'devcloud.json').read_text())
        self.mariadb_pid = int((self.state_dir / 'mariadb' / 'mariadbd.pid').read_text())
        self.started |= {self.mariadb_pid}
        self.started |= children_of(int(
            (self.state_dir / 'pids' / 'keystone.pid').read_text()))
        self.login('demo')

    def login(self, user):
        """The environment `heat-lbaas-devcloud env --user USER` prints."""
        result = self.run('env', '--user', user)
        assert result.returncode == 0, result.stderr
        for name in ('OS_CLOUD', 'OS_CLIENT_CONFIG_FILE'):
            self.env.pop(name, None)
        for line in result.stdout.splitlines():
            if line.startswith('export '):
                name, _, value = line[len('export '):].partition('=')
                self.env[name] = value.strip('\'"')
        # The CLI is what these tests prove with Keystone; the waits and reads between
        # its commands go through the same user's in-process heatclient.
        self.heat = HeatClient(cloud_clients.heat(cloud_clients.connect_as(self.env)))

    def token(self):
        return self.openstack_json('token', 'issue')


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    own = KeystoneDevcloud(tmp_path_factory.mktemp('keystone-devcloud'))
    try:
        own.up_keystone()
        yield own
    finally:
        own.down()


def test_demo_member_gets_a_token_and_the_controller_wants_one(cloud):
    token = cloud.token()
    assert cloud.env['OS_PROJECT_NAME'] == 'demo'
    loadbalancers = cloud.controller_url + '/v2/lbaas/loadbalancers'

    refused = requests.get(loadbalancers, timeout=30)
    assert refused.status_code == 401
    assert refused.json()['error']['code'] == 401
    assert 'Keystone uri=' in refused.headers['WWW-Authenticate']
    forged = requests.get(loadbalancers, headers={'X-Auth-Token': 'forged',
                                                  'X-Project-Id': token['project_id']},
                          timeout=30)
    assert forged.status_code == 401
    accepted = requests.get(loadbalancers, headers={'X-Auth-Token': token['id']},
                            timeout=30)
    assert accepted.status_code == 200, accepted.text
    # As Octavia: clients discover the API before they authenticate.
    assert requests.get(cloud.controller_url + '/', timeout=30).status_code == 200


def member_count(cloud):
    return len(cloud.heat.output(STACK, 'member_ids'))


def test_demo_member_creates_and_scales_a_stack_through_a_trust(cloud):
    demo = cloud.token()
    began = time.monotonic()
    cloud.openstack('stack', 'create', '-t', str(ROOT / 'templates/autoscaling_web.yaml'),
                    '-e', str(ROOT / 'environments/devcloud.yaml'),
                    '--wait', '--poll', '1', STACK, timeout=600)
    print('stack create: %.1f s' % (time.monotonic() - began))

    # Heat keeps a trust from the demo user to its service user, not a password.
    with sqlite3.connect(cloud.state_dir / 'heat.sqlite') as heat_db:
        trustors = [row[0] for row in heat_db.execute(
            'SELECT trustor_user_id FROM user_creds WHERE trust_id IS NOT NULL')]
    assert demo['user_id'] in trustors
    # The load balancer belongs to the demo project: the controller took the project
    # from the trust-scoped token the resources called it with.
    lb_id = cloud.openstack_json('stack', 'resource', 'show', STACK,
                                 'loadbalancer')['physical_resource_id']
    shown = cloud.openstack_json('loadbalancer', 'show', lb_id)
    assert shown['project_id'] == demo['project_id']

    assert member_count(cloud) == 2
    scale_up_url = cloud.heat.output(STACK, 'scale_up_url')
    assert requests.post(scale_up_url, json={}, timeout=60).status_code == 401
    signalled = requests.post(scale_up_url, json={}, timeout=60,
                              headers={'X-Auth-Token': cloud.token()['id']})
    assert signalled.status_code == 200, signalled.text
    deadline = time.monotonic() + 300
    while member_count(cloud) != 3:
        assert time.monotonic() < deadline, 'the scaling signal added no member'
        time.sleep(2)

    # The devcloud's load alarms act as Aodh does, with the stack's trust: without
    # load the scale-down alarm reads the listener's statistics and signals the policy.
    cloud.heat.update(STACK, parameters={'load_alarms': 'true', 'load_alarm_period': '2'})
    # The update itself brings the group back to its desired size (Heat's
    # AutoScalingGroup resizes to desired_capacity on an update that changes it):
    # only a member fewer than that is the alarm's doing.
    updated = member_count(cloud)
    assert updated == 2
    deadline = time.monotonic() + 300
    while member_count(cloud) == updated:
        assert time.monotonic() < deadline, 'the scale-down alarm removed no member'
        time.sleep(2)
    states = cloud.heat.output(STACK, 'load_alarm_states')
    assert states['scale_down'] == 'alarm', states

    cloud.heat.delete(STACK)
    assert lb_id not in {lb['id'] for lb in cloud.openstack_json('loadbalancer', 'list')}


def test_down_stops_everything_it_started(cloud):
    cloud.down()   # asserts that no process of cloud.started is alive
    assert not devcloud_support.is_alive(cloud.mariadb_pid)
