"""PROMETHEUS listeners (Octavia API 2.25): HAProxy's own exporter serves the load
balancer's metrics at /metrics on the VIP; Octavia's rules keep such a listener
free of pools and L7 policies (400 ListenerNoChildren)."""
import re

import requests

from tests.support import http_lb
from tests.support import ports

NO_CHILDREN = {'faultcode': 'Client', 'debuginfo': None,
               'faultstring': 'Protocol PROMETHEUS listeners cannot have child objects.'}


def requests_counted(metrics_url, listener_id):
    """haproxy_frontend_http_requests_total of the listener's frontend."""
    response = requests.get(metrics_url, timeout=10)
    assert response.status_code == 200, response.text[:200]
    found = re.search(r'^haproxy_frontend_http_requests_total\{proxy="%s"\} (\d+)'
                      % listener_id, response.text, re.M)
    assert found, 'no request counter of %s in %s' % (listener_id, response.text[:300])
    return int(found.group(1))


def test_a_prometheus_listener_serves_counters_that_grow_with_traffic(api, servers):
    member, = servers.start(1)
    lb, listener, _, url = http_lb.build_http_lb(api, [member], health_monitor=False,
                                                 name='prometheus')
    try:
        port = ports.free_port(lb['vip_address'])
        metrics = api.create_child(lb['id'], 'listeners', 'listener',
                                   loadbalancer_id=lb['id'], protocol='PROMETHEUS',
                                   protocol_port=port)
        assert (metrics['protocol'], metrics['provisioning_status']) == (
            'PROMETHEUS', 'PENDING_CREATE')
        assert api.listener(metrics['id'])['provisioning_status'] == 'ACTIVE'
        metrics_url = 'http://%s:%d/metrics' % (lb['vip_address'], port)
        before = requests_counted(metrics_url, listener['id'])
        assert sum(http_lb.served_by(url, 10).values()) == 10
        after = requests_counted(metrics_url, listener['id'])
        print('haproxy_frontend_http_requests_total: %d, then %d after 10 requests'
              % (before, after))
        assert after - before == 10
        # Only /metrics is the exporter.
        assert requests.get(metrics_url[:-len('metrics')] + 'other',
                            timeout=10).status_code == 404
    finally:
        api.delete_loadbalancer(lb['id'])


def test_a_prometheus_listener_takes_no_pool_and_no_l7_policy(api, loadbalancer):
    lb_id = loadbalancer['id']
    port = ports.free_port(loadbalancer['vip_address'])
    pool = api.create_child(lb_id, 'pools', 'pool', loadbalancer_id=lb_id,
                            protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    refused = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb_id, 'protocol': 'PROMETHEUS', 'protocol_port': port,
        'default_pool_id': pool['id']}})
    assert (refused.status_code, refused.json()) == (400, NO_CHILDREN)
    metrics = api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                               protocol='PROMETHEUS', protocol_port=port)
    for method, path, body in (
            ('PUT', '/listeners/' + metrics['id'],
             {'listener': {'default_pool_id': pool['id']}}),
            ('POST', '/pools', {'pool': {'listener_id': metrics['id'], 'protocol': 'HTTP',
                                         'lb_algorithm': 'ROUND_ROBIN'}}),
            ('POST', '/l7policies', {'l7policy': {'listener_id': metrics['id'],
                                                  'action': 'REJECT'}})):
        response = api.request(method, path, body)
        assert (response.status_code, response.json()) == (400, NO_CHILDREN), path
    assert api.pending_objects(lb_id) == []
    # The same in a fully populated load balancer create.
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': loadbalancer['vip_subnet_id'], 'listeners': [{
            'protocol': 'PROMETHEUS', 'protocol_port': 9100,
            'default_pool': {'name': 'p', 'protocol': 'HTTP',
                             'lb_algorithm': 'ROUND_ROBIN'}}]}})
    assert (response.status_code, response.json()) == (400, NO_CHILDREN)
