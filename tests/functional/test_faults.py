"""Faults, measured (issue 9, item 8): each test puts real HTTP load through a load
balancer, causes a fault, asserts on the traffic and the final state, and prints its
figure (docs/reliability.md collects them).

Requests loop back to back from several clients, so a failure count measures how many
attempts an outage cost, not how many users would have noticed."""
import asyncio
import os
import signal
import subprocess
import time

from tests.support import amphora
from tests.support import ports
from tests.support.http_lb import build_http_lb, identity, wait_for
from tests.support.request_load import RequestLoad

QUICK = ('',) * 4
# Issue 9's target for an amphora whose HAProxy was killed; the assertion is generous
# (machines are noisy), the figure is printed against the target.
SERVE_AGAIN_TARGET_S = 2.0
SERVE_AGAIN_LIMIT_S = 10.0


def member_statuses(api, pool_id):
    return {'%s:%s' % (m['address'], m['protocol_port']): m['operating_status']
            for m in api.request('GET', '/pools/%s/members' % pool_id).json()['members']}


def test_a_killed_haproxy_serves_again_in_seconds(api, servers, controller):

    probe = amphora.AmphoraProbe(controller.state_dir)
    members = servers.start(2)
    lb, _, _, url = build_http_lb(api, members, health_monitor=False)
    old_master = probe.master_pid(lb['id'])
    with RequestLoad(url, paths=QUICK, timeout=5) as load:
        wait_for(lambda: load.answered > 20, 10, 'the load never got answers')
        killed_at = time.monotonic()
        os.kill(old_master, signal.SIGKILL)
        wait_for(lambda: probe.master_pid(lb['id']) not in (None, old_master),
                 SERVE_AGAIN_LIMIT_S, 'no new HAProxy after the kill')
        answered = load.answered
        wait_for(lambda: load.answered > answered + 20, SERVE_AGAIN_LIMIT_S,
                 'the new HAProxy does not serve')
        steady_from = time.monotonic()
        time.sleep(1)
    failed = load.failures_since(killed_at)
    outage = (max(load.failed_at) - killed_at) if failed else 0.0
    print('HAProxy SIGKILLed: %d failed requests (4 clients), serving again after %.2f s '
          '(target %.1f s)' % (len(failed), outage, SERVE_AGAIN_TARGET_S))
    assert outage < SERVE_AGAIN_LIMIT_S
    assert load.failures_since(steady_from) == []
    wait_for(lambda: api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE', 10,
             'the load balancer did not go back to ACTIVE')
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_a_killed_member_fails_nothing_after_detection_and_comes_back(api, servers):
    members = servers.start(2)
    lb, _, pool, url = build_http_lb(api, members)   # HTTP monitor: delay 1 s, down after 1
    victim = members[0]
    wait_for(lambda: set(member_statuses(api, pool['id']).values()) == {'ONLINE'}, 10,
             'members never ONLINE')
    with RequestLoad(url, paths=QUICK, timeout=5, classify=lambda r: r.text) as load:
        wait_for(lambda: load.answered > 20, 10, 'the load never got answers')
        killed_at = time.monotonic()
        os.kill(victim['pid'], signal.SIGKILL)
        wait_for(lambda: member_statuses(api, pool['id'])[identity(victim)] == 'ERROR', 10,
                 'the killed member never turned ERROR')
        detected_at = time.monotonic()
        time.sleep(2)
        back = servers.start_at(victim['address'], victim['port'], name='member0')
        restarted_at = time.monotonic()
        wait_for(lambda: member_statuses(api, pool['id'])[identity(victim)] == 'ONLINE', 10,
                 'the member did not come back ONLINE')
        online_at = time.monotonic()
        answered = sum(n for body, n in load.answers.items() if identity(back) in body)
        wait_for(lambda: sum(n for body, n in load.answers.items()
                             if identity(back) in body) > answered, 10,
                 'the returned member gets no request')
    in_window = load.failures_since(killed_at)
    print('member killed: ERROR after %.2f s, %d failed requests in the detection window '
          '(4 clients), 0 after it; back ONLINE %.2f s after its server returned'
          % (detected_at - killed_at, len(in_window), online_at - restarted_at))
    assert load.failures_since(detected_at) == []
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_twenty_member_changes_under_load_fail_no_request(api, servers):
    members = servers.start(4)
    lb, _, pool, url = build_http_lb(api, members[:2], health_monitor=False)
    changes = 0

    def changed(response, expected=(200, 201, 202, 204)):
        nonlocal changes
        assert response.status_code in expected, response.text
        api.wait_active(lb['id'])
        changes += 1

    # Quick and slow requests: slow ones are in flight when their member leaves.
    with RequestLoad(url, paths=('', '', '?sleep=0.3', '?sleep=0.3'), timeout=10) as load:
        for _ in range(4):
            added = []
            for member in members[2:]:
                added.append(api.create('pools/%s/members' % pool['id'], 'member',
                                        address=member['address'],
                                        protocol_port=member['port']))
                api.wait_active(lb['id'])
                changes += 1
            changed(api.request('PUT', '/pools/%s/members/%s' % (pool['id'], added[0]['id']),
                                {'member': {'weight': 5}}))
            for member in added:
                changed(api.request('DELETE', '/pools/%s/members/%s' % (
                    pool['id'], member['id'])))
        answered = load.answered
    print('20 member changes under load: %d requests answered, %d failed'
          % (answered, len(load.failures)))
    assert changes == 20
    assert load.failures == [], load.failures[:5]
    assert answered > 40
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


# A backend that takes thousands of connections: HAProxy answering by itself.
BACKEND_CFG = '''global
    maxconn 8000
defaults
    mode http
    timeout client 30s
    timeout connect 5s
    timeout server 30s
frontend backend
    bind {address}:{port}
    http-request return status 200 content-type text/plain string ok
'''
CONNECTIONS = 1000


async def _hold_connections_then_request(address, port, count):
    """Open `count` connections at once, then send one request on each; the
    answers' status lines, or the errors."""
    opened = await asyncio.gather(*(asyncio.open_connection(address, port)
                                    for _ in range(count)), return_exceptions=True)
    streams = [s for s in opened if not isinstance(s, BaseException)]
    errors = [repr(s) for s in opened if isinstance(s, BaseException)]

    async def ask(reader, writer):
        try:
            writer.write(b'GET / HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n')
            await writer.drain()
            return (await asyncio.wait_for(reader.read(), 60)).split(b'\r\n', 1)[0]
        except Exception as error:
            return repr(error).encode()
        finally:
            writer.close()

    answers = await asyncio.gather(*(ask(r, w) for r, w in streams))
    return answers, errors


def test_a_thousand_concurrent_connections_through_one_load_balancer(api, tmp_path):
    address = ports.random_loopback_subnet().replace('.0/24', '.10')
    backend_port = ports.free_port(address)
    config = tmp_path / 'backend.cfg'
    config.write_text(BACKEND_CFG.format(address=address, port=backend_port))
    backend = subprocess.Popen(['haproxy', '-db', '-f', str(config)],
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        lb, listener, _, _ = build_http_lb(
            api, [{'address': address, 'port': backend_port}], health_monitor=False,
            name='lb-1000')
        port = listener['protocol_port']
        began = time.monotonic()
        answers, errors = asyncio.run(
            _hold_connections_then_request(lb['vip_address'], port, CONNECTIONS))
        took = time.monotonic() - began
        ok = sum(1 for a in answers if a == b'HTTP/1.1 200 OK')
        print('%d concurrent connections through one load balancer: %d answered 200, '
              '%d errors, %.2f s' % (CONNECTIONS, ok, CONNECTIONS - ok, took))
        assert errors == [], errors[:5]
        assert ok == CONNECTIONS, sorted(set(answers) - {b'HTTP/1.1 200 OK'})[:5]
        api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
        api.wait_gone(lb['id'])
    finally:
        backend.send_signal(signal.SIGTERM)
        try:
            backend.wait(10)
        except subprocess.TimeoutExpired:
            backend.kill()
            backend.wait()
