"""A fully populated load balancer: one POST creates the whole tree, which serves
as soon as it is ACTIVE (one HAProxy start, no reload)."""
import requests

from tests.support.http_lb import identity
from tests.support.http_lb import served_by
from tests.support import amphora
from tests.support import ports

VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'


def full_body(port, members):
    return {'loadbalancer': {
        'name': 'full', 'vip_subnet_id': VIP_SUBNET_ID,
        'listeners': [{
            'name': 'web', 'protocol': 'HTTP', 'protocol_port': port,
            'default_pool': {
                'name': 'web-pool', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                'members': [{'address': m['address'], 'protocol_port': m['port']}
                            for m in members],
                'healthmonitor': {'type': 'HTTP', 'delay': 1, 'timeout': 1,
                                  'max_retries': 1, 'url_path': '/'},
            }}],
    }}


def test_one_post_creates_a_tree_that_serves_at_once(api, servers, controller):
    members = servers.start(2)
    # The VIP is not known before the POST; it lies in this controller's own random
    # subnet, where nothing else listens, so any port free on loopback will do.
    port = ports.free_port()
    response = api.request('POST', '/loadbalancers', full_body(port, members))
    assert response.status_code == 201, response.text
    lb = response.json()['loadbalancer']

    assert lb['provisioning_status'] == 'PENDING_CREATE'
    listener, = lb['listeners']
    pool, = lb['pools']
    assert listener['name'] == 'web' and listener['default_pool_id'] == pool['id']
    assert listener['l7policies'] == []
    assert 'loadbalancers' not in listener
    assert pool['name'] == 'web-pool'
    assert 'listeners' not in pool and 'loadbalancers' not in pool
    assert sorted((m['address'], m['protocol_port']) for m in pool['members']) == \
        sorted((m['address'], m['port']) for m in members)
    assert {m['provisioning_status'] for m in pool['members']} == {'PENDING_CREATE'}
    monitor = pool['healthmonitor']
    assert monitor['type'] == 'HTTP' and monitor['url_path'] == '/'
    assert monitor['expected_codes'] == '200' and 'pools' not in monitor
    assert pool['healthmonitor_id'] == monitor['id']

    api.wait_active(lb['id'])
    url = 'http://%s:%d/' % (lb['vip_address'], port)
    answers = served_by(url, 10)
    for member in members:
        assert any(identity(member) in body for body in answers), answers
    # The amphora started with the whole tree: it never had to reload.
    assert amphora.AmphoraProbe(controller.state_dir).reload_count(lb['id']) == 0

    # The children are ordinary objects, visible through their own GETs.
    shown = api.request('GET', '/listeners/' + listener['id']).json()['listener']
    assert shown['provisioning_status'] == 'ACTIVE'
    assert shown['loadbalancers'] == [{'id': lb['id']}]
    shown = api.request('GET', '/pools/' + pool['id']).json()['pool']
    assert shown['listeners'] == [{'id': listener['id']}]
    assert sorted(m['id'] for m in shown['members']) == \
        sorted(m['id'] for m in pool['members'])
    listed = api.request('GET', '/pools/%s/members' % pool['id']).json()['members']
    assert {m['provisioning_status'] for m in listed} == {'ACTIVE'}
    shown = api.request('GET', '/healthmonitors/' + monitor['id']).json()
    assert shown['healthmonitor']['pools'] == [{'id': pool['id']}]
    status = api.request('GET', '/loadbalancers/%s/status' % lb['id']).json()
    assert status['statuses']['loadbalancer']['listeners'][0]['pools'][0]['id'] == \
        pool['id']

    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])
    assert api.request('GET', '/pools/' + pool['id']).status_code == 404


def test_listeners_share_a_top_level_pool_by_name(api, servers):
    member, = servers.start(1)
    first, second = ports.free_port(), ports.free_port()
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': VIP_SUBNET_ID,
        'listeners': [
            {'protocol': 'HTTP', 'protocol_port': first,
             'default_pool': {'name': 'shared'}},
            {'protocol': 'TCP', 'protocol_port': second,
             'default_pool': {'name': 'shared'}}],
        'pools': [{'name': 'shared', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                   'members': [{'address': member['address'],
                                'protocol_port': member['port']}]}],
    }})
    assert response.status_code == 201, response.text
    lb = response.json()['loadbalancer']
    pool, = lb['pools']
    assert [listener['default_pool_id'] for listener in lb['listeners']] == [pool['id']] * 2
    assert pool['healthmonitor'] is None
    api.wait_active(lb['id'])
    for port in (first, second):
        answer = requests.get('http://%s:%d/' % (lb['vip_address'], port), timeout=5)
        assert identity(member) in answer.text
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_an_invalid_nested_object_creates_nothing(api):
    before = api.request('GET', '/loadbalancers').json()['loadbalancers']

    def refused(loadbalancer, status=400):
        body = {'loadbalancer': dict(loadbalancer, vip_subnet_id=VIP_SUBNET_ID)}
        response = api.request('POST', '/loadbalancers', body)
        assert response.status_code == status, response.text
        return response.json()['faultstring']

    pool = {'name': 'p', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN'}
    assert refused({'listeners': [{'protocol': 'HTTP', 'protocol_port': 80,
                                   'default_pool': {'name': 'nowhere'}}]}) == (
        "Validation failure: Pool 'nowhere' was referenced but no full definition "
        "was found.")
    assert refused({'pools': [pool, pool]}) == (
        'Validation failure: Pool names must be unique when creating a fully '
        'populated loadbalancer.')
    assert refused({'pools': [dict(pool, name=None)]}) == (
        'Validation failure: Pools must be named when creating a fully populated '
        'loadbalancer.')
    assert 'lb_algorithm' in refused({'pools': [dict(pool, lb_algorithm='BOGUS')]})
    assert 'protocol_port' in refused({'pools': [dict(pool, members=[
        {'address': '127.0.0.1', 'protocol_port': 70000}])]})
    assert 'max_retries' in refused({'pools': [dict(pool, healthmonitor={
        'type': 'HTTP', 'delay': 1, 'timeout': 1})]})
    assert 'already using' in refused({'listeners': [
        {'protocol': 'HTTP', 'protocol_port': 80},
        {'protocol': 'TCP', 'protocol_port': 80}]}, status=409)
    assert "pool protocol 'TCP' is invalid" in refused({
        'listeners': [{'protocol': 'HTTP', 'protocol_port': 80,
                       'default_pool': dict(pool, protocol='TCP')}]})
    assert 'loadbalancer_id' in refused({'listeners': [
        {'protocol': 'HTTP', 'protocol_port': 80,
         'loadbalancer_id': '00000000-0000-4000-8000-000000000000'}]})

    assert api.request('GET', '/loadbalancers').json()['loadbalancers'] == before
    assert api.request('GET', '/pools?name=p').json()['pools'] == []


def test_nested_l7_policies_route_to_a_pool_named_in_the_request(api, servers):
    default_member, images_member = servers.start(2)
    port = ports.free_port()

    def pool(name, member):
        return {'name': name, 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                'members': [{'address': member['address'],
                             'protocol_port': member['port']}]}

    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': VIP_SUBNET_ID,
        'listeners': [{
            'protocol': 'HTTP', 'protocol_port': port,
            'default_pool': pool('default', default_member),
            'l7policies': [{
                'name': 'images', 'action': 'REDIRECT_TO_POOL',
                'redirect_pool': {'name': 'images'},
                'rules': [{'type': 'PATH', 'compare_type': 'STARTS_WITH',
                           'value': '/images'}]}]}],
        'pools': [pool('images', images_member)],
    }})
    assert response.status_code == 201, response.text
    lb = response.json()['loadbalancer']
    listener, = lb['listeners']
    pools = {p['name']: p for p in lb['pools']}
    policy, = listener['l7policies']
    assert policy['redirect_pool_id'] == pools['images']['id']
    assert policy['listener_id'] == listener['id'] and policy['position'] == 1
    rule, = policy['rules']
    assert (rule['type'], rule['compare_type'], rule['value']) == (
        'PATH', 'STARTS_WITH', '/images')
    assert listener['default_pool_id'] == pools['default']['id']

    api.wait_active(lb['id'])
    base = 'http://%s:%d' % (lb['vip_address'], port)
    assert identity(images_member) in requests.get(base + '/images/a.png',
                                                   timeout=5).text
    assert identity(default_member) in requests.get(base + '/index.html',
                                                    timeout=5).text
    shown = api.request('GET', '/l7policies/' + policy['id']).json()['l7policy']
    assert shown['provisioning_status'] == 'ACTIVE'
    assert shown['rules'] == [{'id': rule['id']}]
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])
