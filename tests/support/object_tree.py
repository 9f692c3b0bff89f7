"""A load balancer with one object of every type, for tests that go through every
field of every object."""
from heat_lbaas.controller import model
from tests.support import http_lb


def one_of_each(api, member_address, member_port):
    """Load balancer, HTTP listener (on a free port), its default pool with one
    member and an HTTP health monitor, a REJECT policy with one HEADER rule; once
    ACTIVE: (load balancer, listener port, {object type: API path of its object})."""
    lb, listener, pool, _ = http_lb.build_http_lb(
        api, [{'address': member_address, 'port': member_port}], health_monitor=False)
    port = listener['protocol_port']
    member, = http_lb.members_of(api, pool['id'])
    monitor = api.create_child(lb['id'], 'healthmonitors', 'healthmonitor',
                               pool_id=pool['id'], type='HTTP', delay=5, timeout=2,
                               max_retries=2)
    policy = api.create_child(lb['id'], 'l7policies', 'l7policy',
                              listener_id=listener['id'], action='REJECT')
    rule = api.request('POST', '/l7policies/%s/rules' % policy['id'], {'rule': {
        'type': 'HEADER', 'compare_type': 'EQUAL_TO', 'key': 'X-Block',
        'value': 'yes'}})
    assert rule.status_code == 201, rule.text
    api.wait_active(lb['id'])
    rule_id = rule.json()['rule']['id']
    return lb, port, {
        model.LOADBALANCER: '/loadbalancers/' + lb['id'],
        model.LISTENER: '/listeners/' + listener['id'],
        model.POOL: '/pools/' + pool['id'],
        model.MEMBER: '/pools/%s/members/%s' % (pool['id'], member['id']),
        model.HEALTH_MONITOR: '/healthmonitors/' + monitor['id'],
        model.L7POLICY: '/l7policies/' + policy['id'],
        model.L7RULE: '/l7policies/%s/rules/%s' % (policy['id'], rule_id),
    }
