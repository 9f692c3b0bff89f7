"""Heat never removes nor adopts what its stack did not create (devcloud: real Heat and
controller). Another client adds members to the same pool the whole time a stack
creates its members in batches and scales them in: every member it added survives
with its own fields, for LBaaS::Member (coalesced creates, one DELETE per removed
member) and LBaaS::PoolMembers (additive batch, DELETE by id); an address:port the
other client created fails as Octavia's duplicate instead of being adopted. A member
removed while its load balancer is in ERROR is still removed (the load balancer is
failed over first); a whole-stack delete leaves it to the cascade. Replacements that
cannot coexist with the old object (listener protocol on the same port, a pool moved to
another listener) delete the old one first, inside the update."""
import os
import signal
import sqlite3
import threading
import time

import requests

from heat_lbaas.controller.api import access_log
from tests.support import devcloud as devcloud_support
from tests.support import http_lb
from tests.support import ports
from tests.support import stacks as stacks_support
from tests.support.stacks import lb_with_http_listener
from tests.support.stacks import template

COUNT = 8
# From the member create's read of its load balancer to its POST reaching the
# controller: far longer than that takes (nothing waits in between), shorter than the
# controller waits for a locked database (SQLite's 5 s busy timeout). (Fixed times from
# the pool's ACTIVE, then from the member's CREATE_IN_PROGRESS, were too short on a
# loaded machine: Heat had not got to the POST yet when it was killed.)
LOCK_SECONDS = 1.5
KEPT = 2
# Another client, not a flood: every change locks the load balancer for a moment (a
# HAProxy reload), and the stack's own requests must get their turns in between.
PAUSE_AFTER_ADD = 1.5
DUPLICATE = 'Another member on this pool is already using ip %s on protocol_port %s'


class ForeignClient:
    """Another API client adding members to the pool of `stack` (found by its name)
    as fast as the load balancer accepts them, until stopped."""

    def __init__(self, devcloud, stack):
        self.url = devcloud.controller_url + '/v2/lbaas'
        self.stack = stack
        self.added = {}      # id -> (address, port, name) of each member it created
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._next = 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=60)

    def _pool_id(self):
        pools = requests.get(self.url + '/pools', timeout=30).json()['pools']
        for pool in pools:
            if (pool['name'] or '').startswith(self.stack + '-'):
                return pool['id']
        return None

    def _run(self):
        pool_id = None
        while not self._stop.is_set():
            try:
                pool_id = pool_id or self._pool_id()
                if pool_id is None:
                    time.sleep(0.05)
                    continue
                address, port = '127.78.%d.%d' % divmod(self._next, 250), 9000
                name = 'foreign-%d' % self._next
                answer = requests.post(
                    '%s/pools/%s/members' % (self.url, pool_id), timeout=30,
                    json={'member': {'address': address, 'protocol_port': port,
                                     'name': name, 'weight': 7}})
            except (requests.RequestException, ValueError, KeyError):
                continue
            if answer.status_code == 201:
                self.added[answer.json()['member']['id']] = (address, port, name)
                self._next += 1
                time.sleep(PAUSE_AFTER_ADD)
            time.sleep(0.02)


def listed_members(devcloud, pool_id):
    return {m['id']: m for m in devcloud.load_balancer.members(pool_id)}


def assert_foreign_members_untouched(devcloud, pool_id, foreign):
    listed = listed_members(devcloud, pool_id)
    for member_id, (address, port, name) in foreign.added.items():
        assert member_id in listed, 'member %s of the other client removed' % name
        shown = listed[member_id]
        assert (shown['address'], shown['protocol_port'], shown['name'],
                shown['weight']) == (address, port, name, 7), shown   # not adopted


def stack_members(count):
    return [('127.77.0.%d' % (i + 1), 8000 + i) for i in range(count)]


def member_resources_template(devcloud, port, count):
    resources = lb_with_http_listener(devcloud, port)
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    for i, (address, member_port) in enumerate(stack_members(count)):
        resources['member%d' % i] = {'type': 'LBaaS::Member', 'properties': {
            'pool': {'get_resource': 'pool'}, 'address': address,
            'protocol_port': member_port, 'name': 'own-%d' % i}}
    return template(resources, {'pool_id': {'value': {'get_resource': 'pool'}},
                                'lb_id': {'value': {'get_resource': 'lb'}}})


def pool_members_template(devcloud, port, members):
    resources = lb_with_http_listener(devcloud, port)
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    resources['members'] = {'type': 'LBaaS::PoolMembers', 'properties': {
        'pool': {'get_resource': 'pool'},
        'members': [{'address': address, 'protocol_port': member_port}
                    for address, member_port in members]}}
    return template(resources, {'pool_id': {'value': {'get_resource': 'pool'}},
                                'count': {'value': {'get_attr': ['members', 'count']}}})


def test_members_of_another_client_survive_batch_create_and_scale_in(devcloud, stacks):
    port = ports.free_port()
    with ForeignClient(devcloud, 'own') as foreign:
        stacks.create('own', member_resources_template(devcloud, port, COUNT))
        pool_id = stacks.output('own', 'pool_id')
        stacks.update('own', member_resources_template(devcloud, port, KEPT))
    print('members the other client added:', len(foreign.added))
    assert len(foreign.added) >= 3
    assert_foreign_members_untouched(devcloud, pool_id, foreign)
    physical = stacks.physical_ids('own')
    listed = listed_members(devcloud, pool_id)
    own = {m['id'] for m in listed.values() if m['name'].startswith('own-')}
    assert own == {physical['member%d' % i] for i in range(KEPT)}
    stacks.delete('own')
    assert devcloud.load_balancer.load_balancers() == []


def test_pool_members_leave_another_clients_members_and_refuse_to_adopt_one(
        devcloud, stacks):
    port = ports.free_port()
    members = stack_members(COUNT)
    with ForeignClient(devcloud, 'list') as foreign:
        stacks.create('list', pool_members_template(devcloud, port, members))
        pool_id = stacks.output('list', 'pool_id')
        stacks.update('list', pool_members_template(devcloud, port, members[:KEPT]))
    print('members the other client added:', len(foreign.added))
    assert len(foreign.added) >= 3
    assert_foreign_members_untouched(devcloud, pool_id, foreign)
    listed = listed_members(devcloud, pool_id)
    assert len(listed) == KEPT + len(foreign.added)
    assert stacks.output('list', 'count') == KEPT

    # The list names an address:port the other client created: Octavia's duplicate.
    address, member_port, _ = next(iter(foreign.added.values()))
    status, _ = stacks.update('list', pool_members_template(
        devcloud, port, members[:KEPT] + [(address, member_port)]), check=False)
    assert status == 'UPDATE_FAILED'
    reason = devcloud.heat.resource('list', 'members')['resource_status_reason']
    print('duplicate:', reason)
    assert DUPLICATE % (address, member_port) in reason
    assert_foreign_members_untouched(devcloud, pool_id, foreign)
    stacks.delete('list')
    assert devcloud.load_balancer.load_balancers() == []


def set_load_balancer_error(devcloud, lb_id):
    """Octavia sets ERROR when an amphora change fails; here directly in its database."""
    database = devcloud.state_dir / 'controller' / 'controller.sqlite'
    with sqlite3.connect(str(database)) as db:
        db.execute("UPDATE loadbalancers SET provisioning_status = 'ERROR' WHERE id = ?",
                   (lb_id,))
    shown = devcloud.load_balancer.load_balancer(lb_id)
    assert shown['provisioning_status'] == 'ERROR'


def test_member_removed_under_a_load_balancer_in_error_is_still_removed(devcloud, stacks):
    port = ports.free_port()
    stacks.create('broken', member_resources_template(devcloud, port, 3))
    pool_id = stacks.output('broken', 'pool_id')
    lb_id = stacks.output('broken', 'lb_id')
    physical = stacks.physical_ids('broken')
    set_load_balancer_error(devcloud, lb_id)

    stacks.update('broken', member_resources_template(devcloud, port, 1))
    assert set(listed_members(devcloud, pool_id)) == {physical['member0']}
    shown = devcloud.load_balancer.load_balancer(lb_id)
    assert shown['provisioning_status'] == 'ACTIVE'   # failed over, then changed

    # A whole-stack delete leaves the member to the load balancer's cascade delete.
    set_load_balancer_error(devcloud, lb_id)
    stacks.delete('broken')
    assert devcloud.load_balancer.load_balancers() == []


def listener_and_pool_template(devcloud, port, other_port, protocol, pool_listener):
    resources = lb_with_http_listener(devcloud, port)
    resources['listener']['properties']['protocol'] = protocol
    resources['other_listener'] = {'type': 'LBaaS::Listener', 'properties': {
        'loadbalancer': {'get_resource': 'lb'}, 'protocol': 'HTTP',
        'protocol_port': other_port}}
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'listener': {'get_resource': pool_listener}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    resources['member'] = {'type': 'LBaaS::Member', 'properties': {
        'pool': {'get_resource': 'pool'}, 'address': '127.77.0.1', 'protocol_port': 80}}
    return template(resources, {'lb_id': {'value': {'get_resource': 'lb'}}})


def test_replacements_that_cannot_coexist_delete_the_old_object_first(devcloud, stacks):
    port, other_port = ports.free_port(), ports.free_port()
    stacks.create('swap', listener_and_pool_template(devcloud, port, other_port, 'HTTP',
                                                     'listener'))
    lb_id = stacks.output('swap', 'lb_id')
    before = stacks.physical_ids('swap')

    # Same port, another protocol: the old listener goes first (else a duplicate port).
    stacks.update('swap', listener_and_pool_template(devcloud, port, other_port, 'TCP',
                                                     'listener'))
    after = stacks.physical_ids('swap')
    listeners = devcloud.load_balancer.listeners(lb_id)
    assert sorted((listener['protocol'], listener['protocol_port']) for listener in listeners) == [
        ('HTTP', other_port), ('TCP', port)]
    assert after['listener'] != before['listener']

    # The pool moves to the other listener: the old pool goes first, with its member.
    stacks.update('swap', listener_and_pool_template(devcloud, port, other_port, 'TCP',
                                                     'other_listener'))
    moved = stacks.physical_ids('swap')
    pools = devcloud.load_balancer.pools(lb_id)
    assert [p['id'] for p in pools] == [moved['pool']]
    shown = devcloud.load_balancer.pool(moved['pool'])
    assert [listener['id'] for listener in shown['listeners']] == [moved['other_listener']]
    assert list(listed_members(devcloud, moved['pool'])) == [moved['member']]
    stacks.delete('swap')
    assert devcloud.load_balancer.load_balancers() == []



def lbaas_requests(controller_log):
    """(method, path from /lbaas/ on, status) of each request the controller has logged
    since the last look (Heat's clients say /v2.0/lbaas, the SDK /v2/lbaas)."""
    return [(method, '/lbaas/' + path.partition('/lbaas/')[2], status)
            for method, path, status in filter(None, map(access_log.logged_request,
                                                         controller_log.new_lines()))]


def test_create_whose_answer_was_lost_with_the_engine_is_adopted(tmp_path):
    """Heat is SIGKILLed while the controller holds its member create (the controller's
    database is write-locked, as by a slow commit): the member is created, the answer
    goes nowhere. After Heat restarts, the stack update adopts the member by its owner
    tag: no duplicate (which Octavia would refuse), no orphan."""
    cloud = devcloud_support.Devcloud(tmp_path / 'devcloud')
    made = stacks_support.Stacks(cloud)
    try:
        cloud.up()
        port = ports.free_port()
        resources = lb_with_http_listener(cloud, port)
        resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
            'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN', 'name': 'lost-pool'}}
        resources['member'] = {'type': 'LBaaS::Member', 'properties': {
            'pool': {'get_resource': 'pool'}, 'address': '127.77.0.1',
            'protocol_port': 80, 'name': 'not-unique'}}
        made.created.append('lost')
        cloud.heat.create('lost', template(resources), wait=False)

        api = cloud.controller_url + '/v2/lbaas'

        def active_pool():
            pools = requests.get(api + '/pools', timeout=30).json()['pools']
            return [p for p in pools if p['provisioning_status'] == 'ACTIVE']

        pool = http_lb.wait_for(active_pool, 120, 'timed out waiting for the pool')[0]
        pool_id = pool['id']
        parent_read = ('GET', '/lbaas/loadbalancers/%s' % pool['loadbalancers'][0]['id'], 200)
        controller_log = access_log.LogTail(cloud.state_dir / 'logs' / 'controller.log')
        database = sqlite3.connect(str(cloud.state_dir / 'controller' /
                                       'controller.sqlite'), isolation_level=None)
        database.execute('BEGIN IMMEDIATE')   # the member create waits for this
        try:
            # Heat's own database, not the controller's: readable meanwhile.
            http_lb.wait_for(lambda: cloud.heat.resource('lost', 'member')[
                'resource_status'] == 'CREATE_IN_PROGRESS', 60,
                'timed out waiting for Heat to create the member', interval=0.1)
            # The member's create reads its load balancer (ACTIVE: reads are not
            # locked out) and sends the POST at once: wait for that read, not for a
            # fixed time (on a loaded machine Heat had not got to the POST yet).
            http_lb.wait_for(lambda: parent_read in lbaas_requests(controller_log), 60,
                             'timed out waiting for the member create to read its '
                             'load balancer', interval=0.05)
            time.sleep(LOCK_SECONDS)
            heat_pid = int((cloud.state_dir / 'pids' / 'heat.pid').read_text().split()[0])
            os.kill(heat_pid, signal.SIGKILL)
            http_lb.wait_for(lambda: not devcloud_support.is_alive(heat_pid), 30,
                             'timed out waiting for Heat to die')
        finally:
            database.execute('ROLLBACK')
            database.close()
        members = http_lb.wait_for(lambda: requests.get(
            '%s/pools/%s/members' % (api, pool_id), timeout=30).json()['members'],
            30, 'timed out waiting for the member whose answer was lost')
        assert len(members) == 1

        cloud.remember_pids()
        restarted = cloud.run('up')
        assert restarted.returncode == 0, restarted.stdout + restarted.stderr
        cloud.remember_pids()
        # A convergence stack stays CREATE_IN_PROGRESS after its engine died; the next
        # update takes over, marks the member FAILED ("Worker went down") and updates it.
        assert made.physical_ids('lost')['member'] in ('', None)   # the answer was lost
        cloud.heat.update('lost')
        assert made.status('lost') == 'UPDATE_COMPLETE'
        listed = requests.get('%s/pools/%s/members' % (api, pool_id),
                              timeout=30).json()['members']
        assert [m['id'] for m in listed] == [members[0]['id']]      # no duplicate
        assert made.physical_ids('lost')['member'] == members[0]['id']   # no orphan
        made.delete('lost')
        assert cloud.load_balancer.load_balancers() == []
    finally:
        # A failure while Heat was dead (killed, not started again) makes deleting
        # the stack raise too: the devcloud is stopped whatever that does.
        try:
            made.delete_all()
        finally:
            cloud.down()
