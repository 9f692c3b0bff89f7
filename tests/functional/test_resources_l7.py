"""LBaaS::L7Policy and LBaaS::L7Rule through the real Heat engine on the devcloud:
create routes real traffic, every updatable property changes in place (same physical
id), REDIRECT_PREFIX works, delete leaves nothing."""
import copy

import requests

from tests.support import ports
from tests.support.stacks import lb_with_http_listener
from tests.support.stacks import template
from tests.support.stacks import vip_url
from tests.support.stacks import web_server


def routed_template(devcloud, port):
    resources = lb_with_http_listener(devcloud, port)
    for name in ('web', 'api'):
        resources['%s_server' % name] = web_server(ports.free_port())
        resources['%s_pool' % name] = {'type': 'LBaaS::Pool', 'properties': {
            'loadbalancer': {'get_resource': 'lb'}, 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN', 'name': '%s-pool' % name}}
        resources['%s_member' % name] = {'type': 'LBaaS::Member', 'properties': {
            'pool': {'get_resource': '%s_pool' % name},
            'address': {'get_attr': ['%s_server' % name, 'address']},
            'protocol_port': {'get_attr': ['%s_server' % name, 'port']}}}
    resources['listener']['properties']['default_pool'] = {'get_resource': 'web_pool'}
    resources['policy'] = {'type': 'LBaaS::L7Policy', 'properties': {
        'listener': {'get_resource': 'listener'}, 'action': 'REDIRECT_TO_POOL',
        'redirect_pool': {'get_resource': 'api_pool'}, 'name': 'to-api', 'tags': ['one']}}
    resources['rule'] = {'type': 'LBaaS::L7Rule', 'properties': {
        'l7policy': {'get_resource': 'policy'}, 'type': 'PATH',
        'compare_type': 'STARTS_WITH', 'value': '/api'}}
    return template(resources, {'root': {'value': vip_url(port)},
                                'policy': {'value': {'get_attr': ['policy', 'show']}},
                                'rule': {'value': {'get_attr': ['rule', 'show']}}})


def served_once(url):
    return requests.get(url, timeout=5, allow_redirects=False)


def test_l7_policy_and_rule_create_update_in_place_delete(devcloud, stacks):
    port = ports.free_port()
    first = routed_template(devcloud, port)
    print('create: %.1f s' % stacks.create('l7', first))
    root = stacks.output('l7', 'root')
    assert 'web_server' in served_once(root).text
    assert 'api_server' in served_once(root + 'api/x').text
    ids = stacks.physical_ids('l7')

    # Every updatable property of the rule and of the policy, in place.
    second = copy.deepcopy(first)
    policy = second['resources']['policy']['properties']
    policy.update(name='to-api-v2', description='v2 routing', tags=['two'], position=1,
                  admin_state_up=True)
    second['resources']['rule']['properties'].update(
        type='HEADER', key='X-Route', compare_type='EQUAL_TO', value='api', tags=['r'])
    stacks.update('l7', second)
    assert stacks.physical_ids('l7') == ids
    shown = stacks.output('l7', 'policy')
    assert (shown['name'], shown['description'], shown['tags']) == (
        'to-api-v2', 'v2 routing', ['two'])
    rule = stacks.output('l7', 'rule')
    assert (rule['type'], rule['key'], rule['value']) == ('HEADER', 'X-Route', 'api')
    assert 'web_server' in served_once(root + 'api/x').text
    assert 'api_server' in requests.get(root, headers={'X-Route': 'api'}, timeout=5).text

    # The action Heat's own type lacks: REDIRECT_PREFIX with its own HTTP code.
    third = copy.deepcopy(second)
    policy = third['resources']['policy']['properties']
    del policy['redirect_pool']
    policy.update(action='REDIRECT_PREFIX', redirect_prefix='https://example.com',
                  redirect_http_code=308)
    third['resources']['rule']['properties'].update(invert=True)
    stacks.update('l7', third)
    assert stacks.physical_ids('l7') == ids
    answer = served_once(root + 'some/path')    # no X-Route header: inverted rule matches
    assert answer.status_code == 308
    assert answer.headers['Location'] == 'https://example.com/some/path'

    stacks.delete('l7')
    assert devcloud.load_balancer.load_balancers() == []
