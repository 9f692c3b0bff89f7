"""Octavia's answers where a provider or a listener rule refuses a request (issue
11.3), against the real controller: the 501 of an option the amphora provider does
not serve, allowed_cidrs of the VIP's IP version only, `fields` on the provider list,
and which listeners may share a protocol_port."""
import pytest

from heat_lbaas.controller.amphora import udp_dataplane
from tests.support import ports

PROVIDER_REFUSAL = "Provider 'amphora' does not support a requested option: "


def test_an_option_the_provider_does_not_serve_is_octavias_501(api, loadbalancer):
    # Octavia's ProviderUnsupportedOptionError: 501, a server fault as WSME words it.
    response = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': loadbalancer['id'], 'protocol': 'UDP', 'protocol_port': 53}})
    assert response.status_code == 501, response.text
    assert response.json() == {
        'faultcode': 'Server', 'debuginfo': None,
        # UDP is served by nftables in the amphora's namespace: with loopback
        # amphorae (these tests' controller) the haproxy driver says it has none.
        'faultstring': PROVIDER_REFUSAL + 'protocol UDP is not supported by this '
                       'controller: %s.' % udp_dataplane.probe_udp(None)}
    # A value Octavia itself refuses is still its 400, before the provider is asked.
    response = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': loadbalancer['id'], 'protocol': 'QUIC', 'protocol_port': 53}})
    assert response.status_code == 400, response.text
    assert response.json()['faultcode'] == 'Client'
    assert api.request('GET', '/listeners').json()['listeners'] == []


def test_the_same_refusal_in_a_fully_populated_create_and_a_member_batch(api,
                                                                         loadbalancer):
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': loadbalancer['vip_subnet_id'], 'listeners': [{
            'protocol': 'HTTP', 'protocol_port': 80, 'tls_versions': ['TLSv1']}]}})
    assert response.status_code == 501, response.text
    assert response.json()['faultstring'].startswith(PROVIDER_REFUSAL + 'TLS versions')
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': loadbalancer['vip_subnet_id'], 'listeners': [{
            'protocol': 'SCTP', 'protocol_port': 80}]}})
    assert response.status_code == 501, response.text
    assert response.json()['faultstring'].startswith(PROVIDER_REFUSAL + 'protocol SCTP')
    pool = api.create_child(loadbalancer['id'], 'pools', 'pool',
                            loadbalancer_id=loadbalancer['id'], protocol='HTTP',
                            lb_algorithm='ROUND_ROBIN')
    response = api.request('POST', '/healthmonitors', {'healthmonitor': {
        'pool_id': pool['id'], 'type': 'UDP-CONNECT', 'delay': 1, 'timeout': 1,
        'max_retries': 1}})
    # Octavia's own rule first: a UDP-CONNECT monitor only on UDP and SCTP pools.
    assert response.status_code == 400, response.text
    assert response.json()['faultstring'] == (
        'Validation failure: The UDP-CONNECT type is only supported for pools of type '
        'UDP/SCTP.')


@pytest.mark.parametrize('cidr', ['::/0', '2001:db8::/32'])
def test_allowed_cidrs_of_another_ip_version_than_the_vip_are_400(api, loadbalancer,
                                                                  cidr):
    vip = loadbalancer['vip_address']
    message = ('Validation failure: CIDR %s IP version incompatible with all VIPs '
               "['%s'] IP version." % (cidr, vip))
    response = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': loadbalancer['id'], 'protocol': 'TCP', 'protocol_port': 81,
        'allowed_cidrs': ['127.0.0.0/8', cidr]}})
    assert response.status_code == 400, response.text
    assert response.json()['faultstring'] == message
    listener = api.create_child(loadbalancer['id'], 'listeners', 'listener',
                                loadbalancer_id=loadbalancer['id'], protocol='TCP',
                                protocol_port=ports.free_port(vip),
                                allowed_cidrs=['127.0.0.0/8'])
    response = api.request('PUT', '/listeners/' + listener['id'],
                           {'listener': {'allowed_cidrs': [cidr]}})
    assert response.status_code == 400, response.text
    assert response.json()['faultstring'] == message
    assert api.listener(listener['id'])['allowed_cidrs'] == ['127.0.0.0/8']
    # In a fully populated create, against the VIP the load balancer is given.
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': loadbalancer['vip_subnet_id'], 'listeners': [{
            'protocol': 'TCP', 'protocol_port': 82, 'allowed_cidrs': [cidr]}]}})
    assert response.status_code == 400, response.text
    assert response.json()['faultstring'].startswith(
        'Validation failure: CIDR %s IP version incompatible with all VIPs' % cidr)


def test_fields_select_the_keys_of_the_provider_list(api):
    everything = api.request('GET', '/providers').json()['providers']
    assert {p['name'] for p in everything} >= {'amphora'}
    assert all(set(p) == {'name', 'description'} for p in everything)
    names = api.request('GET', '/providers?fields=name').json()['providers']
    assert names == [{'name': p['name']} for p in everything]
    both = api.request('GET', '/providers?fields=description&fields=name').json()
    assert both['providers'] == everything


def test_listeners_of_one_transport_protocol_never_share_a_port(api, loadbalancer):
    """Octavia 19 refuses a second listener on a port only when both use the same
    transport protocol (its L4_PROTOCOL_MAP; UDP and SCTP listeners, which the
    haproxy driver refuses with 501 in loopback mode, may share a TCP listener's port:
    test_udp_sctp_api.py), naming the protocol of the listener already there."""
    lb_id, vip = loadbalancer['id'], loadbalancer['vip_address']
    port = ports.free_port(vip)
    api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                     protocol='HTTP', protocol_port=port)
    for protocol in ('HTTP', 'TCP', 'HTTPS'):
        response = api.request('POST', '/listeners', {'listener': {
            'loadbalancer_id': lb_id, 'protocol': protocol, 'protocol_port': port}})
        assert response.status_code == 409, response.text
        assert response.json()['faultstring'] == (
            'Another Listener on this Load Balancer is already using protocol HTTP '
            'and protocol_port %d' % port)
    response = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb_id, 'protocol': 'UDP', 'protocol_port': port}})
    assert response.status_code == 501, response.text
    # Within one fully populated create, the first listener is the one "already" there.
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': loadbalancer['vip_subnet_id'], 'listeners': [
            {'protocol': 'TCP', 'protocol_port': 83},
            {'protocol': 'HTTP', 'protocol_port': 83}]}})
    assert response.status_code == 409, response.text
    assert response.json()['faultstring'] == (
        'Another Listener on this Load Balancer is already using protocol TCP and '
        'protocol_port 83')
