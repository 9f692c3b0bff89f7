"""No string a user sends can inject HAProxy configuration.

A corpus of hostile values (newlines, quotes, '#', backslashes, spaces, very long and
non-ASCII strings, HAProxy sample-fetch and variable syntax) goes through every
string-like field of every object. Each request is refused with a 4xx fault or
accepted; none gets a 5xx. Afterwards the load balancer is still ACTIVE and serving,
its configuration passes `haproxy -c`, and no hostile value opened a line of its own.
"""
import os
import shutil
import subprocess

import requests

from heat_lbaas.controller import model
from tests.support import ports

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
]
STRINGY = (model.STRING, model.STRING_LIST, model.DICT)


def hostile_payloads(field):
    for value in HOSTILE:
        if field.kind == model.STRING_LIST:
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


def test_hostile_values_in_every_field_change_nothing_in_haproxy(api, servers,
                                                                controller):
    server, = servers.start(1)
    lb = api.new_loadbalancer()
    port = ports.free_port(lb['vip_address'])
    listener = api.create_child(lb['id'], 'listeners', 'listener',
                                loadbalancer_id=lb['id'], protocol='HTTP',
                                protocol_port=port)
    pool = api.create_child(lb['id'], 'pools', 'pool', listener_id=listener['id'],
                            protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    member = api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                              address=server['address'], protocol_port=server['port'])
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
    rule = rule.json()['rule']

    targets = [
        (model.LOADBALANCER, '/loadbalancers/' + lb['id']),
        (model.LISTENER, '/listeners/' + listener['id']),
        (model.POOL, '/pools/' + pool['id']),
        (model.MEMBER, '/pools/%s/members/%s' % (pool['id'], member['id'])),
        (model.HEALTH_MONITOR, '/healthmonitors/' + monitor['id']),
        (model.L7POLICY, '/l7policies/' + policy['id']),
        (model.L7RULE, '/l7policies/%s/rules/%s' % (policy['id'], rule['id'])),
    ]
    answers = {}
    for object_type, path in targets:
        for field in writable_string_fields(object_type):
            for payload in hostile_payloads(field):
                response = api.request('PUT', path, {object_type.key: {field.name: payload}})
                answers.setdefault(response.status_code, []).append(field.name)
                assert response.status_code < 500, (field.name, payload, response.text)
                if response.status_code >= 400:
                    assert response.json()['faultstring'], response.text
                else:
                    api.wait_active(lb['id'])
    print({status: sorted(set(names)) for status, names in answers.items()})
    assert set(answers) <= {200, 400}, answers
    assert 400 in answers

    # The amphora took every accepted change and still serves.
    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    config_path = os.path.join(controller.state_dir, 'amphorae', lb['id'], 'haproxy.cfg')
    with open(config_path, encoding='utf-8', errors='strict') as config_file:
        config = config_file.read()
    check = subprocess.run([shutil.which('haproxy'), '-c', '-f', config_path],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    for line in config.splitlines():
        assert not line.strip().startswith(MARK), line
        assert '\r' not in line and '\x00' not in line, line
    response = requests.get('http://%s:%d/' % (lb['vip_address'], port), timeout=5)
    assert response.status_code in (200, 403), response.text
    api.delete_loadbalancer(lb['id'])
