"""[controller] amphora_driver = noop: the controller behaves as Octavia with its no-op
amphora, network and certificate drivers (as Octavia's own gate and many CI clouds
run it). Any VIP ids and addresses and any certificate reference are accepted,
every change reaches ACTIVE (or is gone) without a process being started, and
operating statuses are the ones Octavia's noop mode reports."""
import json
import os
import uuid

import pytest

from heat_lbaas.controller import vip_networks
from tests.support import inprocess_controller
from tests.support import octavia_api
from tests.support import processes

pytestmark = pytest.mark.noop_amphorae

ZERO_STATS = {'active_connections': 0, 'bytes_in': 0, 'bytes_out': 0,
              'request_errors': 0, 'total_connections': 0}


def random_id():
    return str(uuid.uuid4())


def get(api, path, key):
    response = api.request('GET', path)
    assert response.status_code == 200, response.text
    return response.json()[key]


@pytest.fixture
def lb(api):
    created = api.new_loadbalancer(vip_subnet_id=random_id())
    yield created
    api.delete_loadbalancer(created['id'])


def test_any_vip_subnet_network_or_port_is_accepted(api):
    subnet, network, port = random_id(), random_id(), random_id()
    by_subnet = api.new_loadbalancer(vip_subnet_id=subnet)
    by_network = api.new_loadbalancer(vip_network_id=network)
    by_port = api.new_loadbalancer(vip_port_id=port)
    for created in (by_subnet, by_network, by_port):
        shown = api.loadbalancer(created['id'])
        assert shown['provisioning_status'] == 'ACTIVE'
        # The address Octavia's noop network driver invents; every id is a UUID.
        assert shown['vip_address'] == vip_networks.NOOP_VIP_ADDRESS
        for name in ('vip_subnet_id', 'vip_network_id', 'vip_port_id'):
            assert uuid.UUID(shown[name])
    assert api.loadbalancer(by_subnet['id'])['vip_subnet_id'] == subnet
    assert api.loadbalancer(by_network['id'])['vip_network_id'] == network
    assert api.loadbalancer(by_port['id'])['vip_port_id'] == port
    for created in (by_subnet, by_network, by_port):
        api.delete_loadbalancer(created['id'])


@pytest.mark.parametrize('address', ['198.18.33.33', '2001:db8:33:33:33:33:33:33'])
def test_a_fixed_vip_address_of_either_family_is_kept(api, address):
    first = api.new_loadbalancer(vip_subnet_id=random_id(), vip_address=address)
    # No Neutron keeps the address to one port: a second one may share it.
    second = api.new_loadbalancer(vip_subnet_id=random_id(), vip_address=address)
    for created in (first, second):
        shown = api.loadbalancer(created['id'])
        assert (shown['vip_address'], shown['provisioning_status']) == (address, 'ACTIVE')
        api.delete_loadbalancer(created['id'])


def test_the_vip_must_still_name_something(api):
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {'name': 'x'}})
    assert response.status_code == 400
    assert 'VIP must contain one of' in response.json()['faultstring']


def test_any_certificate_reference_is_accepted_without_a_file(api, lb, controller):
    barbican = 'https://barbican.example/v1/containers/%s'
    listener = api.create_child(
        lb['id'], 'listeners', 'listener', loadbalancer_id=lb['id'],
        protocol='TERMINATED_HTTPS', protocol_port=443,
        default_tls_container_ref=barbican % random_id(),
        sni_container_refs=[barbican % random_id(), barbican % random_id()],
        client_authentication='MANDATORY',
        client_ca_tls_container_ref=barbican % random_id(),
        client_crl_container_ref=barbican % random_id())
    pool = api.create_child(
        lb['id'], 'pools', 'pool', listener_id=listener['id'], protocol='HTTP',
        lb_algorithm='ROUND_ROBIN', tls_enabled=True,
        tls_container_ref=barbican % random_id(),
        ca_tls_container_ref='/no/such/file.pem',
        crl_container_ref='file:///no/such/crl.pem')
    updated = api.update_child(lb['id'], '/listeners/' + listener['id'], 'listener',
                               default_tls_container_ref=barbican % random_id())
    assert updated['default_tls_container_ref'] != listener['default_tls_container_ref']
    assert get(api, '/listeners/' + listener['id'], 'listener')[
        'provisioning_status'] == 'ACTIVE'
    assert get(api, '/pools/' + pool['id'], 'pool')['provisioning_status'] == 'ACTIVE'
    # Nothing was read from the certificate directory, nor written for an amphora.
    assert os.listdir(controller.certificate_dir) == []
    assert not os.path.exists(os.path.join(controller.state_dir, 'amphorae'))


def test_operating_statuses_are_those_of_octavias_noop_mode(api, lb):
    lb_id = lb['id']
    listener = api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                                protocol='HTTP', protocol_port=80)
    pool = api.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                            protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    members = '/pools/%s/members' % pool['id']
    unmonitored = api.create_child(lb_id, members.lstrip('/'), 'member',
                                   address='192.0.2.10', protocol_port=8080)
    monitor = api.create_child(lb_id, 'healthmonitors', 'healthmonitor',
                               pool_id=pool['id'], type='HTTP', delay=5, timeout=3,
                               max_retries=3)
    monitored = api.create_child(lb_id, members.lstrip('/'), 'member',
                                 address='192.0.2.11', protocol_port=8080)
    policy = api.create_child(lb_id, 'l7policies', 'l7policy',
                              listener_id=listener['id'], action='REJECT')
    rule = api.create_child(lb_id, 'l7policies/%s/rules' % policy['id'], 'rule',
                            type='PATH', compare_type='STARTS_WITH', value='/x')

    def status(path, key):
        return get(api, path, key)['operating_status']

    assert status('/loadbalancers/' + lb_id, 'loadbalancer') == 'OFFLINE'
    assert status('/listeners/' + listener['id'], 'listener') == 'OFFLINE'
    assert status('/pools/' + pool['id'], 'pool') == 'OFFLINE'
    assert status('/healthmonitors/' + monitor['id'], 'healthmonitor') == 'ONLINE'
    assert status('%s/%s' % (members, unmonitored['id']), 'member') == 'NO_MONITOR'
    assert status('%s/%s' % (members, monitored['id']), 'member') == 'OFFLINE'
    assert status('/l7policies/' + policy['id'], 'l7policy') == 'ONLINE'
    assert status('/l7policies/%s/rules/%s' % (policy['id'], rule['id']),
                  'rule') == 'ONLINE'
    tree = get(api, '/loadbalancers/%s/status' % lb_id, 'statuses')['loadbalancer']
    assert tree['operating_status'] == 'OFFLINE'
    assert tree['listeners'][0]['pools'][0]['health_monitor'][
        'operating_status'] == 'ONLINE'

    # Disabled objects are OFFLINE once applied.
    api.update_child(lb_id, '/healthmonitors/' + monitor['id'], 'healthmonitor',
                     admin_state_up=False)
    api.update_child(lb_id, '/l7policies/' + policy['id'], 'l7policy',
                     admin_state_up=False)
    assert status('/healthmonitors/' + monitor['id'], 'healthmonitor') == 'OFFLINE'
    assert status('/l7policies/' + policy['id'], 'l7policy') == 'OFFLINE'
    # Nothing reports health: a disabled member keeps its status, as in Octavia.
    api.update_child(lb_id, '%s/%s' % (members, monitored['id']), 'member',
                     admin_state_up=False)
    assert status('%s/%s' % (members, monitored['id']), 'member') == 'OFFLINE'
    # Deleting the health monitor makes the pool's members NO_MONITOR.
    assert api.request('DELETE', '/healthmonitors/' + monitor['id']).status_code == 204
    api.wait_active(lb_id)
    assert status('%s/%s' % (members, monitored['id']), 'member') == 'NO_MONITOR'
    assert status('%s/%s' % (members, unmonitored['id']), 'member') == 'NO_MONITOR'
    assert status('/pools/' + pool['id'], 'pool') == 'OFFLINE'


def _profile_offering(api, profiles, profile_key, data_field, data, offerings,
                      offering_key, profile_id_field):
    profile = api.create(profiles, profile_key, name='p-' + random_id()[:8],
                         provider_name='amphora', **{data_field: json.dumps(data)})
    offering = api.create(offerings, offering_key, name='o-' + random_id()[:8],
                          **{profile_id_field: profile['id']})
    return profile, offering


def test_every_profile_octavias_amphora_provider_takes_serves_a_loadbalancer(api):
    """As with Octavia's noop compute, image and network drivers: flavor and zone
    data of any key Octavia's amphora provider takes (ACTIVE_STANDBY, a compute
    zone that exists nowhere) are stored as given and give working load balancers."""
    flavor_data = {'loadbalancer_topology': 'ACTIVE_STANDBY',
                   'compute_flavor': random_id(), 'amp_image_tag': 'amphora',
                   'sriov_vip': True, 'allow_member_sriov': True}
    network = random_id()
    zone_data = {'compute_zone': 'bogus-az-1', 'volume_zone': 'bogus-vz-1',
                 'management_network': random_id(), 'valid_vip_networks': [network]}
    flavor_profile, flavor = _profile_offering(
        api, 'flavorprofiles', 'flavorprofile', 'flavor_data', flavor_data,
        'flavors', 'flavor', 'flavor_profile_id')
    zone_profile, zone = _profile_offering(
        api, 'availabilityzoneprofiles', 'availability_zone_profile',
        'availability_zone_data', zone_data, 'availabilityzones', 'availability_zone',
        'availability_zone_profile_id')
    assert json.loads(flavor_profile['flavor_data']) == flavor_data
    assert json.loads(zone_profile['availability_zone_data']) == zone_data
    plain = api.new_loadbalancer(vip_network_id=network)
    offered = api.new_loadbalancer(vip_network_id=network, flavor_id=flavor['id'],
                                   availability_zone=zone['name'])
    shown = api.loadbalancer(offered['id'])
    assert (shown['flavor_id'], shown['availability_zone']) == (
        flavor['id'], zone['name'])
    # sriov_vip: Octavia's anticipated vNIC type of the VIP port.
    assert shown['vip_vnic_type'] == 'direct'
    assert api.loadbalancer(plain['id'])['vip_vnic_type'] == 'normal'
    assert shown['operating_status'] == api.loadbalancer(plain['id'])['operating_status']
    # The zone's valid_vip_networks still hold the VIP to its networks.
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_network_id': random_id(), 'availability_zone': zone['name']}})
    assert response.status_code == 400, response.text
    assert response.json()['faultstring'] == (
        'Validation failure: Supplied VIP network_id is not allowed by the '
        'configuration of this deployment.')
    for created in (plain, offered):
        api.delete_loadbalancer(created['id'])
    for path in ('/flavors/' + flavor['id'], '/flavorprofiles/' + flavor_profile['id'],
                 '/availabilityzones/' + zone['name'],
                 '/availabilityzoneprofiles/' + zone_profile['id']):
        assert api.request('DELETE', path).status_code == 204


def test_changes_reach_active_or_deleted_and_no_process_starts(api, controller):
    children_before = processes.children(os.getpid())
    lb = api.new_loadbalancer(vip_subnet_id=random_id(), name='before')
    lb_id = lb['id']
    assert api.update_child(lb_id, '/loadbalancers/' + lb_id, 'loadbalancer',
                            name='after')['name'] == 'after'
    listener = api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                                protocol='TCP', protocol_port=5000)
    pool = api.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                            protocol='TCP', lb_algorithm='LEAST_CONNECTIONS')
    member = api.create_child(lb_id, 'pools/%s/members' % pool['id'], 'member',
                              address='203.0.113.7', protocol_port=22)
    api.update_child(lb_id, '/listeners/' + listener['id'], 'listener',
                     connection_limit=10)
    # The worker rendered the configuration it would serve, and ran nothing.
    assert member['id'] in controller.controller.driver.configurations[lb_id]
    assert processes.children(os.getpid()) == children_before
    assert get(api, '/loadbalancers/%s/stats' % lb_id, 'stats') == ZERO_STATS
    assert get(api, '/listeners/%s/stats' % listener['id'], 'stats') == ZERO_STATS

    assert api.request('DELETE', '/pools/%s/members/%s'
                       % (pool['id'], member['id'])).status_code == 204
    api.wait_active(lb_id)
    assert api.request('GET', '/pools/%s/members/%s' % (pool['id'], member['id'])
                       ).status_code == 404
    # Without cascade, children refuse the delete; with it, everything goes.
    assert api.request('DELETE', '/loadbalancers/' + lb_id).status_code == 400
    api.delete_loadbalancer(lb_id)
    for path in ('/listeners/' + listener['id'], '/pools/' + pool['id']):
        assert api.request('GET', path).status_code == 404
    assert lb_id not in controller.controller.driver.configurations


def test_a_restarted_controller_leaves_its_load_balancers_as_they_were(tmp_path):
    state_dir = str(tmp_path / 'state')
    first = inprocess_controller.InProcessController(state_dir).start()
    try:
        api = octavia_api.OctaviaApi(first.url)
        lb = api.new_loadbalancer(vip_network_id=random_id())
        before = api.loadbalancer(lb['id'])
    finally:
        first.stop()
    second = inprocess_controller.InProcessController(state_dir).start()
    try:
        api = octavia_api.OctaviaApi(second.url)
        # Nothing to adopt or start again: not even updated_at changes.
        assert api.loadbalancer(lb['id']) == before
        api.delete_loadbalancer(lb['id'])
    finally:
        second.stop()


def test_a_failover_makes_a_new_amphora(api):
    lb = api.new_loadbalancer()
    before = [a['id'] for a in api.octavia_request('GET', '/amphorae').json()['amphorae']
              if a['loadbalancer_id'] == lb['id']]
    assert len(before) == 1
    assert api.request('PUT', '/loadbalancers/%s/failover' % lb['id']).status_code == 202
    api.wait_active(lb['id'])
    after = [a['id'] for a in api.octavia_request('GET', '/amphorae').json()['amphorae']
             if a['loadbalancer_id'] == lb['id']]
    assert len(after) == 1 and after != before, (before, after)
    api.delete_loadbalancer(lb['id'])
