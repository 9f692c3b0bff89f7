"""Restarts lose nothing: the HAProxy processes outlive the controller (SIGKILL or
SIGTERM), a new controller adopts them (same master PID) and traffic never stops;
stopped ones start again from the last configuration HAProxy accepted, so a load
balancer in ERROR serves its last good configuration; nothing stays PENDING_*."""
import socket
import time

import pytest
import requests

from tests.support import amphora
from tests.support import http_lb
from tests.support import octavia_api
from tests.support import ports
from tests.support import processes
from tests.support import request_load

# Quick requests and slow ones (in flight across the restart).
LOAD = ('', '', '', '?sleep=1')


def serving_lb(api, members):
    """(lb, pool, url) of a load balancer serving `members`."""
    lb, _, pool, url = http_lb.build_http_lb(api, members, health_monitor=False,
                                             name='restart')
    return lb, pool, url

def identity(member):
    return '%s:%s' % (member['address'], member['port'])


def answered_by(url, member, tries=20):
    try:
        return any(identity(member) in requests.get(url, timeout=5).text
                   for _ in range(tries))
    except requests.ConnectionError:
        return False


@pytest.mark.parametrize('stop', ['SIGKILL', 'SIGTERM'])
def test_a_stopped_controller_stops_no_request_and_adopts_its_haproxy(own_controller,
                                                                      servers, stop):
    api = octavia_api.OctaviaApi(own_controller.url)
    probe = amphora.AmphoraProbe(own_controller.state_dir)
    members = servers.start(3)
    lb, pool, url = serving_lb(api, members[:2])
    master = probe.master_pid(lb['id'])
    reloads = probe.reload_count(lb['id'])

    with request_load.RequestLoad(url, paths=LOAD) as load:
        time.sleep(1)
        if stop == 'SIGKILL':
            own_controller.kill()
        else:
            own_controller.stop(amphorae=False)
        stopped_at = time.monotonic()
        before_down = load.answered
        time.sleep(3)                       # the controller is down
        answered_while_down = load.answered - before_down
        own_controller.start()
        api.wait_active(lb['id'])
        back_in = time.monotonic() - stopped_at
        time.sleep(1)
    print('controller stopped by %s: %d requests answered while it was down, %d in all, '
          '%d failed; restarted and load balancer ACTIVE %.2fs after the stop'
          % (stop, answered_while_down, load.answered, len(load.failures), back_in))
    assert load.failures == []
    assert answered_while_down > 0
    assert probe.master_pid(lb['id']) == master, 'not adopted: a new HAProxy master'
    assert probe.reload_count(lb['id']) == reloads, 'same configuration, yet reloaded'
    assert api.pending_objects() == []

    # The adopted amphora takes changes as before (a reload of the same master).
    api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                     address=members[2]['address'], protocol_port=members[2]['port'])
    assert answered_by(url, members[2])
    assert probe.master_pid(lb['id']) == master
    assert probe.reload_count(lb['id']) == reloads + 1
    api.delete_loadbalancer(lb['id'])


def test_a_change_pending_when_the_controller_died_is_applied_after_restart(
        own_controller, servers):
    api = octavia_api.OctaviaApi(own_controller.url)
    members = servers.start(2)
    lb, pool, url = serving_lb(api, members[:1])

    own_controller.gate.close()    # holds the change in PENDING_UPDATE
    try:
        member = api.create('pools/%s/members' % pool['id'], 'member',
                            address=members[1]['address'],
                            protocol_port=members[1]['port'])
        assert api.loadbalancer(lb['id'])['provisioning_status'] == 'PENDING_UPDATE'
        own_controller.kill()
    finally:
        own_controller.gate.open()
    with request_load.RequestLoad(url, paths=LOAD) as load:
        own_controller.start()
        api.wait_active(lb['id'])
        assert answered_by(url, members[1])
    assert load.failures == []
    assert api.pending_objects() == []
    shown = api.request('GET', '/pools/%s/members/%s' % (pool['id'], member['id']))
    assert shown.json()['member']['provisioning_status'] == 'ACTIVE'
    api.delete_loadbalancer(lb['id'])


def test_stopped_amphorae_serve_again_after_restart_an_error_one_its_last_good_config(
        own_controller, servers):
    api = octavia_api.OctaviaApi(own_controller.url)
    members = servers.start(2)
    good, _, good_url = serving_lb(api, members[:1])
    broken, _, broken_url = serving_lb(api, members[1:])

    # A listener whose port something else holds: haproxy -c accepts the file, the
    # reload cannot bind, so the listener goes to ERROR (its load balancer back to
    # ACTIVE, as Octavia's revert does) and the old configuration keeps serving.
    blocker = socket.socket()
    blocker.bind((broken['vip_address'], ports.free_port(broken['vip_address'])))
    blocker.listen()
    try:
        taken = blocker.getsockname()[1]
        listener = api.create('listeners', 'listener', loadbalancer_id=broken['id'],
                              protocol='HTTP', protocol_port=taken)
        http_lb.wait_for(lambda: api.listener(listener['id'])['provisioning_status'] == 'ERROR',
                   30, 'the listener did not go to ERROR')
        assert api.loadbalancer(broken['id'])['provisioning_status'] == 'ACTIVE'
        assert answered_by(broken_url, members[1])

        # Everything stopped (as `heat-lbaas-devcloud down` or a reboot does), then
        # started again: both load balancers serve, from the last accepted files
        # (the listener in ERROR stays out, as the amphora last accepted it).
        own_controller.stop()
        assert processes.with_argument_containing(
            own_controller.state_dir + '/amphorae/') == []
        stopped_at = time.monotonic()
        own_controller.start()
        http_lb.wait_for(lambda: answered_by(good_url, members[0], 1)
                   and answered_by(broken_url, members[1], 1),
                   30, 'a load balancer does not serve after the restart')
        print('all stopped, controller started: both load balancers (one in ERROR) '
              'serve again %.2fs later' % (time.monotonic() - stopped_at))
        api.wait_active(good['id'])
        api.wait_active(broken['id'])
        assert api.listener(listener['id'])['provisioning_status'] == 'ERROR'
        assert api.pending_objects() == []
    finally:
        blocker.close()
    api.delete_loadbalancer(good['id'])
    api.delete_loadbalancer(broken['id'])
