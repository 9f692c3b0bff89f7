"""Listener, pool and health-monitor options of the controller, each shown with real
traffic through HAProxy: TLS termination and passthrough, allowed CIDRs, inserted
headers, timeouts, algorithms, session persistence, health-monitor types, admin state."""
import collections
import http.client
import json
import ssl
import socket
import threading
import time

import pytest
import requests

from tests.support import ports
from tests.support.http_lb import wait_for
from tests.support import tls


@pytest.fixture
def echoes(echo_server):
    """echoes(count, tls_bundle=None): that many echo servers."""
    return lambda count, tls_bundle=None: [
        echo_server('echo%d' % n, tls_bundle=tls_bundle) for n in range(count)]


def front(api, lb, echo_members, listener_protocol='HTTP', pool_protocol='HTTP',
          algorithm='ROUND_ROBIN', listener=None, pool=None, monitor=None):
    """Listener -> pool -> members on `lb`; returns (listener, pool, vip, port)."""
    port = ports.free_port(lb['vip_address'])
    created_listener = api.create_child(
        lb['id'], 'listeners', 'listener', loadbalancer_id=lb['id'],
        protocol=listener_protocol, protocol_port=port, **(listener or {}))
    created_pool = api.create_child(
        lb['id'], 'pools', 'pool', listener_id=created_listener['id'],
        protocol=pool_protocol, lb_algorithm=algorithm, **(pool or {}))
    for member in echo_members:
        api.create_child(lb['id'], 'pools/%s/members' % created_pool['id'], 'member',
                         address=member.address, protocol_port=member.port)
    if monitor:
        api.create_child(lb['id'], 'healthmonitors', 'healthmonitor',
                         pool_id=created_pool['id'], **monitor)
    return created_listener, created_pool, lb['vip_address'], port


def get(vip, port, path='/', source=None, headers=None, scheme='http'):
    """One request on a new connection, optionally from a chosen source address."""
    if scheme == 'https':
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(vip, port, timeout=10, context=context,
                                                 source_address=source and (source, 0))
    else:
        connection = http.client.HTTPConnection(vip, port, timeout=10,
                                                source_address=source and (source, 0))
    try:
        connection.request('GET', path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def echoed(vip, port, **kwargs):
    status, _, body = get(vip, port, **kwargs)
    assert status == 200, (status, body)
    return json.loads(body)


def test_terminated_https_serves_the_given_certificate(api, loadbalancer, echoes,
                                                        certificate_dir):
    bundle = str(certificate_dir / 'lb.pem')
    certificate = tls.write_bundle(bundle, 'lb.example.test')
    _, _, vip, port = front(
        api, loadbalancer, echoes(1), listener_protocol='TERMINATED_HTTPS',
        listener={'default_tls_container_ref': 'file://' + bundle,
                  'insert_headers': {'X-Forwarded-Proto': 'true',
                                     'X-Forwarded-For': 'true'}})
    served = ssl.get_server_certificate((vip, port))
    assert ssl.PEM_cert_to_DER_cert(served) == certificate
    body = echoed(vip, port, scheme='https')
    assert body['headers']['x-forwarded-proto'] == 'https'
    assert body['headers']['x-forwarded-for'] == '127.0.0.1'


def test_unreadable_certificate_is_refused_with_400(api, loadbalancer, certificate_dir):
    response = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': loadbalancer['id'], 'protocol': 'TERMINATED_HTTPS',
        'protocol_port': 8443,
        'default_tls_container_ref': str(certificate_dir / 'missing.pem')}})
    assert response.status_code == 400
    assert response.json()['faultstring'].startswith('Could not retrieve certificate')
    assert api.loadbalancer(loadbalancer['id'])['provisioning_status'] == 'ACTIVE'


def test_https_passthrough_reaches_the_member_tls(api, loadbalancer, echoes, tmp_path):
    bundle = str(tmp_path / 'member.pem')
    certificate = tls.write_bundle(bundle, 'member.example.test')
    _, _, vip, port = front(api, loadbalancer, echoes(1, tls_bundle=bundle),
                            listener_protocol='HTTPS', pool_protocol='HTTPS')
    assert ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((vip, port))) == certificate
    assert echoed(vip, port, scheme='https')['name'] == 'echo0'


def test_allowed_cidrs_refuse_other_sources(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(1),
                            listener={'allowed_cidrs': ['127.0.0.5/32']})
    assert echoed(vip, port, source='127.0.0.5')['client']
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        get(vip, port, source='127.0.0.1')


def test_inserted_headers_arrive(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(1), listener={'insert_headers': {
        'X-Forwarded-For': 'true', 'X-Forwarded-Port': 'true',
        'X-Forwarded-Proto': 'true'}})
    headers = echoed(vip, port, source='127.0.0.9')['headers']
    assert headers['x-forwarded-for'] == '127.0.0.9'
    assert headers['x-forwarded-port'] == str(port)
    assert headers['x-forwarded-proto'] == 'http'


def test_member_data_timeout_ends_slow_requests(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(1),
                            listener={'timeout_member_data': 300})
    assert get(vip, port, '/?sleep=0.05')[0] == 200
    assert get(vip, port, '/?sleep=1')[0] == 504


def names(vip, port, count, **kwargs):
    return collections.Counter(echoed(vip, port, **kwargs)['name'] for _ in range(count))


def test_round_robin_alternates(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(2))
    assert names(vip, port, 10) == {'echo0': 5, 'echo1': 5}


def test_least_connections_avoids_the_busy_member(api, loadbalancer, echoes):
    members = echoes(2)
    _, _, vip, port = front(api, loadbalancer, members, algorithm='LEAST_CONNECTIONS')
    held = {}
    holder = threading.Thread(target=lambda: held.update(
        echoed(vip, port, path='/?hold=1')))
    holder.start()
    try:
        busy = wait_for(lambda: next((m for m in members if m.holding), None),
                        timeout=10, message='the held request reached no member')
        during = names(vip, port, 6)   # while the held request keeps `busy` busy
    finally:
        for member in members:
            member.release()
        holder.join()
    assert held['name'] == busy.server.name
    assert busy.server.name not in during and sum(during.values()) == 6, (held, during)


def sources(count):
    return ['127.0.%d.%d' % (n // 200 + 10, n % 200 + 2) for n in range(count)]


def test_source_ip_keeps_each_client_on_one_member(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(2), algorithm='SOURCE_IP')
    seen = set()
    for source in sources(20):
        served = names(vip, port, 3, source=source)
        assert len(served) == 1, served
        seen |= set(served)
    assert seen == {'echo0', 'echo1'}


def test_source_ip_port_spreads_one_client_over_members(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(2), algorithm='SOURCE_IP_PORT')
    assert set(names(vip, port, 30, source='127.0.9.9')) == {'echo0', 'echo1'}


def test_source_ip_persistence(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(2),
                            pool={'session_persistence': {'type': 'SOURCE_IP'}})
    assert len(names(vip, port, 6, source='127.0.7.7')) == 1


def test_http_cookie_persistence(api, loadbalancer, echoes):
    _, _, vip, port = front(api, loadbalancer, echoes(2),
                            pool={'session_persistence': {'type': 'HTTP_COOKIE'}})
    session = requests.Session()
    first = session.get('http://%s:%d/' % (vip, port), timeout=5).json()['name']
    assert all(session.get('http://%s:%d/' % (vip, port), timeout=5).json()['name']
               == first for _ in range(6))
    assert len(names(vip, port, 6)) == 2      # without the cookie: round robin


def test_app_cookie_persistence(api, loadbalancer, echoes):
    _, _, vip, port = front(
        api, loadbalancer, echoes(2),
        pool={'session_persistence': {'type': 'APP_COOKIE', 'cookie_name': 'sess'}})
    owner = echoed(vip, port, path='/?set_cookie=sess=abc123')['name']
    for _ in range(6):
        assert echoed(vip, port, headers={'Cookie': 'sess=abc123'})['name'] == owner


def member_statuses(api, pool):
    return [m['operating_status'] for m in
            api.request('GET', '/pools/%s/members' % pool['id']).json()['members']]


def wait_for_statuses(api, pool, wanted, timeout=10):
    deadline = time.monotonic() + timeout
    while member_statuses(api, pool) != wanted:
        assert time.monotonic() < deadline, member_statuses(api, pool)
        time.sleep(0.1)


@pytest.mark.parametrize('monitor_type', ['HTTPS', 'TLS-HELLO'])
def test_tls_monitors_pass_tls_members_and_fail_plain_ones(
        api, loadbalancer, echoes, tmp_path, monitor_type):
    bundle = str(tmp_path / 'member.pem')
    tls.write_bundle(bundle, 'member.example.test')
    members = echoes(1, tls_bundle=bundle) + echoes(1)
    _, pool, _, _ = front(api, loadbalancer, members, listener_protocol='HTTPS',
                          pool_protocol='HTTPS', monitor={
                              'type': monitor_type, 'delay': 1, 'timeout': 1,
                              'max_retries': 1, 'max_retries_down': 1})
    wait_for_statuses(api, pool, ['ONLINE', 'ERROR'])


def test_ping_monitor_checks_with_ping(api, loadbalancer, echoes):
    _, pool, _, _ = front(api, loadbalancer, echoes(1), monitor={
        'type': 'PING', 'delay': 1, 'timeout': 1, 'max_retries': 1})
    wait_for_statuses(api, pool, ['ONLINE'])


def test_admin_state_down_stops_serving(api, loadbalancer, echoes):
    listener, _, vip, port = front(api, loadbalancer, echoes(1))
    assert get(vip, port)[0] == 200
    api.update_child(loadbalancer['id'], '/listeners/' + listener['id'], 'listener',
                     admin_state_up=False)
    with pytest.raises(OSError):
        get(vip, port)
    api.update_child(loadbalancer['id'], '/listeners/' + listener['id'], 'listener',
                     admin_state_up=True)
    assert get(vip, port)[0] == 200
    api.update_child(loadbalancer['id'], '/loadbalancers/' + loadbalancer['id'],
                     'loadbalancer', admin_state_up=False)
    assert api.loadbalancer(loadbalancer['id'])['operating_status'] == 'OFFLINE'
    with pytest.raises(OSError):
        get(vip, port)


def test_a_change_the_amphora_cannot_take_sets_error_and_keeps_serving(
        api, loadbalancer, echoes, certificate_dir, controller):
    bundle = certificate_dir / 'lb.pem'
    certificate = tls.write_bundle(str(bundle), 'lb.example.test')
    listener, pool, vip, port = front(
        api, loadbalancer, echoes(1), listener_protocol='TERMINATED_HTTPS',
        listener={'default_tls_container_ref': str(bundle)})
    bundle.write_text('no longer a certificate')
    response = api.request('PUT', '/listeners/' + listener['id'],
                           {'listener': {'name': 'renamed'}})
    assert response.status_code == 200
    deadline = time.monotonic() + 15
    while api.request('GET', '/listeners/' + listener['id']).json()[
            'listener']['provisioning_status'] != 'ERROR':
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # As Octavia's revert: the changed listener is in ERROR, its load balancer is
    # ACTIVE again and accepts the next request.
    assert api.loadbalancer(loadbalancer['id'])['provisioning_status'] == 'ACTIVE'
    assert 'no PEM certificate' in controller.log()
    # The previous configuration still serves, with the previous certificate.
    assert ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((vip, port))) == certificate

    # The listener in ERROR does not make every later change of the load balancer
    # fail: it is rendered as the amphora last accepted it, certificate included.
    extra, = echoes(1)
    member = api.create_child(loadbalancer['id'], 'pools/%s/members' % pool['id'],
                              'member', address=extra.address, protocol_port=extra.port)
    assert api.request('GET', '/pools/%s/members/%s' % (pool['id'], member['id'])
                       ).json()['member']['provisioning_status'] == 'ACTIVE'
    # A failover rebuilds the amphora from that last good state too.
    response = api.request('PUT', '/loadbalancers/%s/failover' % loadbalancer['id'])
    assert response.status_code == 202
    api.wait_active(loadbalancer['id'])
    assert ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((vip, port))) == certificate
    assert echoed(vip, port, scheme='https')['name'] in ('echo0', 'echo1')

    # The listener in ERROR accepts an update (as in Octavia); with a good
    # certificate again, it is ACTIVE and serves it.
    renewed = tls.write_bundle(str(bundle), 'lb.example.test')
    api.update_child(loadbalancer['id'], '/listeners/' + listener['id'], 'listener',
                     name='repaired')
    assert api.request('GET', '/listeners/' + listener['id']).json()[
        'listener']['provisioning_status'] == 'ACTIVE'
    assert ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((vip, port))) == renewed


@pytest.mark.parametrize('protocol, signature', [
    ('PROXY', b'PROXY TCP4 '), ('PROXYV2', b'\r\n\r\n\x00\r\nQUIT\n')])
def test_proxy_pools_send_the_proxy_protocol_header(api, loadbalancer, protocol,
                                                    signature):
    address = ports.random_loopback_subnet().replace('.0/24', '.7')
    with socket.create_server((address, 0)) as member:
        member.settimeout(10)
        _, pool, vip, port = front(api, loadbalancer, [], pool_protocol=protocol)
        api.create_child(loadbalancer['id'], 'pools/%s/members' % pool['id'], 'member',
                         address=address, protocol_port=member.getsockname()[1])
        with socket.create_connection((vip, port), 5) as client:
            client.sendall(b'GET / HTTP/1.0\r\n\r\n')
            connection, _ = member.accept()
            with connection:
                received = connection.recv(4096)
    assert received.startswith(signature), received
