"""A serving HTTP load balancer built through the API, and what tests ask of it."""
import collections
import time

import requests

from tests.support import ports


def build_http_lb(api, members, health_monitor=True, algorithm='ROUND_ROBIN'):
    lb = api.create('loadbalancers', 'loadbalancer', name='lb',
                    vip_subnet_id='35dc0b41-9dc8-5abb-bb66-90b11392828c')
    api.wait_active(lb['id'])
    port = ports.free_port(lb['vip_address'])
    listener = api.create('listeners', 'listener', loadbalancer_id=lb['id'],
                          protocol='HTTP', protocol_port=port)
    api.wait_active(lb['id'])
    pool = api.create('pools', 'pool', listener_id=listener['id'], protocol='HTTP',
                      lb_algorithm=algorithm)
    api.wait_active(lb['id'])
    for member in members:
        api.create('pools/%s/members' % pool['id'], 'member',
                   address=member['address'], protocol_port=member['port'])
        api.wait_active(lb['id'])
    if health_monitor:
        api.create('healthmonitors', 'healthmonitor', pool_id=pool['id'], type='HTTP',
                   delay=1, timeout=1, max_retries=1, max_retries_down=1)
        api.wait_active(lb['id'])
    return lb, listener, pool, 'http://%s:%d/' % (lb['vip_address'], port)


def served_by(url, count):
    return collections.Counter(requests.get(url, timeout=5).text for _ in range(count))


def identity(server):
    return '%s:%s' % (server['address'], server['port'])


def wait_for(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(message)
