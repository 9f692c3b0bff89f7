"""Contract tests: the session recorded from real Octavia 19 (tests/fixtures/
octavia-v2-samples/log.json, copied from shared/reference), replayed in the same order
against the controller.

Every sample's request is sent with the recorded ids replaced by the ids of the
objects this replay created; the answer must have the recorded status code, the same
keys at every level, the same JSON types, and, for faults, the same words. The
PENDING_* 409s are produced as Octavia produced them: the gate holds the worker
mid-change. The samples were recorded with Octavia's no-op drivers, and the replay
runs against the in-process controller with the noop amphora driver.

The l7policy/l7rule samples are replayed once the controller's route table serves
/l7policies; until then they are not collected, and the listener's l7policies list is
expected empty, since no policy exists to be listed.
"""
import sqlite3
import os
import types

import pytest
import requests

from heat_lbaas.controller.api import app
from tests.support import contract
from tests.support import octavia_api

pytestmark = pytest.mark.noop_amphorae

VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'
RECORDED_SUBNET_ID = '372ea988-57fe-4aa0-a8a2-deae0cf683d5'
RECORDED_PROJECT_ID = '0a3aa60e48424fe7bdb9aa6562b57e14'
# The other load balancer named lb1 that lb_list_filtered finds (created earlier).
RECORDED_OTHER_LB_ID = '0150cd13-df02-48e6-a710-045836037f59'



def _serves(path):
    """Does the controller's route table have `path`? (Asked without a controller.)"""
    context = types.SimpleNamespace(store=None, conf=None, worker=None, stats=None)
    routes = app.Application(context).routes
    return any(pattern.match(path) for pattern, _ in routes)


HAS_L7 = _serves('/v2/lbaas/l7policies')
L7_SAMPLES = {'l7policy_create', 'l7policy_get', 'l7rule_create', 'l7rule_get'}
SAMPLES = [name for name in contract.sample_names()
           if HAS_L7 or name not in L7_SAMPLES]


class Replay:
    def __init__(self, url):
        self.url = url
        self.http = requests.Session()
        # Octavia took the project from the Keystone token; ours from this header.
        self.http.headers['X-Project-Id'] = RECORDED_PROJECT_ID
        self.api = octavia_api.OctaviaApi(url)
        self.ids = {RECORDED_SUBNET_ID: VIP_SUBNET_ID}
        self.answers = {}

    def send(self, name):
        """Replay one sample; remember the answer and the id of what it created."""
        sample = contract.load(name)
        request = contract.substitute(sample['request'], self.ids)
        answer = self.http.request(request['method'], self.url + request['path'],
                                   json=request['body'], timeout=30)
        self.answers[name] = answer
        if answer.status_code == 201 == sample['status']:
            (key, created), = sample['response'].items()
            ours = answer.json()[key]
            # Ids, and what the controller chose where Neutron chose for Octavia.
            for name in ('id', 'vip_port_id', 'vip_network_id', 'vip_address'):
                if name in created:
                    self.ids[created[name]] = ours[name]
        return answer

    def lb_id(self):
        return self.ids['f5014c83-022f-4c6c-b80e-42ff89e2396b']

    def settle(self):
        self.api.wait_active(self.lb_id())


def _set_provisioning_status(controller, lb_id, status):
    """Write a load balancer's status in the controller's database.

    An empty load balancer needs no HAProxy, so ours is ACTIVE at once where
    Octavia's waits for an amphora to boot; this puts it back into PENDING_CREATE
    for as long as the test asks the API what it answers meanwhile."""
    path = os.path.join(controller.state_dir, 'controller.sqlite')
    with sqlite3.connect(path, timeout=30) as database:
        database.execute('UPDATE loadbalancers SET provisioning_status = ? '
                         'WHERE id = ?', (status, lb_id))
    database.close()


def _replay_session(replay, controller, gate):
    other = replay.api.create('loadbalancers', 'loadbalancer', name='lb1',
                              vip_subnet_id=VIP_SUBNET_ID)
    replay.ids[RECORDED_OTHER_LB_ID] = other['id']
    replay.api.wait_active(other['id'])

    replay.send('lb_create')
    replay.settle()
    _set_provisioning_status(controller, replay.lb_id(), 'PENDING_CREATE')
    try:
        for name in ('listener_create_while_pending', 'lb_update_while_pending',
                     'lb_delete_while_pending'):
            replay.send(name)
    finally:
        _set_provisioning_status(controller, replay.lb_id(), 'ACTIVE')
    replay.send('lb_get')

    gate.close()
    try:
        replay.send('listener_create')
        replay.send('pool_create_while_lb_pending_update')
    finally:
        gate.open()
    replay.settle()
    for name in ('pool_create', 'member_create', 'healthmonitor_create'):
        replay.send(name)
        replay.settle()
    if HAS_L7:
        for name in ('l7policy_create', 'l7rule_create'):
            replay.send(name)
            replay.settle()

    for name in ('listener_get', 'pool_get', 'member_get', 'member_list',
                 'healthmonitor_get', 'lb_get_full', 'lb_status_tree', 'lb_stats',
                 'listener_stats', 'lb_list_filtered', 'listener_create_duplicate_port',
                 'pool_create_bad_algorithm', 'lb_get_404'):
        replay.send(name)
    if HAS_L7:
        replay.send('l7policy_get')
        replay.send('l7rule_get')

    gate.close()
    try:
        replay.send('member_update')
        replay.send('member_update_while_pending')
    finally:
        gate.open()
    replay.settle()

    replay.send('lb_delete_noncascade_with_children')
    replay.send('lb_delete_cascade')
    replay.api.wait_gone(replay.lb_id())
    replay.send('listener_get_after_cascade')
    replay.send('pool_get_after_cascade')
    replay.api.request('DELETE', '/loadbalancers/%s?cascade=true' % other['id'])
    replay.api.wait_gone(other['id'])


@pytest.fixture(scope='module')
def replay(controller, haproxy_gate):
    session = Replay(controller.url)
    _replay_session(session, controller, haproxy_gate)
    return session


def _expected(name, replay):
    expected = contract.substitute(contract.load(name)['response'], replay.ids)
    if name == 'listener_get' and not HAS_L7:
        expected['listener']['l7policies'] = []
    return expected


def test_the_replay_covers_every_sample(replay):
    assert sorted(replay.answers) == SAMPLES


@pytest.mark.parametrize('name', SAMPLES)
def test_answer_matches_octavia(replay, name):
    sample = contract.load(name)
    answer = replay.answers[name]
    assert answer.status_code == sample['status'], answer.text
    if sample['status'] == 204:
        assert answer.content == b''
        return
    expected, ours = _expected(name, replay), answer.json()
    if 'faultstring' in expected:
        # Clients (Heat, Tempest) match on these words: they must be Octavia's.
        assert ours == expected
    else:
        assert contract.differences(expected, ours) == []
