"""L7 policies and rules with real HAProxy: real HTTP requests through the VIP."""
import requests

from tests.support.http_lb import identity
from tests.support import ports

VIP_SUBNET = '35dc0b41-9dc8-5abb-bb66-90b11392828c'


class Site:
    """A load balancer with one HTTP listener per call to listener()."""

    def __init__(self, api):
        self.api = api
        self.lb = api.create('loadbalancers', 'loadbalancer', vip_subnet_id=VIP_SUBNET)
        self.wait()

    def wait(self):
        self.api.wait_active(self.lb['id'])

    def create(self, collection, object_key, **fields):
        # Posted as a dict: a rule's own `key` field must not clash with arguments.
        response = self.api.request('POST', '/' + collection, {object_key: fields})
        assert response.status_code == 201, response.text
        self.wait()
        return response.json()[object_key]

    def pool(self, server, **fields):
        fields.setdefault('loadbalancer_id', self.lb['id'])
        pool = self.create('pools', 'pool', protocol='HTTP', lb_algorithm='ROUND_ROBIN',
                           **fields)
        self.create('pools/%s/members' % pool['id'], 'member',
                    address=server['address'], protocol_port=server['port'])
        return pool

    def listener(self, **fields):
        port = ports.free_port(self.lb['vip_address'])
        listener = self.create('listeners', 'listener', loadbalancer_id=self.lb['id'],
                               protocol='HTTP', protocol_port=port, **fields)
        return listener, 'http://%s:%d' % (self.lb['vip_address'], port)

    def policy(self, listener, rules, **fields):
        policy = self.create('l7policies', 'l7policy', listener_id=listener['id'],
                             **fields)
        for rule in rules:
            self.create('l7policies/%s/rules' % policy['id'], 'rule', **rule)
        return policy

    def delete(self):
        self.api.request('DELETE', '/loadbalancers/%s?cascade=true' % self.lb['id'])
        self.api.wait_gone(self.lb['id'])


def get(url, **kwargs):
    return requests.get(url, timeout=5, allow_redirects=False, **kwargs)


def rule(rule_type, compare_type, value, **fields):
    return dict(type=rule_type, compare_type=compare_type, value=value, **fields)


def test_mitaka_demo_sends_api_paths_to_the_second_pool(api, servers):
    server1, server2 = servers.start(2)
    site = Site(api)
    listener1, url1 = site.listener()
    pool1 = site.pool(server1, listener_id=listener1['id'])
    pool2 = site.pool(server2)
    policy = site.policy(listener1, [rule('PATH', 'STARTS_WITH', '/api')],
                         action='REDIRECT_TO_POOL', redirect_pool_id=pool2['id'])
    listener2, url2 = site.listener(default_pool_id=pool2['id'])

    assert identity(server2) in get(url1 + '/api/x').text
    assert identity(server1) in get(url1 + '/other').text
    assert identity(server2) in get(url2 + '/other').text

    shown = api.request('GET', '/listeners/' + listener1['id']).json()['listener']
    assert shown['l7policies'] == [{'id': policy['id']}]
    shown = api.request('GET', '/l7policies/' + policy['id']).json()['l7policy']
    assert shown['provisioning_status'] == 'ACTIVE'
    assert shown['operating_status'] == 'ONLINE'
    assert shown['position'] == 1 and shown['redirect_http_code'] is None
    assert len(shown['rules']) == 1
    pool2_shown = api.request('GET', '/pools/' + pool2['id']).json()['pool']
    assert {listener['id'] for listener in pool2_shown['listeners']} == {listener1['id'],
                                                           listener2['id']}
    tree = api.request('GET', '/loadbalancers/%s/status' % site.lb['id']).json()
    first = next(listener for listener in tree['statuses']['loadbalancer']['listeners']
                 if listener['id'] == listener1['id'])
    assert [p['id'] for p in first['pools']] == [pool1['id'], pool2['id']]

    # A pool an L7 policy redirects to cannot go (Octavia's 409).
    response = api.request('DELETE', '/pools/' + pool2['id'])
    assert response.status_code == 409
    assert response.json()['faultstring'] == (
        'Pool %s is in use by L7 policy %s' % (pool2['id'], policy['id']))

    # Deleting the listener takes its policies and rules with it.
    rule_id = shown['rules'][0]['id']
    assert api.request('DELETE', '/listeners/' + listener1['id']).status_code == 204
    site.wait()
    assert api.request('GET', '/l7policies/' + policy['id']).status_code == 404
    assert api.request('GET', '/l7policies/%s/rules/%s' % (
        policy['id'], rule_id)).status_code == 404
    assert api.request('DELETE', '/pools/' + pool1['id']).status_code == 204
    site.wait()
    site.delete()


def test_reject_and_redirects_answer_with_the_right_code_and_location(api, servers):
    server, = servers.start(1)
    site = Site(api)
    listener, url = site.listener()
    site.pool(server, listener_id=listener['id'])
    site.policy(listener, [rule('HEADER', 'EQUAL_TO', 'yes', key='X-Block')],
                action='REJECT')
    site.policy(listener, [rule('FILE_TYPE', 'EQUAL_TO', 'jpg')], action='REJECT')
    site.policy(listener, [rule('FILE_TYPE', 'REGEX', 'gif|png')], action='REJECT')
    site.policy(listener, [rule('COOKIE', 'CONTAINS', 'admin', key='role')],
                action='REDIRECT_TO_URL', redirect_url='https://login.example.com/in',
                redirect_http_code=301)
    site.policy(listener, [rule('HOST_NAME', 'EQUAL_TO', 'old.example.com')],
                action='REDIRECT_PREFIX', redirect_prefix='https://new.example.com')
    # Both rules must hold (AND); the second is inverted.
    site.policy(listener, [rule('PATH', 'ENDS_WITH', '.php'),
                           rule('PATH', 'REGEX', r'^/public/', invert=True)],
                action='REJECT')

    assert get(url + '/', headers={'X-Block': 'yes'}).status_code == 403
    assert get(url + '/', headers={'X-Block': 'no'}).status_code == 200
    assert get(url + '/a/b.jpg').status_code == 403
    assert get(url + '/jpg').status_code == 200
    assert get(url + '/x.png').status_code == 403
    assert get(url + '/x.pngs').status_code == 200

    response = get(url + '/page', cookies={'role': 'superadmin1'})
    assert response.status_code == 301
    assert response.headers['Location'] == 'https://login.example.com/in'
    assert get(url + '/page', cookies={'role': 'user'}).status_code == 200

    response = get(url + '/some/path?q=1', headers={'Host': 'old.example.com'})
    assert response.status_code == 302
    assert response.headers['Location'] == 'https://new.example.com/some/path?q=1'
    # The port a client adds to Host for a non-default port does not matter.
    response = get(url + '/p', headers={'Host': 'OLD.example.com:8080'})
    assert response.status_code == 302
    assert get(url + '/p', headers={'Host': 'other.example.com'}).status_code == 200

    assert get(url + '/admin/x.php').status_code == 403
    assert identity(server) in get(url + '/public/x.php').text
    site.delete()


def test_position_decides_which_policy_wins(api, servers):
    server_a, server_b = servers.start(2)
    site = Site(api)
    listener, url = site.listener()
    site.pool(servers.start(1)[0], listener_id=listener['id'])
    pool_a, pool_b = site.pool(server_a), site.pool(server_b)
    match_x = [rule('PATH', 'STARTS_WITH', '/x')]
    to_a = site.policy(listener, match_x, action='REDIRECT_TO_POOL',
                       redirect_pool_id=pool_a['id'])
    to_b = site.policy(listener, match_x, action='REDIRECT_TO_POOL',
                       redirect_pool_id=pool_b['id'], position=99)

    def position(policy):
        return api.request('GET', '/l7policies/' + policy['id']).json()[
            'l7policy']['position']

    assert (position(to_a), position(to_b)) == (1, 2)   # 99 is beyond the end
    assert identity(server_a) in get(url + '/x').text

    response = api.request('PUT', '/l7policies/' + to_b['id'],
                           {'l7policy': {'position': 1}})
    assert response.status_code == 200, response.text
    site.wait()
    assert (position(to_a), position(to_b)) == (2, 1)
    assert identity(server_b) in get(url + '/x').text

    # Inserting at 1 shifts the others; deleting closes the gap.
    first = site.policy(listener, [rule('PATH', 'EQUAL_TO', '/none')],
                        action='REJECT', position=1)
    assert [position(p) for p in (first, to_b, to_a)] == [1, 2, 3]
    assert api.request('DELETE', '/l7policies/' + first['id']).status_code == 204
    site.wait()
    assert [position(p) for p in (to_b, to_a)] == [1, 2]
    listed = api.request('GET', '/listeners/' + listener['id']).json()['listener']
    assert listed['l7policies'] == [{'id': to_b['id']}, {'id': to_a['id']}]
    site.delete()


def test_changes_while_pending_get_409(api, haproxy_gate):
    site = Site(api)
    listener, _ = site.listener()
    policy = site.policy(listener, [], action='REJECT')
    haproxy_gate.close()
    try:
        response = api.request('POST', '/l7policies/%s/rules' % policy['id'], {
            'rule': rule('PATH', 'EQUAL_TO', '/a')})
        assert response.status_code == 201, response.text
        assert api.loadbalancer(site.lb['id'])['provisioning_status'] == 'PENDING_UPDATE'
        shown = api.request('GET', '/l7policies/' + policy['id']).json()['l7policy']
        assert shown['provisioning_status'] == 'PENDING_UPDATE'
        response = api.request('POST', '/l7policies/%s/rules' % policy['id'], {
            'rule': rule('PATH', 'EQUAL_TO', '/b')})
        assert response.status_code == 409
        assert response.json()['faultstring'] == (
            'L7 Policy %s is immutable and cannot be updated.' % policy['id'])
        response = api.request('POST', '/l7policies', {'l7policy': {
            'listener_id': listener['id'], 'action': 'REJECT'}})
        assert response.status_code == 409
        assert response.json()['faultstring'] == (
            'Load Balancer %s is immutable and cannot be updated.' % site.lb['id'])
    finally:
        haproxy_gate.open()
    site.wait()
    site.delete()


def test_invalid_policies_and_rules_get_400(api):
    site = Site(api)
    listener, _ = site.listener()
    tcp_port = ports.free_port(site.lb['vip_address'])
    tcp = site.create('listeners', 'listener', loadbalancer_id=site.lb['id'],
                      protocol='TCP', protocol_port=tcp_port)

    def create_policy(**fields):
        return api.request('POST', '/l7policies', {'l7policy': fields})

    response = create_policy(listener_id=tcp['id'], action='REJECT')
    assert response.status_code == 501
    assert response.json()['faultstring'] == (
        "Provider 'amphora' does not support a requested option: "
        "TCP protocol listeners do not support L7 policies")
    for fields, message in (
            ({'action': 'REDIRECT_TO_POOL'}, 'Invalid L7 Policy arguments: '
             'redirect_pool_id or redirect_pool must not be None'),
            ({'action': 'REDIRECT_TO_URL'},
             'Invalid L7 Policy arguments: redirect_url must not be None'),
            ({'action': 'REDIRECT_PREFIX'},
             'Invalid L7 Policy arguments: redirect_prefix must not be None'),
            ({'action': 'REDIRECT_TO_URL', 'redirect_url': 'ftp://x.example.com/'},
             "Invalid input for field/attribute redirect_url. Value: "
             "'ftp://x.example.com/'. Not a valid URL: ftp://x.example.com/"),
            ({'action': 'REDIRECT_TO_URL', 'redirect_url': 'http://a.example.com/',
              'redirect_http_code': 200},
             "Invalid input for field/attribute redirect_http_code. Value: '200'. "
             "Value should be one of: 301, 302, 303, 307, 308"),
            ({'action': 'BOGUS'}, "Invalid input for field/attribute action. Value: "
             "'BOGUS'. Value should be one of: REJECT, REDIRECT_TO_POOL, "
             "REDIRECT_TO_URL, REDIRECT_PREFIX")):
        response = create_policy(listener_id=listener['id'], **fields)
        assert response.status_code == 400, fields
        assert response.json()['faultstring'] == message

    policy = site.policy(listener, [], action='REJECT')
    rules_path = '/l7policies/%s/rules' % policy['id']
    for fields, message in (
            (rule('HEADER', 'EQUAL_TO', 'x'),
             'Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key'),
            (rule('PATH', 'REGEX', '(unclosed'),
             'Error parsing L7Rule: Unable to parse regular expression: '
             'missing ), unterminated subpattern at position 0'),
            (rule('FILE_TYPE', 'STARTS_WITH', 'jp'),
             'Error parsing L7Rule: Invalid L7 Rule: invalid comparison type for '
             'rule type'),
            (rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'tRuE'),
             "Provider 'amphora' does not support a requested option: L7 rule type "
             "SSL_CONN_HAS_CERT is not supported by this controller (supported: "
             "HOST_NAME, PATH, FILE_TYPE, HEADER, COOKIE).")):
        response = api.request('POST', rules_path, {'rule': fields})
        # Octavia's 501 for what the provider does not serve, 400 for the rest.
        expected = 501 if message.startswith("Provider 'amphora'") else 400
        assert response.status_code == expected, fields
        assert response.json()['faultstring'] == message
    # Nothing was created or locked by the refused requests.
    assert api.loadbalancer(site.lb['id'])['provisioning_status'] == 'ACTIVE'
    assert api.request('GET', rules_path).json()['rules'] == []
    site.delete()


HOSTILE_VALUES = ['/a\nbind 0.0.0.0:1', '/a b', '/"x"', "/'x'", '/a#b', '/a\\b',
                  '/' + 'a' * 300, '/caf\u00e9', '/a\tb', '/a\rb', '/a\x00b', '']


def test_hostile_values_are_refused(api):
    site = Site(api)
    listener, _ = site.listener()
    policy = site.policy(listener, [], action='REJECT')
    rules_path = '/l7policies/%s/rules' % policy['id']
    for value in HOSTILE_VALUES:
        for rule_type, key in (('PATH', None), ('HEADER', 'X-A'), ('COOKIE', 'c')):
            body = rule(rule_type, 'EQUAL_TO', value, key=key)
            response = api.request('POST', rules_path, {'rule': body})
            assert response.status_code == 400, (value, response.text)
    for key in ('X A', 'X"A', 'a,1', 'X#A', 'X\nA', '\u00e9', 'k' * 300, 'a)b'):
        body = rule('HEADER', 'EQUAL_TO', 'v', key=key)
        response = api.request('POST', rules_path, {'rule': body})
        assert response.status_code == 400, (key, response.text)
    for value in ('a b', '"x"', 'a#b', 'a\nb', '\u00e9', 'x' * 300):
        body = rule('PATH', 'REGEX', value)
        response = api.request('POST', rules_path, {'rule': body})
        assert response.status_code == 400, (value, response.text)
    for url in ('http://a.example.com/ x', 'http://a.example.com/"', 'javascript:x',
                'http://a.example.com/#frag', 'http://a.example.com/\nx', '/relative',
                'http://caf\u00e9.example.com/', 'http://a.example.com:99999/',
                'http://' + 'a' * 300 + '.com/'):
        for action, field in (('REDIRECT_TO_URL', 'redirect_url'),
                              ('REDIRECT_PREFIX', 'redirect_prefix')):
            response = api.request('POST', '/l7policies', {'l7policy': {
                'listener_id': listener['id'], 'action': action, field: url}})
            assert response.status_code == 400, (url, response.text)
    assert api.loadbalancer(site.lb['id'])['provisioning_status'] == 'ACTIVE'
    assert api.request('GET', rules_path).json()['rules'] == []
    site.delete()


def test_regex_backslashes_are_escaped_and_mean_what_they_say(api, servers):
    server, = servers.start(1)
    site = Site(api)
    listener, url = site.listener()
    site.pool(server, listener_id=listener['id'])
    site.policy(listener, [rule('PATH', 'REGEX', r'^/v\d+\.json$')], action='REJECT')
    site.policy(listener, [rule('HEADER', 'STARTS_WITH', '-i', key='X-Dash')],
                action='REJECT')
    assert get(url + '/v12.json').status_code == 403
    assert get(url + '/vx.json').status_code == 200
    assert get(url + '/v1xjson').status_code == 200
    # A value that looks like an HAProxy flag stays a value.
    assert get(url + '/', headers={'X-Dash': '-iam'}).status_code == 403
    assert get(url + '/', headers={'X-Dash': 'i'}).status_code == 200
    site.delete()
