"""UDP and SCTP listeners, pools and health monitors through the API, as Octavia 19
answers them (octavia/api/v2/controllers/{listener,pool,health_monitor}.py, its
amphora provider driver), with the noop amphora driver, which takes them as
Octavia's noop driver does. The haproxy driver's refusal is in
tests/functional/test_octavia_api_rules.py."""
import pytest

pytestmark = pytest.mark.noop_amphorae

LVS_PROTOCOLS = ('UDP', 'SCTP')
MONITOR_OF = {'UDP': 'UDP-CONNECT', 'SCTP': 'SCTP'}


def refused(response, status=400):
    assert response.status_code == status, response.text
    return response.json()['faultstring']


def post(api, collection, key, **fields):
    return api.request('POST', '/' + collection, {key: fields})


@pytest.fixture
def lb(api):
    created = api.new_loadbalancer()
    yield created
    api.delete_loadbalancer(created['id'])


@pytest.fixture
def listener_of(api, lb):
    def create(protocol, port, **fields):
        return api.create_child(lb['id'], 'listeners', 'listener',
                                loadbalancer_id=lb['id'], protocol=protocol,
                                protocol_port=port, **fields)
    return create


@pytest.fixture
def pool_of(api, lb):
    def create(protocol, **fields):
        fields.setdefault('lb_algorithm', 'ROUND_ROBIN')
        if 'listener_id' not in fields:
            fields['loadbalancer_id'] = lb['id']
        return api.create_child(lb['id'], 'pools', 'pool', protocol=protocol, **fields)
    return create


@pytest.mark.parametrize('protocol', LVS_PROTOCOLS)
def test_a_udp_or_sctp_tree_is_created_and_goes_active(api, lb, protocol):
    listener = api.create_child(
        lb['id'], 'listeners', 'listener', loadbalancer_id=lb['id'], protocol=protocol,
        protocol_port=53, connection_limit=200, timeout_client_data=1000,
        allowed_cidrs=['192.0.2.0/24'])
    assert listener['protocol'] == protocol
    pool = api.create_child(lb['id'], 'pools', 'pool', listener_id=listener['id'],
                            protocol=protocol, lb_algorithm='SOURCE_IP',
                            session_persistence={'type': 'SOURCE_IP',
                                                 'persistence_timeout': 60,
                                                 'persistence_granularity': '255.255.0.0'})
    assert pool['session_persistence'] == {
        'type': 'SOURCE_IP', 'cookie_name': None, 'persistence_timeout': 60,
        'persistence_granularity': '255.255.0.0'}
    monitor = api.create_child(lb['id'], 'healthmonitors', 'healthmonitor',
                               pool_id=pool['id'], type=MONITOR_OF[protocol], delay=3,
                               timeout=2, max_retries=2)
    assert 'http_method' not in monitor or monitor['http_method'] is None
    member = api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                              address='192.0.2.10', protocol_port=5353, weight=7)
    shown = api.request('GET', '/listeners/' + listener['id']).json()['listener']
    assert shown['provisioning_status'] == 'ACTIVE'
    assert shown['default_pool_id'] == pool['id']
    assert api.request('GET', '/pools/%s/members/%s' % (pool['id'], member['id'])
                       ).json()['member']['provisioning_status'] == 'ACTIVE'


def test_listener_and_pool_protocols_pair_as_octavias_map(api, lb, listener_of,
                                                          pool_of):
    udp = listener_of('UDP', 53)
    for pool_protocol in ('TCP', 'HTTP', 'SCTP'):
        assert refused(post(api, 'pools', 'pool', listener_id=udp['id'],
                            protocol=pool_protocol, lb_algorithm='ROUND_ROBIN')) == (
            "Validation failure: The pool protocol '%s' is invalid while the listener "
            "protocol is 'UDP'." % pool_protocol)
    udp_pool = pool_of('UDP')
    tcp = listener_of('TCP', 80)
    response = api.request('PUT', '/listeners/' + tcp['id'],
                           {'listener': {'default_pool_id': udp_pool['id']}})
    assert refused(response) == ("Validation failure: The pool protocol 'UDP' is "
                                 "invalid while the listener protocol is 'TCP'.")


def test_udp_tcp_and_sctp_listeners_share_a_port_but_not_with_themselves(api, lb,
                                                                         listener_of):
    for protocol in ('HTTP', 'UDP', 'SCTP'):
        listener_of(protocol, 8080)
    for protocol in LVS_PROTOCOLS:
        assert refused(post(api, 'listeners', 'listener', loadbalancer_id=lb['id'],
                            protocol=protocol, protocol_port=8080), 409) == (
            'Another Listener on this Load Balancer is already using protocol %s and '
            'protocol_port 8080' % protocol)


@pytest.mark.parametrize('protocol', LVS_PROTOCOLS)
def test_udp_and_sctp_listeners_refuse_tls_and_inserted_headers(api, lb, listener_of,
                                                                protocol):
    base = dict(loadbalancer_id=lb['id'], protocol=protocol, protocol_port=53)
    assert refused(post(api, 'listeners', 'listener', insert_headers={
        'X-Forwarded-For': 'true'}, **base)) == (
        'insert-headers is not a valid option for a %s protocol listener.' % protocol)
    assert refused(post(api, 'listeners', 'listener',
                        default_tls_container_ref='ref', **base)) == (
        'Validation failure: %s protocol listener does not support TLS.' % protocol)
    listener = listener_of(protocol, 53)
    for change in ({'insert_headers': {'X-Forwarded-For': 'true'}},
                   {'sni_container_refs': ['ref']}):
        response = api.request('PUT', '/listeners/' + listener['id'],
                               {'listener': change})
        assert refused(response) == (
            'Validation failure: %s protocol listener does not support TLS or header '
            'insertion.' % protocol)
    # Octavia's amphora driver: L7 policies only on HTTP-reading listeners (501).
    assert refused(post(api, 'l7policies', 'l7policy', listener_id=listener['id'],
                        action='REJECT'), 501) == (
        "Provider 'amphora' does not support a requested option: %s protocol listeners "
        "do not support L7 policies" % protocol)


def test_inserted_headers_on_a_tcp_listener_are_octavias_invalid_option(api, lb):
    assert refused(post(api, 'listeners', 'listener', loadbalancer_id=lb['id'],
                        protocol='TCP', protocol_port=80,
                        insert_headers={'X-Forwarded-For': 'true'})) == (
        'insert-headers is not a valid option for a TCP protocol listener.')


@pytest.mark.parametrize('protocol', LVS_PROTOCOLS)
def test_persistence_of_udp_and_sctp_pools(api, lb, pool_of, protocol):
    base = dict(loadbalancer_id=lb['id'], protocol=protocol, lb_algorithm='ROUND_ROBIN')
    expected = {
        'HTTP_COOKIE': 'Session persistence of type HTTP_COOKIE is not supported for '
                       'UDP/SCTP protocol pools.',
        'APP_COOKIE': 'Cookie names are not supported for UDP/SCTP pools.'}
    for kind, message in expected.items():
        persistence = {'type': kind}
        if kind == 'APP_COOKIE':
            persistence['cookie_name'] = 'c'
        assert refused(post(api, 'pools', 'pool', session_persistence=persistence,
                            **base)) == 'Validation failure: ' + message
    assert refused(post(api, 'pools', 'pool', session_persistence={
        'type': 'SOURCE_IP', 'cookie_name': 'c'}, **base)) == (
        'Validation failure: session_persistence SOURCE_IP type for UDP and SCTP '
        'protocols only accepts: type, persistence_timeout, persistence_granularity.')
    # Where keepalived reads them: seconds within its range, a netmask.
    for field, value in (('persistence_timeout', 2678401),
                         ('persistence_timeout', -1), ('persistence_timeout', 'ten'),
                         ('persistence_granularity', '255.0.0.1'),
                         ('persistence_granularity', 'mask')):
        message = refused(post(api, 'pools', 'pool', session_persistence={
            'type': 'SOURCE_IP', field: value}, **base))
        assert message.startswith("Invalid input for field/attribute %s. Value: '%s'."
                                  % (field, value)), message
    pool = pool_of(protocol, session_persistence={'type': 'SOURCE_IP'})
    assert pool['session_persistence']['persistence_timeout'] is None
    updated = api.update_child(lb['id'], '/pools/' + pool['id'], 'pool',
                               session_persistence={'type': 'SOURCE_IP',
                                                    'persistence_granularity':
                                                    'ffff:ffff::'})
    assert updated['session_persistence']['persistence_granularity'] == 'ffff:ffff::'


def test_persistence_timeout_and_granularity_only_on_udp_and_sctp_pools(api, lb,
                                                                        pool_of):
    persistence = {'type': 'SOURCE_IP', 'persistence_timeout': 60}
    assert refused(post(api, 'pools', 'pool', loadbalancer_id=lb['id'], protocol='TCP',
                        lb_algorithm='ROUND_ROBIN',
                        session_persistence=persistence)) == (
        'Validation failure: persistence_timeout and persistence_granularity is only '
        'for UDP and SCTP protocol pools.')
    pool = pool_of('TCP')
    response = api.request('PUT', '/pools/' + pool['id'],
                           {'pool': {'session_persistence': persistence}})
    # Octavia's update words it without SCTP.
    assert refused(response) == (
        'Validation failure: persistence_timeout and persistence_granularity is only '
        'for UDP protocol pools.')


@pytest.mark.parametrize('protocol', LVS_PROTOCOLS)
def test_monitor_types_of_udp_and_sctp_pools(api, lb, pool_of, protocol):
    pool = pool_of(protocol)
    base = dict(pool_id=pool['id'], delay=5, timeout=3, max_retries=2)
    for kind in ('HTTPS', 'PING', 'TLS-HELLO'):
        assert refused(post(api, 'healthmonitors', 'healthmonitor', type=kind,
                            **base)) == (
            'Validation failure: The associated pool protocol is %s, so only a '
            'UDP-CONNECT/SCTP/TCP/HTTP health monitor is supported.' % protocol)
    # HTTP and TCP monitors are Octavia's too on these pools (keepalived's
    # HTTP_GET and TCP_CHECK).
    http = api.create_child(lb['id'], 'healthmonitors', 'healthmonitor', type='HTTP',
                            **base)
    assert (http['http_method'], http['url_path'], http['expected_codes']) == (
        'GET', '/', '200')


def test_udp_connect_delay_has_octavias_minimum(api, lb, pool_of):
    pool = pool_of('UDP')
    base = dict(pool_id=pool['id'], type='UDP-CONNECT', timeout=1, max_retries=2)
    assert refused(post(api, 'healthmonitors', 'healthmonitor', delay=2, **base)) == (
        'Validation failure: The request delay value 2 should be larger than 3 for '
        'UDP-CONNECT health monitor type.')
    monitor = api.create_child(lb['id'], 'healthmonitors', 'healthmonitor', delay=3,
                               **base)
    response = api.request('PUT', '/healthmonitors/' + monitor['id'],
                           {'healthmonitor': {'delay': 1}})
    assert refused(response) == (
        'Validation failure: The request delay value 1 should be larger than 3 for '
        'UDP-CONNECT health monitor type.')
    response = api.request('PUT', '/healthmonitors/' + monitor['id'],
                           {'healthmonitor': {'url_path': '/x'}})
    assert refused(response) == (
        'Validation failure: url_path is not a valid option for health monitors of '
        'type UDP-CONNECT')


@pytest.mark.parametrize('kind', ('UDP-CONNECT', 'SCTP'))
def test_udp_and_sctp_monitors_only_on_udp_and_sctp_pools(api, lb, pool_of, kind):
    pool = pool_of('TCP')
    assert refused(post(api, 'healthmonitors', 'healthmonitor', pool_id=pool['id'],
                        type=kind, delay=5, timeout=3, max_retries=2)) == (
        'Validation failure: The %s type is only supported for pools of type '
        'UDP/SCTP.' % kind)


def test_a_fully_populated_create_applies_the_same_rules(api):
    pool = {'name': 'dns', 'protocol': 'UDP', 'lb_algorithm': 'ROUND_ROBIN',
            'healthmonitor': {'type': 'UDP-CONNECT', 'delay': 1, 'timeout': 1,
                              'max_retries': 1}}
    body = {'loadbalancer': {'vip_subnet_id': '35dc0b41-9dc8-5abb-bb66-90b11392828c',
                             'listeners': [{'protocol': 'UDP', 'protocol_port': 53,
                                            'default_pool': pool}]}}
    assert refused(api.request('POST', '/loadbalancers', body)) == (
        'Validation failure: The request delay value 1 should be larger than 3 for '
        'UDP-CONNECT health monitor type.')
    pool['healthmonitor']['delay'] = 3
    response = api.request('POST', '/loadbalancers', body)
    assert response.status_code == 201, response.text
    created = response.json()['loadbalancer']
    api.wait_active(created['id'])
    assert created['listeners'][0]['protocol'] == 'UDP'
    api.delete_loadbalancer(created['id'])


def test_udp_members_of_the_vips_ip_version_only(api, lb, listener_of, pool_of):
    """The amphora provider's 501: no IPv6 member behind an IPv4 VIP in a UDP or SCTP
    pool a listener uses (a pool no listener uses takes any)."""
    loose = pool_of('UDP')
    api.create_child(lb['id'], 'pools/%s/members' % loose['id'], 'member',
                     address='2001:db8::1', protocol_port=53)
    pool = pool_of('UDP', listener_id=listener_of('UDP', 53)['id'])
    message = "Provider 'amphora' does not support a requested option: This " \
              "provider doesn't support mixing IPv4 and IPv6 addresses for its VIP " \
              "and members in UDP load balancers."
    assert refused(post(api, 'pools/%s/members' % pool['id'], 'member',
                        address='2001:db8::1', protocol_port=53), 501) == message
    response = api.request('PUT', '/pools/%s/members' % pool['id'], {'members': [
        {'address': '192.0.2.1', 'protocol_port': 53},
        {'address': '2001:db8::2', 'protocol_port': 53}]})
    assert refused(response, 501) == message
    # The loose pool's IPv6 member would be left out of a UDP listener's forwarding:
    # a listener taking that pool gets the same 501, and keeps no default pool.
    listener = listener_of('UDP', 54)
    assert refused(api.request('PUT', '/listeners/%s' % listener['id'], {'listener': {
        'default_pool_id': loose['id']}}), 501) == message
    assert refused(post(api, 'listeners', 'listener', loadbalancer_id=lb['id'],
                        protocol='UDP', protocol_port=55,
                        default_pool_id=loose['id']), 501) == message
    assert api.request('GET', '/listeners/%s' % listener['id']).json()[
        'listener']['default_pool_id'] is None
