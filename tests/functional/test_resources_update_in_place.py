"""Every property Octavia can update is updated in place: after a stack update that
changes all of them, every object keeps its id and shows the new values.

The properties left out are listed with the reason; the test fails when a type gains an
updatable property that is neither changed here nor listed, so this stays complete."""
import copy

import requests

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import resource_mapping
from tests.support.stacks import lb_with_http_listener, template

NOT_CHANGED_HERE = {
    # TLS fields need a TERMINATED_HTTPS listener or TLS pool (certificates: functional
    # tests of the controller); the QoS policy needs Neutron.
    'LBaaS::LoadBalancer': {'vip_qos_policy'},
    'LBaaS::Listener': {'alpn_protocols', 'client_authentication',
                        'client_ca_tls_container_ref', 'client_crl_container_ref',
                        'default_tls_container_ref', 'hsts_include_subdomains',
                        'hsts_max_age', 'hsts_preload', 'sni_container_refs',
                        'tls_ciphers', 'tls_versions'},
    'LBaaS::Pool': {'alpn_protocols', 'ca_tls_container_ref', 'crl_container_ref',
                    'tls_ciphers', 'tls_container_ref', 'tls_enabled', 'tls_versions'},
    'LBaaS::HealthMonitor': set(),
    # Heat-side behaviour, no Octavia field: shown by tests/e2e/test_lifecycle_rules.py.
    'LBaaS::Member': {'drain_seconds', 'online_timeout', 'wait_for_online'},
}
# resource name -> (type, {property: new value}); the API field has the property's name
# unless FIELD_OF says otherwise.
CHANGES = {
    'lb': ('LBaaS::LoadBalancer', {'name': 'lb-2', 'description': 'second',
                                   'admin_state_up': True, 'tags': ['t2']}),
    'listener': ('LBaaS::Listener', {
        'name': 'listener-2', 'description': 'second', 'admin_state_up': True,
        'connection_limit': 77, 'default_pool': {'get_resource': 'pool_b'},
        'timeout_client_data': 40000, 'timeout_member_connect': 4000,
        'timeout_member_data': 41000, 'timeout_tcp_inspect': 1000,
        'insert_headers': {'X-Forwarded-For': 'true'}, 'allowed_cidrs': ['127.0.0.0/8'],
        'tags': ['t2']}),
    'pool': ('LBaaS::Pool', {'name': 'pool-2', 'description': 'second',
                             'admin_state_up': True, 'lb_algorithm': 'LEAST_CONNECTIONS',
                             'session_persistence': {'type': 'HTTP_COOKIE'},
                             'tags': ['t2']}),
    'monitor': ('LBaaS::HealthMonitor', {
        'name': 'monitor-2', 'delay': 4, 'timeout': 3, 'max_retries': 4,
        'max_retries_down': 2, 'http_method': 'HEAD', 'url_path': '/health',
        'expected_codes': '200-204', 'http_version': 1.1, 'domain_name': 'example.test',
        'admin_state_up': True, 'tags': ['t2']}),
    'member': ('LBaaS::Member', {
        'name': 'member-2', 'weight': 7, 'admin_state_up': True, 'backup': True,
        'monitor_address': {'get_attr': ['server', 'address']}, 'monitor_port': 8080,
        'tags': ['t2']}),
}
FIELD_OF = {'default_pool': 'default_pool_id'}


def first_template(devcloud, port):
    return {
        'server': {'type': 'LBaaS::Dev::WebServer', 'properties': {'port': 8080}},
        **lb_with_http_listener(devcloud, port),
        'pool': {'type': 'LBaaS::Pool', 'properties': {
            'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN'}},
        'pool_b': {'type': 'LBaaS::Pool', 'properties': {
            'loadbalancer': {'get_resource': 'lb'}, 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN'}},
        'monitor': {'type': 'LBaaS::HealthMonitor', 'properties': {
            'pool': {'get_resource': 'pool'}, 'type': 'HTTP', 'delay': 5, 'timeout': 2,
            'max_retries': 3}},
        'member': {'type': 'LBaaS::Member', 'properties': {
            'pool': {'get_resource': 'pool'}, 'protocol_port': 8080,
            'address': {'get_attr': ['server', 'address']}, 'drain_seconds': 0}},
    }


def api_object(devcloud, kind, object_id, pool_id=None):
    path = {'lb': 'loadbalancers/%s', 'listener': 'listeners/%s', 'pool': 'pools/%s',
            'monitor': 'healthmonitors/%s',
            'member': 'pools/%s/members/%%s' % pool_id}[kind] % object_id
    body = requests.get(devcloud.controller_url + '/v2/lbaas/' + path, timeout=10).json()
    return next(iter(body.values()))


def test_change_list_covers_every_updatable_property():
    mapping = resource_mapping()
    for _, (resource_type, changes) in CHANGES.items():
        updatable = {name for name, schema in mapping[resource_type].properties_schema.items()
                     if schema.update_allowed}
        assert set(changes) | NOT_CHANGED_HERE[resource_type] == updatable, resource_type


def test_every_updatable_property_updates_in_place(devcloud, stacks):
    port = 8096
    resources = first_template(devcloud, port)
    stacks.create('inplace', template(resources))
    before = stacks.physical_ids('inplace')

    changed = copy.deepcopy(resources)
    for name, (_, changes) in CHANGES.items():
        changed[name]['properties'].update(changes)
    stacks.update('inplace', template(changed))

    after = stacks.physical_ids('inplace')
    assert after == before, 'an update replaced objects instead of updating them'
    server_address = requests.get(
        devcloud.controller_url + '/v2/lbaas/pools/%s/members/%s' % (
            after['pool'], after['member']), timeout=10).json()['member']['address']
    for name, (_, changes) in CHANGES.items():
        shown = api_object(devcloud, name, after[name], pool_id=after['pool'])
        for prop, value in changes.items():
            field = FIELD_OF.get(prop, prop)
            if isinstance(value, dict) and 'get_resource' in value:
                value = after[value['get_resource']]
            elif isinstance(value, dict) and 'get_attr' in value:
                value = server_address
            if prop == 'session_persistence':
                assert shown[field]['type'] == value['type'], (name, prop, shown[field])
            elif prop == 'tags':
                # Plus the one tag that marks the object as the resource's own.
                owner = [tag for tag in shown[field]
                         if tag.startswith(lifecycle.OWNER_TAG_PREFIX)]
                assert len(owner) == 1, shown[field]
                assert [tag for tag in shown[field] if tag not in owner] == value
            else:
                assert shown[field] == value, (name, prop, shown[field], value)
    stacks.delete('inplace')
