"""Faults while a change is applied: nothing stays PENDING_*, nothing is wedged.

Each test injects one real failure into a running controller (no mocks): a missing
HAProxy binary, a full disk, an HAProxy master killed mid-change, the controller out
of file descriptors. Each checks that the change ends (the changed member in ERROR,
or applied once the cause is gone), that the reason is in the controller log, that
the previous configuration keeps serving real HTTP through the VIP, and that the
next update and delete of the member are accepted and work.
"""
import os
import resource
import signal
import types

import pytest
import requests

from tests.support import http_lb
from tests.support import processes

PENDING = ('PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE')


@pytest.fixture
def served(api, servers):
    """A load balancer with an HTTP listener, a pool and one member serving."""
    backend = servers.start(1)[0]
    lb, _, pool, url = http_lb.build_http_lb(api, [backend], health_monitor=False,
                                             name='faults')
    member, = http_lb.members_of(api, pool['id'])
    setup = types.SimpleNamespace(
        lb=lb, pool=pool, member=member, backend=backend, url=url,
        member_path='/pools/%s/members/%s' % (pool['id'], member['id']))
    assert answered_by_backend(setup)
    yield setup
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def answered_by_backend(setup):
    answer = requests.get(setup.url, timeout=5)
    return answer.status_code == 200 and (
        '%s:%s' % (setup.backend['address'], setup.backend['port']) in answer.text)


def full_log(controller):
    with open(os.path.join(controller.state_dir, 'controller.log'),
              errors='replace') as log:
        return log.read()



def member_status(api, setup):
    return api.request('GET', setup.member_path).json()['member']['provisioning_status']


def settled_member_status(api, setup, timeout=30):
    """The member's provisioning status once it is no longer PENDING_*."""
    return http_lb.wait_for(lambda: (lambda s: s not in PENDING and s)(
        member_status(api, setup)), timeout, 'the member stayed PENDING_*')


def update_member(api, setup, **fields):
    response = api.request('PUT', setup.member_path, {'member': fields})
    assert response.status_code == 200, response.text


def assert_next_requests_work(api, setup):
    """An update and then a delete of the member are accepted and carried out."""
    update_member(api, setup, weight=3)
    api.wait_active(setup.lb['id'])
    member = api.request('GET', setup.member_path).json()['member']
    assert (member['provisioning_status'], member['weight']) == ('ACTIVE', 3)
    assert answered_by_backend(setup)
    assert api.request('DELETE', setup.member_path).status_code == 204
    api.wait_active(setup.lb['id'])
    assert api.request('GET', setup.member_path).status_code == 404
    # No member left: HAProxy itself answers 503 through the VIP.
    assert requests.get(setup.url, timeout=5).status_code == 503


def assert_change_failed_and_old_config_serves(api, controller, setup, reason):
    assert settled_member_status(api, setup) == 'ERROR'
    # Octavia's revert: the changed member is in ERROR, the parents are ACTIVE again.
    assert api.loadbalancer(setup.lb['id'])['provisioning_status'] == 'ACTIVE'
    assert api.request('GET', '/pools/' + setup.pool['id']).json()[
        'pool']['provisioning_status'] == 'ACTIVE'
    assert reason in full_log(controller)
    assert answered_by_backend(setup)


def test_a_missing_haproxy_binary_fails_the_change_and_the_old_config_serves(
        api, controller, haproxy_gate, served):
    moved = haproxy_gate.binary + '.moved'
    os.rename(haproxy_gate.binary, moved)
    try:
        update_member(api, served, weight=5)
        assert_change_failed_and_old_config_serves(
            api, controller, served,
            "No such file or directory: '%s'" % haproxy_gate.binary)
    finally:
        os.rename(moved, haproxy_gate.binary)
    assert_next_requests_work(api, served)


def test_a_full_disk_fails_the_change_and_the_old_config_serves(
        api, controller, served):
    # The candidate configuration is written to /dev/full: every write of it gets
    # ENOSPC, exactly as on a full file system.
    candidate = os.path.join(controller.state_dir, 'amphorae', served.lb['id'],
                             'haproxy.cfg.new')
    os.symlink('/dev/full', candidate)
    try:
        update_member(api, served, weight=5)
        assert_change_failed_and_old_config_serves(
            api, controller, served, 'No space left on device')
    finally:
        os.unlink(candidate)
    assert_next_requests_work(api, served)


def test_an_haproxy_master_killed_mid_change_is_replaced(
        api, controller, haproxy_gate, served):
    amphora_dir = os.path.join(controller.state_dir, 'amphorae', served.lb['id'])
    with open(os.path.join(amphora_dir, 'haproxy.pid')) as pid_file:
        master = int(pid_file.read().split()[0])
    haproxy_gate.close()
    try:
        update_member(api, served, weight=5)
        # The worker now waits in `haproxy -c`; the master vanishes meanwhile.
        os.kill(master, signal.SIGKILL)
        http_lb.wait_for(lambda: not processes.alive(master), 10, 'master still alive')
    finally:
        haproxy_gate.open()
    assert settled_member_status(api, served) in ('ACTIVE', 'ERROR')
    # Whichever way the change ended, an amphora serves again (a new master started
    # by the change, or the health monitor's failover) and the LB is ACTIVE.
    api.wait_active(served.lb['id'])
    http_lb.wait_for(lambda: answered_by_backend(served), 30, 'the VIP does not serve')
    # A failover serves a moment before its load balancer is ACTIVE again.
    api.wait_active(served.lb['id'])
    new_master = processes.with_argument_containing(amphora_dir + '/haproxy.cfg')
    assert new_master and master not in new_master
    assert_next_requests_work(api, served)


def test_running_out_of_file_descriptors_does_not_leave_the_change_pending(
        api, controller, haproxy_gate, served):
    pid = controller.process.pid
    limits = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    log_before = len(full_log(controller))
    haproxy_gate.close()
    try:
        update_member(api, served, weight=5)
        # Below what the controller has open: no new descriptor until restored.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (8, limits[1]))
        haproxy_gate.open()
        http_lb.wait_for(lambda: 'Too many open files' in full_log(controller)[log_before:],
                   20, 'the worker never ran out of descriptors')
    finally:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, limits)
        haproxy_gate.open()
    # The failure could not even be recorded (SQLite opens its journal per write),
    # so the worker applies the change again once descriptors are back.
    assert settled_member_status(api, served) in ('ACTIVE', 'ERROR')
    assert api.loadbalancer(served.lb['id'])['provisioning_status'] == 'ACTIVE'
    assert answered_by_backend(served)
    assert_next_requests_work(api, served)
