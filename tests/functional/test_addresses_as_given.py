"""IP addresses as Octavia keeps them: a member's `address` and `monitor_address` and
a load balancer's `vip_address` are validated, then stored and shown exactly as
given ('2001:db8:0:0:0:0:0:1' stays so, as octavia-tempest-plugin checks); they are
normalised only where compared (one member per address and port of a pool, CIDR
versions against the VIP) and in the HAProxy configuration."""
import uuid

import pytest

pytestmark = pytest.mark.noop_amphorae

VIP = '2001:db8:0:0:0:0:0:33'
MEMBER = '2001:db8:0:0:0:0:0:1'
MEMBER_SHORT = '2001:db8::1'
MONITOR = '2001:DB8::A'


@pytest.fixture
def pool(api):
    lb = api.new_loadbalancer(vip_subnet_id=str(uuid.uuid4()), vip_address=VIP)
    listener = api.create_child(lb['id'], 'listeners', 'listener',
                                loadbalancer_id=lb['id'], protocol='HTTP',
                                protocol_port=80)
    pool = api.create_child(lb['id'], 'pools', 'pool', listener_id=listener['id'],
                            protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    yield dict(pool, lb_id=lb['id'], listener_id=listener['id'],
               members='pools/%s/members' % pool['id'])
    api.delete_loadbalancer(lb['id'])


def _fault(response, status, text):
    assert response.status_code == status, response.text
    assert response.json()['faultstring'] == text


def test_addresses_are_shown_as_given_and_rendered_normalised(api, controller, pool):
    # (A monitor address is rendered where the pool has a health monitor.)
    api.create_child(pool['lb_id'], 'healthmonitors', 'healthmonitor', pool_id=pool['id'],
                     type='HTTP', delay=5, timeout=3, max_retries=3)
    member = api.create_child(pool['lb_id'], pool['members'], 'member', address=MEMBER,
                              protocol_port=80, monitor_address=MONITOR,
                              monitor_port=81)
    assert (member['address'], member['monitor_address']) == (MEMBER, MONITOR)
    shown = api.request('GET', '/%s/%s' % (pool['members'], member['id'])).json()
    assert (shown['member']['address'], shown['member']['monitor_address']) == (
        MEMBER, MONITOR)
    listed = api.request('GET', '/' + pool['members']).json()['members']
    assert [m['address'] for m in listed] == [MEMBER]
    # Octavia filters by the stored text.
    assert [m['id'] for m in api.request(
        'GET', '/%s?address=%s' % (pool['members'], MEMBER)).json()['members']] == [
            member['id']]
    assert api.loadbalancer(pool['lb_id'])['vip_address'] == VIP

    config = controller.controller.driver.configurations[pool['lb_id']]
    assert ' [2001:db8::1]:80 ' in config, config
    assert ' addr [2001:db8::a] port 81' in config, config
    assert ' [2001:db8::33]:80' in config, config
    assert MEMBER not in config and MONITOR not in config and VIP not in config


def test_a_second_spelling_of_an_address_is_the_same_member(api, pool):
    api.create_child(pool['lb_id'], pool['members'], 'member', address=MEMBER,
                     protocol_port=80)
    _fault(api.request('POST', '/' + pool['members'], {'member': {
        'address': MEMBER_SHORT.upper(), 'protocol_port': 80}}), 409,
        'Another member on this pool is already using ip 2001:DB8::1 on '
        'protocol_port 80')
    other_port = api.create_child(pool['lb_id'], pool['members'], 'member',
                                  address=MEMBER_SHORT, protocol_port=8080)
    assert other_port['address'] == MEMBER_SHORT
    # In one batch, two spellings of one address and port are one member twice.
    _fault(api.request('PUT', '/' + pool['members'], {'members': [
        {'address': MEMBER, 'protocol_port': 80},
        {'address': MEMBER_SHORT, 'protocol_port': 80}]}), 400,
        'Validation failure: Member with address 2001:db8::1 and protocol_port 80 '
        'appears more than once in the request.')
    # So in a fully populated create.
    _fault(api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': str(uuid.uuid4()), 'pools': [{
            'name': 'p', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN', 'members': [
                {'address': MEMBER, 'protocol_port': 80},
                {'address': MEMBER_SHORT, 'protocol_port': 80}]}]}}), 409,
        'Another member on this pool is already using ip 2001:db8::1 on '
        'protocol_port 80')


def test_a_batch_matches_members_by_the_address_as_given(api, pool):
    """Octavia's batch update compares addresses as stored: the same text updates
    the member, another spelling replaces it."""
    member = api.create_child(pool['lb_id'], pool['members'], 'member', address=MEMBER,
                              protocol_port=80)
    path = '/' + pool['members']
    response = api.request('PUT', path, {'members': [
        {'address': MEMBER, 'protocol_port': 80, 'weight': 5}]})
    assert response.status_code == 202, response.text
    api.wait_active(pool['lb_id'])
    listed = api.request('GET', path).json()['members']
    assert [(m['id'], m['address'], m['weight']) for m in listed] == [
        (member['id'], MEMBER, 5)]
    response = api.request('PUT', path, {'members': [
        {'address': MEMBER_SHORT, 'protocol_port': 80}]})
    assert response.status_code == 202, response.text
    api.wait_active(pool['lb_id'])
    listed = api.request('GET', path).json()['members']
    assert [m['address'] for m in listed] == [MEMBER_SHORT]
    assert listed[0]['id'] != member['id']


def test_allowed_cidrs_are_checked_against_the_vip_as_given(api, pool):
    path = '/listeners/' + pool['listener_id']
    listener = api.update_child(pool['lb_id'], path, 'listener',
                                allowed_cidrs=['2001:DB8:0::/48'])
    # CIDRs are normalised as Octavia's CidrType does.
    assert listener['allowed_cidrs'] == ['2001:db8::/48']
    _fault(api.request('PUT', path, {'listener': {'allowed_cidrs': ['192.0.2.0/24']}}),
           400, "Validation failure: CIDR 192.0.2.0/24 IP version incompatible with "
                "all VIPs ['%s'] IP version." % VIP)


def test_the_vip_address_is_shown_as_given(api):
    lb = api.new_loadbalancer(vip_subnet_id=str(uuid.uuid4()),
                              vip_address='2001:DB8:0:0:0:0:0:34')
    try:
        assert api.loadbalancer(lb['id'])['vip_address'] == '2001:DB8:0:0:0:0:0:34'
        shown = api.request('GET', '/loadbalancers?vip_address=2001:DB8:0:0:0:0:0:34')
        assert [b['id'] for b in shown.json()['loadbalancers']] == [lb['id']]
    finally:
        api.delete_loadbalancer(lb['id'])
