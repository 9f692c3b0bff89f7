"""environments/octavia-compat.yaml runs a template written for Heat's OS::Octavia::*
types on ours, unchanged: the same template is created once with Heat's stock types and
once with the environment, and the two load-balancer trees are compared field by field
(everything but ids, names, member addresses and timestamps) and with real traffic."""
import pathlib

import requests

from tests.support import stacks as stacks_support

ROOT = pathlib.Path(__file__).resolve().parents[2]
PORT = 8095
COMPARED = {
    'listeners': ('protocol', 'protocol_port', 'connection_limit', 'admin_state_up',
                  'timeout_client_data', 'timeout_member_connect',
                  'timeout_member_data', 'timeout_tcp_inspect', 'provisioning_status'),
    'pools': ('protocol', 'lb_algorithm', 'session_persistence', 'admin_state_up',
              'provisioning_status'),
    # Addresses differ: each stack has its own web servers.
    'members': ('protocol_port', 'weight', 'admin_state_up', 'backup',
                'provisioning_status'),
    'healthmonitors': ('type', 'delay', 'timeout', 'max_retries', 'max_retries_down',
                       'http_method', 'url_path', 'expected_codes', 'admin_state_up',
                       'provisioning_status'),
    'l7policies': ('action', 'position', 'admin_state_up', 'provisioning_status'),
    'rules': ('type', 'compare_type', 'value', 'invert', 'admin_state_up',
              'provisioning_status'),
}


def octavia_template(devcloud):
    """Written for Heat's types. Only the load balancer is ours: Heat's needs Neutron
    to resolve its subnet, which the devcloud has not."""
    resources = {
        'lb': {'type': 'LBaaS::LoadBalancer',
               'properties': {'vip_subnet': devcloud.settings['vip_subnet_id']}},
        'listener': {'type': 'OS::Octavia::Listener', 'properties': {
            'loadbalancer': {'get_resource': 'lb'}, 'protocol': 'HTTP',
            'protocol_port': PORT, 'connection_limit': 500}},
        'pool': {'type': 'OS::Octavia::Pool', 'properties': {
            'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN',
            'session_persistence': {'type': 'SOURCE_IP'}}},
        'monitor': {'type': 'OS::Octavia::HealthMonitor', 'properties': {
            'pool': {'get_resource': 'pool'}, 'type': 'HTTP', 'delay': 2, 'timeout': 1,
            'max_retries': 2, 'url_path': '/', 'expected_codes': '200'}},
        'policy': {'type': 'OS::Octavia::L7Policy', 'properties': {
            'listener': {'get_resource': 'listener'}, 'action': 'REJECT',
            'position': 1}},
        'rule': {'type': 'OS::Octavia::L7Rule', 'properties': {
            'l7policy': {'get_resource': 'policy'}, 'type': 'PATH',
            'compare_type': 'STARTS_WITH', 'value': '/admin'}},
    }
    for n in range(2):
        resources['server%d' % n] = stacks_support.web_server(8080)
        resources['member%d' % n] = {'type': 'OS::Octavia::PoolMember', 'properties': {
            'pool': {'get_resource': 'pool'}, 'weight': 2 + n,
            'address': {'get_attr': ['server%d' % n, 'address']},
            'protocol_port': {'get_attr': ['server%d' % n, 'port']}}}
    return stacks_support.template(
        resources, {'url': {'value': stacks_support.vip_url(PORT)}})


def tree(devcloud, lb_id):
    """The compared fields of every object under the load balancer."""
    api = devcloud.controller_url + '/v2/lbaas/'

    def listed(path, **filters):
        body = requests.get(api + path, params=filters, timeout=10).json()
        return body[path.rsplit('/', 1)[-1]]

    def shape(kind, objects):
        return sorted((tuple(o[f] if not isinstance(o[f], dict) else sorted(o[f].items())
                             for f in COMPARED[kind]) for o in objects), key=repr)

    pools = listed('pools', loadbalancer_id=lb_id)
    listeners = listed('listeners', loadbalancer_id=lb_id)
    policies = [p for listener in listeners
                for p in listed('l7policies', listener_id=listener['id'])]
    return {
        'listeners': shape('listeners', listeners),
        'pools': shape('pools', pools),
        'members': shape('members', [m for p in pools
                                     for m in listed('pools/%s/members' % p['id'])]),
        'healthmonitors': shape('healthmonitors', [
            requests.get(api + 'healthmonitors/' + p['healthmonitor_id'],
                         timeout=10).json()['healthmonitor'] for p in pools]),
        'l7policies': shape('l7policies', policies),
        'rules': shape('rules', [r for p in policies
                                 for r in listed('l7policies/%s/rules' % p['id'])]),
    }


def test_octavia_types_and_compat_environment_build_the_same_tree(devcloud, stacks):
    template = octavia_template(devcloud)
    stacks.create('stock', template)
    stacks.create('compat', template, [ROOT / 'environments/octavia-compat.yaml'])

    registry = devcloud.heat.environment('compat')['resource_registry']
    assert registry['OS::Octavia::Pool'] == 'LBaaS::Pool'
    assert 'OS::Octavia::Pool' not in devcloud.heat.environment(
        'stock')['resource_registry']

    trees = {name: tree(devcloud, stacks.physical_ids(name)['lb'])
             for name in ('stock', 'compat')}
    assert trees['stock'] == trees['compat']
    assert len(trees['compat']['members']) == 2 and len(trees['compat']['rules']) == 1

    for name in ('stock', 'compat'):
        url = stacks.output(name, 'url')
        assert requests.get(url, timeout=5).status_code == 200
        assert requests.get(url + 'admin/x', timeout=5).status_code == 403
