"""Cross-property rules fail `openstack orchestration template validate`, naming the
property, before anything is created (Heat's own types accept several of these)."""
import pytest

from tests.support import ports
from tests.support.stacks import Stacks
from tests.support.stacks import lb_with_http_listener
from tests.support.stacks import template

# Parents are named (Heat checks that they exist, by name or id, before our rules run):
# they are made once by the `parents` fixture.
LB, LISTENER, POOL, POLICY = 'v-lb', 'v-listener', 'v-pool', 'v-policy'
CASES = {
    'redirect_to_pool_without_pool': (
        'LBaaS::L7Policy', {'listener': LISTENER, 'action': 'REDIRECT_TO_POOL'},
        'Property redirect_pool is required when action is REDIRECT_TO_POOL'),
    'redirect_prefix_without_prefix': (
        'LBaaS::L7Policy', {'listener': LISTENER, 'action': 'REDIRECT_PREFIX'},
        'Property redirect_prefix is required when action is REDIRECT_PREFIX'),
    'header_rule_without_key': (
        'LBaaS::L7Rule', {'l7policy': POLICY, 'type': 'HEADER', 'compare_type': 'EQUAL_TO',
                          'value': 'x'},
        'Property key is required when type is HEADER'),
    'url_path_on_tcp_monitor': (
        'LBaaS::HealthMonitor', {'pool': POOL, 'type': 'TCP', 'delay': 1, 'timeout': 1,
                                 'max_retries': 1, 'url_path': '/'},
        'Property url_path is only allowed when type is HTTP or HTTPS'),
    'terminated_https_without_certificate': (
        'LBaaS::Listener', {'loadbalancer': LB, 'protocol': 'TERMINATED_HTTPS',
                            'protocol_port': 443},
        'Property default_tls_container_ref is required when protocol is '
        'TERMINATED_HTTPS'),
    'proxy_listener': (
        'LBaaS::Listener', {'loadbalancer': LB, 'protocol': 'PROXY', 'protocol_port': 1},
        'protocol'),
    'terminated_https_pool': (
        'LBaaS::Pool', {'loadbalancer': LB, 'protocol': 'TERMINATED_HTTPS',
                        'lb_algorithm': 'ROUND_ROBIN'},
        'protocol'),
    'pool_without_parent': (
        'LBaaS::Pool', {'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN'},
        'Either property listener or property loadbalancer is required'),
    'app_cookie_without_name': (
        'LBaaS::Pool', {'loadbalancer': LB, 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                        'session_persistence': {'type': 'APP_COOKIE'}},
        'Property session_persistence.cookie_name is required'),
    'duplicate_batch_member': (
        'LBaaS::PoolMembers', {'pool': POOL, 'members': [
            {'address': '127.0.0.2', 'protocol_port': 80},
            {'address': '127.0.0.2', 'protocol_port': 80}]},
        'Property members lists 127.0.0.2:80 more than once'),
    'tree_policy_to_unknown_pool': (
        'LBaaS::LoadBalancerTree', {'vip_subnet': 'any', 'listeners': [
            {'name': 'l', 'protocol': 'HTTP', 'protocol_port': 80, 'l7policies': [
                {'action': 'REDIRECT_TO_POOL', 'redirect_pool': 'nope'}]}]},
        'listeners[0].l7policies[0]: Property redirect_pool names pool nope'),
}


@pytest.fixture(scope='module')
def parents(devcloud):
    made = Stacks(devcloud)
    resources = lb_with_http_listener(devcloud, ports.free_port())
    resources['lb']['properties']['name'] = LB
    resources['listener']['properties']['name'] = LISTENER
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'name': POOL, 'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    resources['policy'] = {'type': 'LBaaS::L7Policy', 'properties': {
        'name': POLICY, 'listener': {'get_resource': 'listener'}, 'action': 'REJECT'}}
    made.create('validate-parents', template(resources))
    yield made
    made.delete_all()


def test_names_are_accepted_for_parents(parents):
    refused = parents.validate(template({
        'pool': {'type': 'LBaaS::Pool', 'properties': {
            'loadbalancer': LB, 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN'}},
        'rule': {'type': 'LBaaS::L7Rule', 'properties': {
            'l7policy': POLICY, 'type': 'PATH', 'compare_type': 'STARTS_WITH',
            'value': '/x'}},
        'members': {'type': 'LBaaS::PoolMembers', 'properties': {'pool': POOL}}}))
    assert refused is None, refused


@pytest.mark.parametrize('case', sorted(CASES))
def test_template_validate_names_the_property(parents, case):
    resource_type, properties, expected = CASES[case]
    refused = parents.validate(template({'it': {
        'type': resource_type, 'properties': properties}}))
    assert refused is not None
    assert expected in refused, refused
