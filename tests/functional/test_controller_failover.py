"""Failover: on request (PUT .../failover) and when an amphora dies (kill -9 of its
HAProxy master), a new HAProxy process serves the load balancer again."""
import os
import signal
import time

from keystoneauth1 import noauth
import keystoneauth1.session
from octaviaclient.api.v2 import octavia as octavia_client
import pytest
import requests

from tests.support.http_lb import build_http_lb
from tests.support.http_lb import identity
from tests.support.http_lb import served_by
from tests.support.http_lb import wait_for
from tests.support import amphora
from tests.support import processes


@pytest.fixture
def probe(controller):
    return amphora.AmphoraProbe(controller.state_dir)


def serves_every(url, members):
    answers = served_by(url, 4 * len(members))
    return all(any(identity(m) in body for body in answers) for m in members)


def test_failover_request_restarts_the_amphora(api, servers, probe, haproxy_gate):
    members = servers.start(2)
    lb, _, _, url = build_http_lb(api, members, health_monitor=False)
    old_master = probe.master_pid(lb['id'])
    assert old_master

    haproxy_gate.close()    # holds the restart so the pending state can be read
    try:
        response = api.request('PUT', '/loadbalancers/%s/failover' % lb['id'])
        assert response.status_code == 202, response.text
        assert response.content == b''
        assert api.loadbalancer(lb['id'])['provisioning_status'] == 'PENDING_UPDATE'
        response = api.request('PUT', '/loadbalancers/%s/failover' % lb['id'])
        assert response.status_code == 409
        assert response.json()['faultstring'] == (
            'Invalid state PENDING_UPDATE of loadbalancer resource %s' % lb['id'])
    finally:
        haproxy_gate.open()
    api.wait_active(lb['id'])

    new_master = probe.master_pid(lb['id'])
    assert new_master and new_master != old_master
    assert not processes.alive(old_master)
    assert probe.reload_count(lb['id']) == 0    # a fresh master, not a reload
    assert serves_every(url, members)

    missing = '00000000-0000-4000-8000-000000000000'
    assert api.request('PUT', '/loadbalancers/%s/failover' % missing).status_code == 404
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_octaviaclient_fails_over_a_load_balancer(api, controller, servers, probe):
    members = servers.start(1)
    lb, _, _, url = build_http_lb(api, members, health_monitor=False)
    old_master = probe.master_pid(lb['id'])
    client = octavia_client.OctaviaAPI(
        session=keystoneauth1.session.Session(auth=noauth.NoAuth()),
        service_type='load-balancer', endpoint=controller.url)
    client.load_balancer_failover(lb['id'])
    api.wait_active(lb['id'])
    assert probe.master_pid(lb['id']) not in (None, old_master)
    assert serves_every(url, members)
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_a_killed_amphora_is_failed_over_by_the_health_monitor(api, servers, probe,
                                                              haproxy_gate):
    members = servers.start(2)
    lb, _, _, url = build_http_lb(api, members, health_monitor=False)
    old_master = probe.master_pid(lb['id'])

    # The gate holds the new HAProxy, so the PENDING_UPDATE of the failover can be seen
    # (unheld it may last less than one poll).
    haproxy_gate.close()
    try:
        os.kill(old_master, signal.SIGKILL)
        killed_at = time.monotonic()
        wait_for(lambda: api.loadbalancer(lb['id'])['provisioning_status'] == 'PENDING_UPDATE',
                 10, 'the health monitor did not start a failover of the killed amphora')
    finally:
        haproxy_gate.open()

    def recovered():
        return (api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
                and probe.master_pid(lb['id']) not in (None, old_master))

    wait_for(recovered, 10, 'no new amphora after the failover')
    assert serves_every(url, members)
    print('amphora killed -> ACTIVE and serving in %.2fs (held by the gate for the check)'
          % (time.monotonic() - killed_at))
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_a_stopped_amphora_is_not_failed_over(api, servers, probe):
    """An amphora the controller stopped on purpose (no listener left) stays down."""
    members = servers.start(1)
    lb, listener, _, _ = build_http_lb(api, members, health_monitor=False)
    pool_id = api.request('GET', '/listeners/' + listener['id']).json()[
        'listener']['default_pool_id']
    api.request('DELETE', '/pools/' + pool_id)
    api.wait_active(lb['id'])
    api.request('DELETE', '/listeners/' + listener['id'])
    api.wait_active(lb['id'])
    assert probe.master_pid(lb['id']) is None
    time.sleep(1.5)     # several health intervals (0.3 s in tests)
    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    assert probe.master_pid(lb['id']) is None
    with pytest.raises(requests.ConnectionError):
        requests.get('http://%s:%d/' % (lb['vip_address'], listener['protocol_port']),
                      timeout=2)
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])
