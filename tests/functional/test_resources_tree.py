"""LBaaS::LoadBalancerTree: the whole tree in one POST; traffic (default pool, L7
routing to a shared pool, a second listener) right after CREATE_COMPLETE."""
import requests

from tests.support import ports
from tests.support.stacks import served_by
from tests.support.stacks import template
from tests.support.stacks import web_server


def tree_template(devcloud, web_port, api_port):
    resources = {'web1': web_server(ports.free_port()), 'web2': web_server(ports.free_port()),
                 'api1': web_server(ports.free_port())}

    def member(name):
        return {'address': {'get_attr': [name, 'address']},
                'protocol_port': {'get_attr': [name, 'port']}, 'name': name}

    resources['lb'] = {'type': 'LBaaS::LoadBalancerTree', 'properties': {
        'vip_subnet': devcloud.settings['vip_subnet_id'], 'tags': ['tree'],
        'pools': [
            {'name': 'web', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
             'members': [member('web1'), member('web2')],
             'healthmonitor': {'type': 'HTTP', 'delay': 1, 'timeout': 1,
                               'max_retries': 1, 'url_path': '/'}},
            {'name': 'api', 'protocol': 'HTTP', 'lb_algorithm': 'LEAST_CONNECTIONS',
             'members': [member('api1')]}],
        'listeners': [
            {'name': 'front', 'protocol': 'HTTP', 'protocol_port': web_port,
             'default_pool': 'web', 'l7policies': [
                 {'action': 'REDIRECT_TO_POOL', 'redirect_pool': 'api', 'rules': [
                     {'type': 'PATH', 'compare_type': 'STARTS_WITH', 'value': '/api'}]}]},
            {'name': 'api-only', 'protocol': 'HTTP', 'protocol_port': api_port,
             'default_pool': 'api'}]}}
    return template(resources, {
        'vip': {'value': {'get_attr': ['lb', 'vip_address']}},
        'listener_ids': {'value': {'get_attr': ['lb', 'listener_ids']}},
        'pool_ids': {'value': {'get_attr': ['lb', 'pool_ids']}}})


def test_tree_is_one_request_and_serves_at_create_complete(devcloud, stacks):
    web_port, api_port = ports.free_port(), ports.free_port()
    print('create: %.1f s' % stacks.create('tree', tree_template(devcloud, web_port, api_port)))
    vip = stacks.output('tree', 'vip')
    front = 'http://%s:%d/' % (vip, web_port)
    # No waiting: CREATE_COMPLETE means the amphora already serves every part.
    assert {line.split()[1].split('/')[1] for line in served_by(front, 6)} == {
        'web1', 'web2'}
    assert '/api1 ' in requests.get(front + 'api/v1', timeout=5).text
    assert '/api1 ' in requests.get('http://%s:%d/' % (vip, api_port), timeout=5).text
    assert set(stacks.output('tree', 'listener_ids')) == {'front', 'api-only'}
    assert set(stacks.output('tree', 'pool_ids')) == {'web', 'api'}
    assert len(devcloud.load_balancer.load_balancers()) == 1

    stacks.delete('tree')    # cascade: one delete for the whole tree
    assert devcloud.load_balancer.load_balancers() == []
