"""A serving HTTP load balancer built through the API, and what tests ask of it."""
import collections
import time

import requests

from tests.support import ports


def build_http_lb(api, members, health_monitor=True, algorithm='ROUND_ROBIN', name='lb',
                  port=None):
    """A load balancer with an HTTP listener (on `port`, else a free port of the VIP on
    loopback) and its default pool of `members` ({'address', 'port'}), with an HTTP
    health monitor if asked; once ACTIVE: (load balancer, listener, pool, URL of the
    VIP)."""
    lb = api.new_loadbalancer(name=name)
    # A VIP in an amphora's namespace has every port free (and is no host address).
    port = port or ports.free_port(lb['vip_address'])
    listener = api.create_child(lb['id'], 'listeners', 'listener',
                                loadbalancer_id=lb['id'], protocol='HTTP',
                                protocol_port=port)
    pool = api.create_child(lb['id'], 'pools', 'pool', listener_id=listener['id'],
                            protocol='HTTP', lb_algorithm=algorithm)
    for member in members:
        api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                         address=member['address'], protocol_port=member['port'])
    if health_monitor:
        api.create_child(lb['id'], 'healthmonitors', 'healthmonitor', pool_id=pool['id'],
                         type='HTTP', delay=1, timeout=1, max_retries=1,
                         max_retries_down=1)
    return lb, listener, pool, 'http://%s:%d/' % (lb['vip_address'], port)


def members_of(api, pool_id):
    return api.request('GET', '/pools/%s/members' % pool_id).json()['members']


def served_by(url, count):
    return collections.Counter(requests.get(url, timeout=5).text for _ in range(count))


def identity(server):
    return '%s:%s' % (server['address'], server['port'])


def wait_for(predicate, timeout, message, interval=0.05):
    """The first true value of predicate() within `timeout` seconds, else fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message)
