"""L7 rendering and validation helpers: HAProxy lines per rule type, escaping, and
the strict character rules that keep user values from changing the configuration."""
import shutil
import subprocess

import pytest

from heat_lbaas.controller.amphora import l7_render
from heat_lbaas.controller.amphora import render
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import l7_validation
from heat_lbaas.controller.db import l7_positions
from heat_lbaas.controller.db import tree as tree_module

LB, LISTENER, POOL, POOL2 = 'lb-1', 'listener-1', 'pool-1', 'pool-2'


def _rule(rule_id, rule_type, compare_type, value, key=None, invert=False,
          policy='policy-1'):
    return {'id': rule_id, 'l7policy_id': policy, 'type': rule_type,
            'compare_type': compare_type, 'key': key, 'value': value,
            'invert': invert, 'admin_state_up': True, 'provisioning_status': 'ACTIVE'}


@pytest.mark.parametrize('rule, line', [
    (_rule('r', 'HOST_NAME', 'EQUAL_TO', 'www.example.com'),
     'acl r req.hdr(host),field(1,:) -i -m str -- www.example.com'),
    (_rule('r', 'PATH', 'STARTS_WITH', '/api'), 'acl r path -m beg -- /api'),
    (_rule('r', 'PATH', 'ENDS_WITH', '.php'), 'acl r path -m end -- .php'),
    (_rule('r', 'PATH', 'CONTAINS', 'adm'), 'acl r path -m sub -- adm'),
    (_rule('r', 'PATH', 'REGEX', r'^/v\d+$'), r'acl r path -m reg -- ^/v\\d+$'),
    (_rule('r', 'FILE_TYPE', 'EQUAL_TO', 'jpg'), 'acl r path -m end -- .jpg'),
    (_rule('r', 'FILE_TYPE', 'REGEX', 'jpg|png'),
     r'acl r path -m reg -- \\.(jpg|png)$'),
    (_rule('r', 'HEADER', 'EQUAL_TO', 'yes', key='X-Block'),
     'acl r req.hdr(X-Block) -m str -- yes'),
    (_rule('r', 'COOKIE', 'CONTAINS', 'admin', key='role'),
     'acl r req.cook(role) -m sub -- admin'),
])
def test_acl_line_per_rule_type(rule, line):
    assert l7_render.acl_line(rule) == line


def test_action_lines_and_invert():
    rules = [_rule('a', 'PATH', 'EQUAL_TO', '/x'),
             _rule('b', 'PATH', 'EQUAL_TO', '/y', invert=True)]
    policy = {'action': 'REJECT'}
    assert l7_render.action_line(policy, rules) == 'http-request deny if a !b'
    policy = {'action': 'REDIRECT_TO_URL', 'redirect_url': 'https://e.example.com/',
              'redirect_http_code': 301}
    assert l7_render.action_line(policy, rules[:1]) == (
        'redirect location https://e.example.com/ code 301 if a')
    policy = {'action': 'REDIRECT_PREFIX', 'redirect_prefix': 'https://e.example.com',
              'redirect_http_code': 302}
    assert l7_render.action_line(policy, rules[:1]) == (
        'redirect prefix https://e.example.com code 302 if a')
    policy = {'action': 'REDIRECT_TO_POOL'}
    assert l7_render.action_line(policy, rules[:1], 'p:l') == 'use_backend p:l if a'


def _tree(policies, rules):
    lb = {'id': LB, 'vip_address': '127.0.0.1', 'admin_state_up': True,
          'provisioning_status': 'ACTIVE'}
    listener = {'id': LISTENER, 'protocol': 'HTTP', 'protocol_port': 8080,
                'default_pool_id': POOL, 'connection_limit': -1,
                'admin_state_up': True, 'provisioning_status': 'ACTIVE',
                'insert_headers': {}, 'allowed_cidrs': None,
                'default_tls_container_ref': None, 'sni_container_refs': [],
                'timeout_client_data': 50000, 'timeout_member_connect': 5000,
                'timeout_member_data': 50000, 'timeout_tcp_inspect': 0}
    pools = [{'id': pool_id, 'loadbalancer_id': LB, 'protocol': 'HTTP',
              'lb_algorithm': 'ROUND_ROBIN', 'admin_state_up': True,
              'provisioning_status': 'ACTIVE', 'session_persistence': None,
              'tls_enabled': False}
             for pool_id in (POOL, POOL2)]
    return tree_module.LoadBalancerTree(lb, [listener], pools, [], [], policies, rules)


def _policy(policy_id, position, action='REJECT', **fields):
    policy = {'id': policy_id, 'listener_id': LISTENER, 'position': position,
              'action': action, 'admin_state_up': True,
              'provisioning_status': 'ACTIVE', 'redirect_pool_id': None,
              'redirect_url': None, 'redirect_prefix': None,
              'redirect_http_code': None}
    policy.update(fields)
    return policy


def test_policies_render_in_position_order_and_redirect_pools_get_a_backend():
    policies = [_policy('second', 2, 'REDIRECT_TO_POOL', redirect_pool_id=POOL2),
                _policy('first', 1),
                _policy('no-rules', 3),
                _policy('disabled', 4, admin_state_up=False)]
    rules = [_rule('r2', 'PATH', 'STARTS_WITH', '/api', policy='second'),
             _rule('r1', 'PATH', 'EQUAL_TO', '/x', policy='first'),
             _rule('r4', 'PATH', 'EQUAL_TO', '/y', policy='disabled')]
    model = render.render_model(_tree(policies, rules), '/tmp/stats.sock')
    frontend = model['frontends'][0]
    assert frontend['l7_acls'] == ['acl r1 path -m str -- /x',
                                   'acl r2 path -m beg -- /api']
    assert frontend['l7_actions'] == [
        'http-request deny if r1',
        'use_backend %s if r2' % render.backend_name(POOL2, LISTENER)]
    assert [b['name'] for b in model['backends']] == [
        render.backend_name(POOL, LISTENER), render.backend_name(POOL2, LISTENER)]


# Values the API accepts that look most like HAProxy syntax: they must still be one
# word with the meaning asked for.
ACCEPTED_RULES = [
    _rule('r-dash', 'HEADER', 'EQUAL_TO', '-f', key='X-A'),
    _rule('r-braces', 'PATH', 'CONTAINS', '{if}!$x%[y];'),
    _rule('r-regex', 'PATH', 'REGEX', r'^/a\s*\\b{2}$'),
    _rule('r-cookie', 'COOKIE', 'REGEX', r'(a|b)\d', key='c.k-1'),
]


@pytest.mark.skipif(shutil.which('haproxy') is None, reason='haproxy not installed')
def test_rendered_configuration_with_accepted_values_passes_haproxy_check(tmp_path):
    for rule in ACCEPTED_RULES:
        l7_validation.check_rule(dict(rule))
    policies = [_policy('policy-1', 1),
                _policy('policy-2', 2, 'REDIRECT_TO_URL',
                        redirect_url='https://e.example.com/a?b=%20c&d=(e)',
                        redirect_http_code=308)]
    rules = ACCEPTED_RULES + [_rule('r-url', 'PATH', 'EQUAL_TO', '/u',
                                    policy='policy-2')]
    text = render.render(_tree(policies, rules), str(tmp_path / 'stats.sock'))
    path = tmp_path / 'haproxy.cfg'
    path.write_text(text)
    check = subprocess.run(['haproxy', '-c', '-f', str(path)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr + text
    assert 'acl r-dash req.hdr(X-A) -m str -- -f' in text


@pytest.mark.parametrize('value', [
    'a b', 'a\tb', 'a\nb', '"a"', "'a'", 'a#b', 'a\\b', 'caf\u00e9', 'a\x00', '',
    'x' * 256])
def test_plain_values_refuse_anything_haproxy_reads_as_syntax(value):
    with pytest.raises(errors.ApiError) as raised:
        l7_validation.check_rule(_rule('r', 'PATH', 'EQUAL_TO', value))
    assert raised.value.status == 400


def test_regex_values_may_hold_backslashes_but_must_compile():
    l7_validation.check_rule(_rule('r', 'PATH', 'REGEX', r'^/a\.b$'))
    with pytest.raises(l7_validation.RuleInvalid):
        l7_validation.check_rule(_rule('r', 'PATH', 'REGEX', '(a'))
    with pytest.raises(errors.InvalidInput):
        l7_validation.check_rule(_rule('r', 'PATH', 'REGEX', 'a b'))


@pytest.mark.parametrize('url', ['https://e.example.com', 'http://e.example.com:8080/a?b=c'])
def test_urls_accepted(url):
    l7_validation.check_url('redirect_url', url)


@pytest.mark.parametrize('url', ['ftp://e.example.com/', '/path', 'http://', 'http://e/#f',
                                 "http://e.example.com/'", 'http://e.example.com:0x/'])
def test_urls_refused(url):
    with pytest.raises(errors.InvalidInput):
        l7_validation.check_url('redirect_url', url)


def test_sanitize_policy_sets_octavia_defaults_and_clears_unused_fields():
    policy = l7_validation.sanitize_policy({
        'action': 'REDIRECT_TO_URL', 'redirect_url': 'http://e.example.com/',
        'redirect_pool_id': 'p', 'redirect_prefix': None, 'redirect_http_code': None})
    assert policy['redirect_http_code'] == 302 and policy['redirect_pool_id'] is None
    policy = l7_validation.sanitize_policy({
        'action': 'REJECT', 'redirect_url': 'http://e.example.com/',
        'redirect_pool_id': None, 'redirect_prefix': None, 'redirect_http_code': 301})
    assert policy['redirect_url'] is None and policy['redirect_http_code'] is None


@pytest.mark.parametrize('ids, position, expected', [
    (['a', 'b', 'c'], 1, ['n', 'a', 'b', 'c']),
    (['a', 'b', 'c'], 2, ['a', 'n', 'b', 'c']),
    (['a', 'b', 'c'], 99, ['a', 'b', 'c', 'n']),
    (['a', 'b', 'c'], None, ['a', 'b', 'c', 'n']),
    (['a', 'n', 'b'], 3, ['a', 'b', 'n']),     # moving an existing policy
])
def test_positions_insert_append_and_move(ids, position, expected):
    assert l7_positions.place(ids, 'n', position) == expected
