"""Cross-property rules: each broken rule is named by the property that breaks it."""
import pytest

from heat_lbaas.resources import property_rules as rules

POLICY_CASES = [
    ({'action': 'REDIRECT_TO_POOL'}, 'Property redirect_pool is required'),
    ({'action': 'REDIRECT_TO_URL'}, 'Property redirect_url is required'),
    ({'action': 'REDIRECT_PREFIX'}, 'Property redirect_prefix is required'),
    ({'action': 'REJECT', 'redirect_url': 'http://x'}, 'Property redirect_url is only'),
    ({'action': 'REDIRECT_TO_POOL', 'redirect_pool': 'p', 'redirect_http_code': 301},
     'Property redirect_http_code is only'),
    ({'action': 'REDIRECT_PREFIX', 'redirect_prefix': 'https://a', 'redirect_http_code': 308},
     None),
    ({'action': 'REJECT'}, None),
]


@pytest.mark.parametrize('props,expected', POLICY_CASES)
def test_l7_policy_rules(props, expected):
    problem = rules.l7_policy_problem(props)
    assert (problem is None) if expected is None else problem.startswith(expected)


RULE_CASES = [
    ({'type': 'HEADER', 'compare_type': 'EQUAL_TO'}, 'Property key is required'),
    ({'type': 'COOKIE', 'compare_type': 'EQUAL_TO'}, 'Property key is required'),
    ({'type': 'PATH', 'compare_type': 'EQUAL_TO', 'key': 'k'}, 'Property key is only'),
    ({'type': 'FILE_TYPE', 'compare_type': 'CONTAINS'}, 'Property compare_type must'),
    ({'type': 'SSL_DN_FIELD', 'compare_type': 'EQUAL_TO', 'key': 'nope'}, 'Property key'),
    ({'type': 'SSL_DN_FIELD', 'compare_type': 'EQUAL_TO', 'key': 'CN'}, None),
    ({'type': 'HEADER', 'compare_type': 'REGEX', 'key': 'X-A'}, None),
]


@pytest.mark.parametrize('props,expected', RULE_CASES)
def test_l7_rule_rules(props, expected):
    problem = rules.l7_rule_problem(props)
    assert (problem is None) if expected is None else problem.startswith(expected)


@pytest.mark.parametrize('name', rules.HTTP_MONITOR_ONLY)
def test_http_only_monitor_fields_are_refused_for_tcp(name):
    assert rules.health_monitor_problem({'type': 'TCP', name: 'x'}) == (
        'Property %s is only allowed when type is HTTP or HTTPS.' % name)


def test_monitor_rules():
    assert rules.health_monitor_problem({'type': 'HTTP', 'url_path': '/'}) is None
    assert 'http_version 1.1' in rules.health_monitor_problem(
        {'type': 'HTTP', 'domain_name': 'a.example'})
    assert rules.health_monitor_problem(
        {'type': 'HTTP', 'domain_name': 'a.example', 'http_version': 1.1}) is None
    assert 'timeout' in rules.health_monitor_problem(
        {'type': 'UDP-CONNECT', 'delay': 1, 'timeout': 2})


def test_listener_rules():
    assert rules.listener_problem({'protocol': 'TERMINATED_HTTPS'}).startswith(
        'Property default_tls_container_ref is required')
    assert rules.listener_problem({'protocol': 'HTTP', 'tls_ciphers': 'x'}).startswith(
        'Property tls_ciphers is only')
    assert rules.listener_problem({'protocol': 'TCP', 'insert_headers': {'a': 'true'}})
    assert 'client_ca_tls_container_ref' in rules.listener_problem({
        'protocol': 'TERMINATED_HTTPS', 'default_tls_container_ref': 'r',
        'client_authentication': 'MANDATORY'})
    assert 'hsts_max_age' in rules.listener_problem({
        'protocol': 'TERMINATED_HTTPS', 'default_tls_container_ref': 'r',
        'hsts_preload': True})
    assert rules.listener_problem({'protocol': 'HTTP'}) is None


def test_pool_rules():
    assert rules.pool_problem({}) == (
        'Either property listener or property loadbalancer is required.')
    assert rules.pool_problem({}, parent_implied=True) is None
    assert 'cookie_name is required' in rules.pool_problem(
        {'listener': 'l', 'session_persistence': {'type': 'APP_COOKIE'}})
    assert 'cookie_name is only' in rules.pool_problem(
        {'listener': 'l', 'session_persistence': {'type': 'SOURCE_IP', 'cookie_name': 'c'}})
    assert 'tls_versions' in rules.pool_problem({'listener': 'l', 'tls_versions': ['TLSv1.3']})


def test_load_balancer_needs_a_vip_source():
    assert 'vip_subnet' in rules.load_balancer_problem({})
    for name in ('vip_subnet', 'vip_network', 'vip_port'):
        assert rules.load_balancer_problem({name: 'x'}) is None


def test_member_list_matches_by_address_and_port():
    members = [{'address': '10.0.0.1', 'protocol_port': 80},
               {'address': '10.0.0.1', 'protocol_port': 81},
               {'address': None, 'protocol_port': None},
               {'address': None, 'protocol_port': None}]
    assert rules.member_list_problem(members) is None
    assert '10.0.0.1:80 more than once' in rules.member_list_problem(members + members[:1])


def test_tree_names_the_nested_object_and_checks_references():
    pools = [{'name': 'web', 'members': [], 'healthmonitor': {'type': 'TCP',
                                                              'url_path': '/'}}]
    assert rules.load_balancer_tree_problem([], pools).startswith(
        'pools[0].healthmonitor: Property url_path is only')
    listeners = [{'name': 'l', 'protocol': 'HTTP', 'default_pool': 'api'}]
    assert rules.load_balancer_tree_problem(listeners, [{'name': 'web'}]) == (
        'listeners[0]: Property default_pool names pool api, which is not in pools.')
    listeners = [{'name': 'l', 'protocol': 'HTTP', 'l7policies': [
        {'action': 'REDIRECT_TO_POOL', 'rules': [{'type': 'HEADER',
                                                  'compare_type': 'EQUAL_TO'}]}]}]
    assert rules.load_balancer_tree_problem(listeners, []).startswith(
        'listeners[0].l7policies[0]: Property redirect_pool is required')
    listeners[0]['l7policies'][0]['redirect_pool'] = 'web'
    assert rules.load_balancer_tree_problem(listeners, [{'name': 'web'}]).startswith(
        'listeners[0].l7policies[0].rules[0]: Property key is required')
    assert 'used more than once' in rules.load_balancer_tree_problem(
        [], [{'name': 'web'}, {'name': 'web'}])
