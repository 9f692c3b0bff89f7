"""How long a member's operating status takes to follow a real failure: HAProxy sees
it after its checks fail (delay x max_retries_down), and the controller's health
poll stores it within one [controller] health_interval of that (docs/controller.md,
"Operating status timing")."""
import time

from tests.support import amphora
from tests.support import http_lb
from tests.support.controller import HEALTH_INTERVAL

POLL = 0.01


def first_time(predicate, timeout):
    """time.monotonic() when predicate() first held (polled every POLL seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(POLL)
    raise AssertionError('not within %ss' % timeout)


def test_operating_status_follows_haproxy_within_one_health_interval(
        api, servers, controller):
    probe = amphora.AmphoraProbe(controller.state_dir)
    members = servers.start(2)
    # Health monitor: delay 1 s, timeout 1 s, max_retries_down 1, max_retries 1.
    lb, _, pool, _ = http_lb.build_http_lb(api, members, name='timing')
    try:
        member = next(m for m in http_lb.members_of(api, pool['id'])
                      if m['address'] == members[0]['address'] and
                      m['protocol_port'] == members[0]['port'])

        def api_status():
            return api.request('GET', '/pools/%s/members/%s' % (
                pool['id'], member['id'])).json()['member']['operating_status']

        http_lb.wait_for(lambda: api_status() == 'ONLINE', 10, 'member never ONLINE')
        killed = time.monotonic()
        servers.stop(members[0]['server_id'])
        haproxy_down = first_time(
            lambda: (probe.check_status(lb['id'], member['id']) or '').startswith('DOWN'),
            10)
        api_error = first_time(lambda: api_status() == 'ERROR', 10)

        revived = time.monotonic()
        servers.start_at(members[0]['address'], members[0]['port'])
        haproxy_up = first_time(
            lambda: (probe.check_status(lb['id'], member['id']) or '').startswith('UP'),
            10)
        api_online = first_time(lambda: api_status() == 'ONLINE', 10)
        print('member killed: HAProxy DOWN after %.2fs, API ERROR after %.2fs (%.2fs '
              'later); member back: HAProxy UP after %.2fs, API ONLINE after %.2fs '
              '(%.2fs later); health_interval %.1fs'
              % (haproxy_down - killed, api_error - killed, api_error - haproxy_down,
                 haproxy_up - revived, api_online - revived, api_online - haproxy_up,
                 HEALTH_INTERVAL))
        # One health interval, with a generous margin for a loaded machine (API
        # requests and the polls themselves take time).
        assert api_error - haproxy_down <= HEALTH_INTERVAL + 2.0
        assert api_online - haproxy_up <= HEALTH_INTERVAL + 2.0
    finally:
        api.delete_loadbalancer(lb['id'])
