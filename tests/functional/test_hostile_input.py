"""No value a user sends can inject HAProxy configuration or break it.

A corpus of hostile values (newlines, quotes, '#', backslashes, spaces, very long and
non-ASCII strings, control characters, HAProxy sample-fetch and variable syntax) goes
through every writable field of every object whose kind is a string, list, map, IP
address, CIDR list or status codes. Each request is refused with a 4xx fault or
accepted; none gets a 5xx. Afterwards the load balancer is still ACTIVE and serving,
its configuration passes `haproxy -c`, and no hostile value opened a line of its own.

Then each field kind at and beyond its limits: numbers at their declared bounds are
deployed, one past them refused naming the field; addresses given in a non-canonical
form are stored as given (as Octavia's) and rendered normalised, with a port or
options appended refused;
CIDRs are normalised and spread over lines HAProxy can parse; regular expressions
PCRE2 refuses, reversed status code ranges and non-http(s) URLs are refused.
"""
import ipaddress

import requests

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import render
from tests.support import haproxy_config
from tests.support import object_tree

MARK = 'INJECTED'
HOSTILE = [
    'x\n' + MARK + ' 1',
    'x\r\n' + MARK + ' 2',
    'x" ' + MARK,
    "x' " + MARK,
    '#' + MARK,
    'x #' + MARK,
    'back\\' + MARK,
    'with space ' + MARK,
    MARK + 'y' * 300,
    'ünïcödé-' + MARK,
    '%[src]' + MARK,
    '${HOME}' + MARK,
    '-f /etc/passwd ' + MARK,
    '\x00' + MARK,
    '\t' + MARK,
    '\x1b[31m' + MARK,
    'x\u2028' + MARK,
]
# Near misses of addresses, CIDRs and status codes, for fields of those kinds.
HOSTILE_SHAPED = [
    '127.0.0.1 check inter 1 ' + MARK,
    '127.0.0.1\n' + MARK,
    'fe80::1%eth0 ' + MARK,
    '10.0.0.0/8 ' + MARK,
    '200\n' + MARK,
    '200-100',
]
STRINGY = (model.STRING, model.STRING_LIST, model.DICT, model.IP, model.CIDR_LIST,
           model.STATUS_CODES)
# Kinds with a shape of their own: every hostile value is refused, naming the field.
SHAPED = (model.IP, model.CIDR_LIST, model.STATUS_CODES)


def hostile_payloads(field):
    for value in HOSTILE + (HOSTILE_SHAPED if field.kind in SHAPED else []):
        if field.kind in (model.STRING_LIST, model.CIDR_LIST):
            yield [value]
        elif field.kind == model.DICT:
            yield {value: 'true'}
            yield {'X-Forwarded-For': value}
            yield {'type': 'APP_COOKIE', 'cookie_name': value}
        else:
            yield value


def writable_string_fields(object_type):
    return [f for f in object_type.fields
            if f.access == model.WRITABLE and f.kind in STRINGY]


def serving_tree(api, servers):
    server, = servers.start(1)
    return object_tree.one_of_each(api, server['address'], server['port'])


def checked_config(controller, lb_id):
    """The amphora's configuration, after `haproxy -c` accepted it here too."""
    path = haproxy_config.amphora_config_path(controller.state_dir, lb_id)
    accepted, output = haproxy_config.haproxy_check(path)
    assert accepted, output
    with open(path, encoding='utf-8', errors='strict') as config_file:
        config = config_file.read()
    assert haproxy_config.foreign_lines(config) == [], config
    return config


def test_hostile_values_in_every_field_change_nothing_in_haproxy(api, servers,
                                                                controller):
    lb, port, paths = serving_tree(api, servers)
    targets = list(paths.items())
    answers = {}
    for object_type, path in targets:
        for field in writable_string_fields(object_type):
            for payload in hostile_payloads(field):
                response = api.request('PUT', path, {object_type.key: {field.name: payload}})
                answers.setdefault(response.status_code, []).append(field.name)
                assert response.status_code < 500, (field.name, payload, response.text)
                if field.kind in SHAPED:
                    assert response.status_code == 400, (field.name, payload)
                    assert field.name in response.json()['faultstring'], response.text
                if response.status_code >= 400:
                    assert response.json()['faultstring'], response.text
                else:
                    api.wait_active(lb['id'])
    print({status: sorted(set(names)) for status, names in answers.items()})
    assert set(answers) <= {200, 400}, answers
    assert 400 in answers

    # The amphora took every accepted change and still serves.
    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    config = checked_config(controller, lb['id'])
    for line in config.splitlines():
        assert not line.strip().startswith(MARK), line
        assert '\r' not in line and '\x00' not in line, line
    response = requests.get('http://%s:%d/' % (lb['vip_address'], port), timeout=5)
    assert response.status_code in (200, 403), response.text
    api.delete_loadbalancer(lb['id'])


def integer_fields(object_type):
    return [f for f in object_type.fields if f.access == model.WRITABLE
            and f.kind == model.INTEGER and not f.choices]


def refused_naming(response, field_name):
    assert response.status_code == 400, (field_name, response.status_code, response.text)
    fault = response.json()
    assert field_name in fault['faultstring'], fault
    return fault['faultstring']


# Refused on this tree's HTTP listener whatever the value, as declared in model.py
# (Octavia: certificates and HSTS only on TERMINATED_HTTPS);
# tests/functional/test_tls_options.py deploys them.
TLS_ONLY = {f.name for f in model.LISTENER.fields
            if f.listener_protocols and 'HTTP' not in f.listener_protocols}


def test_every_field_kind_at_and_beyond_its_limits(api, servers, controller):
    lb, port, paths = serving_tree(api, servers)

    def put(object_type, **values):
        return api.request('PUT', paths[object_type], {object_type.key: values})

    # Numbers: the declared bounds deploy, one past them is refused naming the field.
    # (All of an object's numbers at once: one reload per bound and object.)
    for object_type in paths:
        fields = integer_fields(object_type)
        for bound in ('minimum', 'maximum'):
            values = {f.name: getattr(f, bound) for f in fields
                      if getattr(f, bound) is not None and f.name not in TLS_ONLY}
            if values:
                response = put(object_type, **values)
                assert response.status_code == 200, (values, response.text)
                api.wait_active(lb['id'])
                checked_config(controller, lb['id'])
        for field in fields:
            beyond = [field.maximum + 1 if field.maximum is not None else 2 ** 63,
                      field.minimum - 1, '1 check', '1\n' + MARK]
            for value in beyond:
                refused_naming(put(object_type, **{field.name: value}), field.name)
    # Back to values that keep the load balancer serving.
    api.update_child(lb['id'], paths[model.LOADBALANCER], 'loadbalancer',
                     admin_state_up=True)
    api.update_child(lb['id'], paths[model.LISTENER], 'listener', connection_limit=-1,
                     timeout_client_data=50000, timeout_member_connect=5000,
                     timeout_member_data=50000)
    api.update_child(lb['id'], paths[model.MEMBER], 'member', weight=1,
                     monitor_port=None)
    api.update_child(lb['id'], paths[model.HEALTH_MONITOR], 'healthmonitor', delay=1,
                     timeout=1, max_retries=1)

    # Addresses: stored as given, rendered normalised; anything appended is refused.
    pool_path = paths[model.POOL]
    for address in ('0:0:0:0:0:0:0:1', '::FFFF:127.0.0.1', '127.0.0.1'):
        response = api.request('POST', pool_path + '/members', {'member': {
            'address': address, 'protocol_port': 9, 'monitor_address': address,
            'monitor_port': 9}})
        assert response.status_code == 201, response.text
        member = response.json()['member']
        normalised = str(ipaddress.ip_address(address))
        assert member['address'] == member['monitor_address'] == address
        api.wait_active(lb['id'])
        config = checked_config(controller, lb['id'])
        assert ' %s:9 ' % render.host(normalised) in config, config
        assert ' addr %s port 9' % render.host(normalised) in config, config
        api.request('DELETE', '%s/members/%s' % (pool_path, member['id']))
        api.wait_active(lb['id'])
    for address in ('127.0.0.1 check inter 1', '127.0.0.1\n' + MARK, '127.0.0.1:80',
                    'fe80::1%lo', 'fe80::1%lo check', '127.0.0.01', '\u0661.0.0.1'):
        response = api.request('POST', pool_path + '/members', {'member': {
            'address': address, 'protocol_port': 9}})
        refused_naming(response, 'address')
        refused_naming(put(model.MEMBER, monitor_address=address), 'monitor_address')
        response = api.request('POST', '/loadbalancers', {'loadbalancer': {
            'vip_address': address}})
        refused_naming(response, 'vip_address')

    # CIDRs: normalised as Octavia's CidrType; a long list spans several lines.
    many = ['10.%d.%d.1/24' % (i // 256, i % 256) for i in range(120)] + ['127.0.0.0/8']
    response = put(model.LISTENER, allowed_cidrs=many)
    assert response.status_code == 200, response.text
    stored = response.json()['listener']['allowed_cidrs']
    assert stored[0] == '10.0.0.0/24' and stored[-1] == '127.0.0.0/8', stored
    api.wait_active(lb['id'])
    config = checked_config(controller, lb['id'])
    acl_lines = [line for line in config.splitlines()
                 if line.strip().startswith('acl allowed_cidr')]
    assert len(acl_lines) == 3, acl_lines
    assert all(len(line.split()) <= 64 for line in acl_lines), acl_lines
    answer = requests.get('http://%s:%d/' % (lb['vip_address'], port), timeout=5)
    assert answer.status_code in (200, 403), answer.text
    for cidrs in (['10.0.0.0/33'], ['10.0.0.0/8 ' + MARK], ['fe80::/64%lo'], [''],
                  ['10.0.0.0/8\n    stats socket /tmp/x']):
        refused_naming(put(model.LISTENER, allowed_cidrs=cidrs), 'allowed_cidrs')
    api.update_child(lb['id'], paths[model.LISTENER], 'listener', allowed_cidrs=None)

    # Status codes: a reversed range, spaces and non-ASCII digits are refused.
    for codes in ('200-100', '200 - 204', '\u0662\u0660\u0660', '200,', '20x'):
        refused_naming(put(model.HEALTH_MONITOR, expected_codes=codes), 'expected_codes')
    assert put(model.HEALTH_MONITOR, expected_codes='200-204').status_code == 200
    api.wait_active(lb['id'])

    # Regular expressions: Python's re accepts these, PCRE2 (HAProxy's) refuses them.
    for regex in ('a\\u0041', '(?a)x', '(a)\\1', '\\N{DIGIT_ONE}'):
        response = put(model.L7RULE, compare_type='REGEX', value=regex)
        assert response.status_code == 400, (regex, response.text)
        assert response.json()['faultstring'].startswith(
            'Error parsing L7Rule: Unable to parse regular expression: '), response.text
    response = put(model.L7RULE, compare_type='REGEX', value='^(?P<k>y)(?P=k)?es$')
    assert response.status_code == 200, response.text
    api.wait_active(lb['id'])

    # Header names and URLs.
    for key in ('X-Block,x', 'X Block', 'X-Block)', 'X-\u00e9'):
        refused_naming(put(model.L7RULE, key=key), 'key')
    for url in ('javascript:alert(1)', 'http://x/ ' + MARK, 'http://x:99999/',
                'http://x/#' + MARK, 'http://\u00e9.example/'):
        response = put(model.L7POLICY, action='REDIRECT_TO_URL', redirect_url=url)
        refused_naming(response, 'redirect_url')

    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    config = checked_config(controller, lb['id'])
    assert MARK not in config
    answer = requests.get('http://%s:%d/' % (lb['vip_address'], port), timeout=5)
    assert answer.status_code in (200, 403), answer.text
    api.delete_loadbalancer(lb['id'])
