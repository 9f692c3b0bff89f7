"""Octavia's admin API on a real controller over real HTTP: flavor and availability
zone profiles and offerings, provider capabilities, and amphorae (the running HAProxy
masters), with Octavia 19's paths, shapes, status codes and fault wording; and
openstacksdk's load_balancer calls for them, unchanged."""
import json
import os
import uuid

import openstack
import pytest

from tests.support import http_lb
from tests.support import octavia_api

SINGLE = json.dumps({'loadbalancer_topology': 'SINGLE'})
# The controller's VIP network (its default, which tests.support.controller keeps).
VIP_NETWORK_ID = '2bcecfc5-9c7c-54a1-a809-648cc439e9b5'


def _fault(response, status, text):
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {'faultcode': 'Client' if status < 500 else 'Server',
                    'faultstring': text, 'debuginfo': None}


def _name(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


@pytest.fixture
def flavor_profile(api):
    profile = api.create('flavorprofiles', 'flavorprofile', name=_name('fp'),
                         provider_name='amphora', flavor_data=SINGLE)
    yield profile
    api.request('DELETE', '/flavorprofiles/' + profile['id'])


@pytest.fixture
def flavor(api, flavor_profile):
    created = api.create('flavors', 'flavor', name=_name('flavor'),
                         flavor_profile_id=flavor_profile['id'])
    yield created
    api.request('DELETE', '/flavors/' + created['id'])


@pytest.fixture
def zone_profile(api):
    profile = api.create('availabilityzoneprofiles', 'availability_zone_profile',
                         name=_name('azp'), provider_name='amphora',
                         availability_zone_data=json.dumps(
                             {'valid_vip_networks': [VIP_NETWORK_ID]}))
    yield profile
    api.request('DELETE', '/availabilityzoneprofiles/' + profile['id'])


@pytest.fixture
def zone(api, zone_profile):
    created = api.create('availabilityzones', 'availability_zone', name=_name('az'),
                         availability_zone_profile_id=zone_profile['id'])
    yield created
    api.request('DELETE', '/availabilityzones/' + created['name'])


# --- flavor profiles and flavors ------------------------------------------------

def test_flavor_profile_has_octavias_shape_and_validation(api, flavor_profile):
    assert flavor_profile == {'id': flavor_profile['id'], 'name': flavor_profile['name'],
                              'provider_name': 'amphora', 'flavor_data': SINGLE}
    shown = api.request('GET', '/flavorprofiles/' + flavor_profile['id']).json()
    assert shown == {'flavorprofile': flavor_profile}

    def create(**fields):
        fields = dict({'name': 'bad', 'provider_name': 'amphora',
                       'flavor_data': SINGLE}, **fields)
        return api.request('POST', '/flavorprofiles', {'flavorprofile': fields})
    _fault(create(flavor_data='{bad'), 400,
           '{bad is not a valid option for flavor_data')
    # Octavia's amphora provider schema: its keys, types and values only.
    _fault(create(flavor_data='{"compute_flavors": "m1.small"}'), 501,
           "Provider 'amphora' does not support a requested option: Additional "
           "properties are not allowed ('compute_flavors' was unexpected)")
    _fault(create(flavor_data='{"loadbalancer_topology": "TRIPLE"}'), 501,
           "Provider 'amphora' does not support a requested option: "
           "loadbalancer_topology 'TRIPLE' is not one of ['SINGLE', 'ACTIVE_STANDBY']")
    _fault(create(flavor_data='{"sriov_vip": "yes"}'), 501,
           "Provider 'amphora' does not support a requested option: "
           "sriov_vip 'yes' is not of type 'boolean'")
    _fault(create(provider_name='noop_driver'), 400,
           "Provider 'noop_driver' is not enabled.")
    _fault(create(name=None), 400,
           "Invalid input for field/attribute name. Value: 'None'. "
           "Mandatory field missing.")
    _fault(api.request('GET', '/flavorprofiles/' + str(uuid.UUID(int=1))), 404,
           'Flavor Profile %s not found.' % uuid.UUID(int=1))

    updated = api.request('PUT', '/flavorprofiles/' + flavor_profile['id'],
                          {'flavorprofile': {'name': 'renamed', 'flavor_data': '{}'}})
    assert updated.status_code == 200, updated.text
    assert updated.json()['flavorprofile']['flavor_data'] == '{}'
    _fault(api.request('PUT', '/flavorprofiles/' + flavor_profile['id'],
                       {'flavorprofile': {'name': None}}), 400,
           'None is not a valid option for name')


def test_flavor_crud_and_profile_in_use(api, flavor_profile, flavor):
    assert flavor == {'id': flavor['id'], 'name': flavor['name'], 'description': '',
                      'enabled': True, 'flavor_profile_id': flavor_profile['id']}
    profile_path = '/flavorprofiles/' + flavor_profile['id']
    _fault(api.request('DELETE', profile_path), 409,
           'Flavor profile %s is in use and cannot be modified.' % flavor_profile['id'])
    _fault(api.request('PUT', profile_path, {'flavorprofile': {'flavor_data': '{}'}}),
           409, 'Flavor profile %s is in use and cannot be modified.'
           % flavor_profile['id'])
    # A profile's name may change while in use.
    assert api.request('PUT', profile_path, {'flavorprofile': {'name': 'x'}}
                       ).status_code == 200

    _fault(api.request('POST', '/flavors', {'flavor': {
        'name': flavor['name'], 'flavor_profile_id': flavor_profile['id']}}),
        409, 'A flavor of %s already exists.' % flavor['name'])
    missing = str(uuid.uuid4())
    _fault(api.request('POST', '/flavors', {'flavor': {
        'name': 'other', 'flavor_profile_id': missing}}),
        404, 'Flavor Profile %s not found.' % missing)
    _fault(api.request('PUT', '/flavors/' + flavor['id'], {'flavor': {
        'flavor_profile_id': flavor_profile['id']}}), 400,
        "Invalid input for field/attribute flavor. Value: '{'flavor_profile_id': '%s'}'."
        " Unknown attribute for argument flavor: flavor_profile_id" % flavor_profile['id'])

    response = api.request('PUT', '/flavors/' + flavor['id'], {'flavor': {
        'description': 'small', 'enabled': False}})
    assert response.status_code == 200, response.text
    assert response.json()['flavor']['enabled'] is False
    assert api.request('GET', '/flavors/%s?fields=name&fields=enabled' % flavor['id']
                       ).json() == {'flavor': {'name': flavor['name'], 'enabled': False}}

    assert api.request('DELETE', '/flavors/' + flavor['id']).status_code == 204
    _fault(api.request('GET', '/flavors/' + flavor['id']), 404,
           'Flavor %s not found.' % flavor['id'])
    assert api.request('DELETE', profile_path).status_code == 204


def test_flavor_lists_filter_sort_page_and_select_fields(api, flavor_profile):
    prefix = _name('list')
    made = [api.create('flavors', 'flavor', name='%s-%d' % (prefix, i),
                       flavor_profile_id=flavor_profile['id'], enabled=i != 1)
            for i in range(3)]
    try:
        listed = api.request('GET', '/flavors?sort=name:desc').json()
        assert set(listed) == {'flavors', 'flavors_links'}
        ours = [f['name'] for f in listed['flavors'] if f['name'].startswith(prefix)]
        assert ours == sorted(ours, reverse=True) and len(ours) == 3
        # Without a sort key: by id, as Octavia's flavors (no created_at).
        ids = [f['id'] for f in api.request('GET', '/flavors').json()['flavors']]
        assert ids == sorted(ids)
        disabled = api.request('GET', '/flavors?enabled=false&fields=name').json()
        assert {'name': made[1]['name']} in disabled['flavors']
        assert all(set(f) == {'name'} for f in disabled['flavors'])
        page = api.request('GET', '/flavors?limit=1').json()
        assert len(page['flavors']) == 1
        assert page['flavors_links'][0]['rel'] == 'next'
        profiles = api.request('GET', '/flavorprofiles').json()
        assert set(profiles) == {'flavorprofiles', 'flavorprofile_links'}
        _fault(api.request('GET', '/flavors?bogus=1'), 400,
               'One or more arguments are either duplicate or invalid')
    finally:
        for flavor in made:
            api.request('DELETE', '/flavors/' + flavor['id'])


def test_capabilities_say_what_this_provider_serves(api):
    # Octavia's amphora provider's, descriptions included (octavia-tempest-plugin
    # compares them): what profiles may hold, whatever the driver serves.
    response = api.request('GET', '/providers/amphora/flavor_capabilities')
    assert response.json()['flavor_capabilities'][0] == {
        'name': 'loadbalancer_topology',
        'description': 'The load balancer topology. One of: SINGLE - One amphora '
                       'per load balancer. ACTIVE_STANDBY - Two amphora per load '
                       'balancer.'}
    assert [c['name'] for c in response.json()['flavor_capabilities']] == [
        'loadbalancer_topology', 'compute_flavor', 'amp_image_tag', 'sriov_vip',
        'allow_member_sriov']
    names = api.request('GET', '/providers/amphora/flavor_capabilities?fields=name'
                        '&name=loadbalancer_topology').json()
    assert names == {'flavor_capabilities': [{'name': 'loadbalancer_topology'}]}
    zones = api.request('GET', '/providers/amphora/availability_zone_capabilities')
    assert zones.json()['availability_zone_capabilities'][0] == {
        'name': 'compute_zone', 'description': 'The compute availability zone.'}
    assert [c['name'] for c in zones.json()['availability_zone_capabilities']] == [
        'compute_zone', 'volume_zone', 'management_network', 'valid_vip_networks']
    _fault(api.request('GET', '/providers/nope/flavor_capabilities'), 400,
           "Provider 'nope' is not enabled.")
    providers = api.request('GET', '/providers?fields=name').json()['providers']
    assert providers == [{'name': 'amphora'}, {'name': 'octavia'}]


def test_loadbalancer_takes_an_enabled_flavor_only(api, flavor):
    lb = api.new_loadbalancer(flavor_id=flavor['id'])
    try:
        assert api.loadbalancer(lb['id'])['flavor_id'] == flavor['id']
        _fault(api.request('DELETE', '/flavors/' + flavor['id']), 409,
               'Flavor %s is in use and cannot be modified.' % flavor['id'])
    finally:
        api.delete_loadbalancer(lb['id'])
    assert api.request('PUT', '/flavors/' + flavor['id'],
                       {'flavor': {'enabled': False}}).status_code == 200
    create = {'loadbalancer': {'vip_subnet_id': octavia_api.VIP_SUBNET_ID,
                               'flavor_id': flavor['id']}}
    _fault(api.request('POST', '/loadbalancers', create), 400,
           'The selected flavor is not allowed in this deployment: %s' % flavor['id'])
    create['loadbalancer']['flavor_id'] = str(uuid.uuid4())
    _fault(api.request('POST', '/loadbalancers', create), 400,
           'Validation failure: Invalid flavor_id.')


def _offering(api, option, data):
    """A new flavor (option 'flavor') or availability zone of a profile holding
    `data`; (the load balancer field naming it, its value, cleanup callable)."""
    if option == 'flavor':
        profile = api.create('flavorprofiles', 'flavorprofile', name=_name('fp'),
                             provider_name='amphora', flavor_data=json.dumps(data))
        made = api.create('flavors', 'flavor', name=_name('flavor'),
                          flavor_profile_id=profile['id'])
        paths = ('/flavors/' + made['id'], '/flavorprofiles/' + profile['id'])
        field, value = 'flavor_id', made['id']
    else:
        profile = api.create('availabilityzoneprofiles', 'availability_zone_profile',
                             name=_name('azp'), provider_name='amphora',
                             availability_zone_data=json.dumps(data))
        made = api.create('availabilityzones', 'availability_zone', name=_name('az'),
                          availability_zone_profile_id=profile['id'])
        paths = ('/availabilityzones/' + made['name'],
                 '/availabilityzoneprofiles/' + profile['id'])
        field, value = 'availability_zone', made['name']

    def cleanup():
        for path in paths:
            assert api.request('DELETE', path).status_code == 204
    return field, value, cleanup


REFUSED = "Provider 'amphora' does not support a requested option: "


@pytest.mark.parametrize('option, data, detail', [
    ('flavor', {'loadbalancer_topology': 'ACTIVE_STANDBY'},
     'flavor loadbalancer_topology ACTIVE_STANDBY is not supported by this controller '
     '(a keepalived pair needs amphorae in network namespaces: [controller] '
     'amphora_network = namespace; supported: SINGLE).'),
    ('flavor', {'compute_flavor': 'm1.amphora'},
     'flavor compute_flavor is not supported by this controller (no compute service: '
     'each amphora is an HAProxy process on this host).'),
    ('flavor', {'amp_image_tag': 'amphora'},
     'flavor amp_image_tag is not supported by this controller (no amphora image: '
     'each amphora is an HAProxy process on this host).'),
    ('flavor', {'sriov_vip': True},
     'flavor sriov_vip true is not supported by this controller (no SR-IOV ports; '
     'supported: false).'),
    ('availability_zone', {'compute_zone': 'az-2'},
     'availability zone compute_zone az-2 is not supported by this controller (every '
     'amphora runs on this one host, in compute zone nova; supported: nova).'),
    ('availability_zone', {'management_network': str(uuid.UUID(int=7))},
     'availability zone management_network is not supported by this controller (no '
     'management network: the controller reaches its amphorae over Unix sockets).'),
    ('availability_zone', {'volume_zone': 'az-1'},
     'availability zone volume_zone is not supported by this controller (no volumes: '
     'amphorae run on this host).'),
], ids=lambda v: v if isinstance(v, str) and ' ' not in v else None)
def test_profile_data_is_stored_and_refused_where_a_loadbalancer_uses_it(
        api, option, data, detail):
    """Profiles take what Octavia's amphora provider takes; the haproxy driver
    refuses what it cannot serve when a load balancer names it: 501, nothing made."""
    field, value, cleanup = _offering(api, option, data)
    try:
        before = api.request('GET', '/loadbalancers').json()['loadbalancers']
        _fault(api.request('POST', '/loadbalancers', {'loadbalancer': {
            'vip_subnet_id': octavia_api.VIP_SUBNET_ID, field: value}}),
            501, REFUSED + detail)
        after = api.request('GET', '/loadbalancers').json()['loadbalancers']
        assert [lb['id'] for lb in after] == [lb['id'] for lb in before]
    finally:
        cleanup()


def test_profile_data_the_driver_serves_makes_a_working_loadbalancer(api):
    flavor_field, flavor, drop_flavor = _offering(api, 'flavor', {
        'loadbalancer_topology': 'SINGLE', 'sriov_vip': False,
        'allow_member_sriov': False})
    zone_field, zone, drop_zone = _offering(api, 'availability_zone', {
        'compute_zone': 'nova', 'valid_vip_networks': [VIP_NETWORK_ID]})
    try:
        lb = api.new_loadbalancer(**{flavor_field: flavor, zone_field: zone})
        try:
            shown = api.loadbalancer(lb['id'])
            assert (shown['flavor_id'], shown['availability_zone'],
                    shown['vip_vnic_type']) == (flavor, zone, 'normal')
            assert shown['operating_status'] == 'ONLINE'
        finally:
            api.delete_loadbalancer(lb['id'])
    finally:
        drop_flavor()
        drop_zone()


# --- availability zones ------------------------------------------------------------

def test_availability_zone_crud_by_name(api, zone_profile, zone):
    assert zone == {'name': zone['name'], 'description': '', 'enabled': True,
                    'availability_zone_profile_id': zone_profile['id']}
    path = '/availabilityzones/' + zone['name']
    assert api.request('GET', path).json() == {'availability_zone': zone}
    response = api.request('PUT', path, {'availability_zone': {'description': 'd'}})
    assert response.json()['availability_zone']['description'] == 'd'
    _fault(api.request('POST', '/availabilityzones', {'availability_zone': {
        'name': zone['name'], 'availability_zone_profile_id': zone_profile['id']}}),
        409, 'A availability zone of %s already exists.' % zone['name'])
    _fault(api.request('DELETE', '/availabilityzoneprofiles/' + zone_profile['id']),
           409, 'Availability Zone Profile %s is in use and cannot be modified.'
           % zone_profile['id'])
    listed = api.request('GET', '/availabilityzones?sort=name:asc').json()
    assert set(listed) == {'availability_zones', 'availability_zones_links'}
    names = [z['name'] for z in listed['availability_zones']]
    assert zone['name'] in names and names == sorted(names)
    assert all('id' not in z for z in listed['availability_zones'])
    profiles = api.request('GET', '/availabilityzoneprofiles').json()
    assert set(profiles) == {'availability_zone_profiles',
                             'availability_zone_profile_links'}
    _fault(api.request('POST', '/availabilityzoneprofiles', {
        'availability_zone_profile': {'name': 'p', 'provider_name': 'amphora',
                                      'availability_zone_data': '{"zone": "a"}'}}),
        501, "Provider 'amphora' does not support a requested option: Additional "
             "properties are not allowed ('zone' was unexpected)")
    assert api.request('DELETE', path).status_code == 204
    _fault(api.request('GET', path), 404,
           'Availability Zone %s not found.' % zone['name'])


def test_loadbalancer_availability_zone_is_checked(api, zone, zone_profile):
    lb = api.new_loadbalancer(availability_zone=zone['name'])
    try:
        assert api.loadbalancer(lb['id'])['availability_zone'] == zone['name']
    finally:
        api.delete_loadbalancer(lb['id'])
    create = {'loadbalancer': {'vip_subnet_id': octavia_api.VIP_SUBNET_ID,
                               'availability_zone': 'nowhere'}}
    _fault(api.request('POST', '/loadbalancers', create), 400,
           'Validation failure: Invalid availability zone.')
    # A zone whose VIP networks leave out this controller's network.
    other = api.create('availabilityzoneprofiles', 'availability_zone_profile',
                       name='elsewhere', provider_name='amphora',
                       availability_zone_data=json.dumps(
                           {'valid_vip_networks': [str(uuid.uuid4())]}))
    narrow = api.create('availabilityzones', 'availability_zone', name=_name('az'),
                        availability_zone_profile_id=other['id'])
    try:
        create['loadbalancer']['availability_zone'] = narrow['name']
        _fault(api.request('POST', '/loadbalancers', create), 400,
               'Validation failure: Supplied VIP network_id is not allowed by the '
               'configuration of this deployment.')
        api.request('PUT', '/availabilityzones/' + narrow['name'],
                    {'availability_zone': {'enabled': False}})
        _fault(api.request('POST', '/loadbalancers', create), 400,
               'The selected availability_zone is not allowed in this deployment: %s'
               % narrow['name'])
    finally:
        api.request('DELETE', '/availabilityzones/' + narrow['name'])
        api.request('DELETE', '/availabilityzoneprofiles/' + other['id'])


# --- amphorae ------------------------------------------------------------------------

def _amphorae_of(api, lb_id):
    response = api.octavia_request('GET', '/amphorae?loadbalancer_id=' + lb_id)
    assert response.status_code == 200, response.text
    return response.json()['amphorae']


def test_amphora_of_a_loadbalancer(api, loadbalancer, controller):
    amphora, = _amphorae_of(api, loadbalancer['id'])
    assert amphora['loadbalancer_id'] == loadbalancer['id']
    assert (amphora['status'], amphora['role']) == ('ALLOCATED', 'STANDALONE')
    assert amphora['ha_ip'] == amphora['vrrp_ip'] == loadbalancer['vip_address']
    assert amphora['ha_port_id'] == loadbalancer['vip_port_id']
    for name in ('id', 'compute_id', 'vrrp_port_id'):
        uuid.UUID(amphora[name])
    assert amphora['created_at'] <= amphora['updated_at']
    shown = api.octavia_request('GET', '/amphorae/' + amphora['id']).json()
    assert shown == {'amphora': amphora}
    assert api.octavia_request('GET', '/amphorae/%s?fields=id&fields=status'
                               % amphora['id']).json() == {
        'amphora': {'id': amphora['id'], 'status': 'ALLOCATED'}}
    # Also under /v2.0, as every Octavia path.
    assert controller.url and api.http.get(
        controller.url + '/v2.0/octavia/amphorae/' + amphora['id']).status_code == 200
    _fault(api.octavia_request('GET', '/amphorae/' + str(uuid.UUID(int=7))), 404,
           'Amphora %s not found.' % uuid.UUID(int=7))
    # Octavia deletes only amphorae in ERROR.
    _fault(api.octavia_request('DELETE', '/amphorae/' + amphora['id']), 409,
           'amphora %s is immutable and cannot be updated.' % amphora['id'])


def test_amphora_stats_count_listener_traffic(api, servers):
    member, = servers.start(1)
    lb, listener, _, url = http_lb.build_http_lb(api, [member], health_monitor=False)
    try:
        assert sum(http_lb.served_by(url, 3).values()) == 3
        amphora, = _amphorae_of(api, lb['id'])
        response = api.octavia_request('GET', '/amphorae/%s/stats' % amphora['id'])
        entry, = response.json()['amphora_stats']
        assert (entry['id'], entry['listener_id'], entry['loadbalancer_id']) == (
            amphora['id'], listener['id'], lb['id'])
        assert entry['total_connections'] >= 3
        assert entry['bytes_out'] > 0
        assert set(entry) == {'id', 'listener_id', 'loadbalancer_id', 'bytes_in',
                              'bytes_out', 'active_connections', 'total_connections',
                              'request_errors'}
    finally:
        api.delete_loadbalancer(lb['id'])


@pytest.fixture
def serving_lb(api, servers):
    """(load balancer, URL) of one serving HTTP through its amphora."""
    member, = servers.start(1)
    lb, _, _, url = http_lb.build_http_lb(api, [member], health_monitor=False)
    yield lb, url
    api.delete_loadbalancer(lb['id'])


def test_amphora_config_renders_the_configuration_again(api, serving_lb, controller):
    lb, url = serving_lb
    amphora, = _amphorae_of(api, lb['id'])
    config_path = os.path.join(controller.state_dir, 'amphorae', lb['id'], 'haproxy.cfg')
    with open(config_path) as config:
        rendered = config.read()
    with open(config_path, 'a') as config:
        config.write('# changed behind the controller\n')
    response = api.octavia_request('PUT', '/amphorae/%s/config' % amphora['id'])
    assert response.status_code == 202 and response.text == ''
    api.wait_active(lb['id'])
    with open(config_path) as config:
        assert config.read() == rendered
    # A reload, not a new amphora.
    assert _amphorae_of(api, lb['id'])[0]['id'] == amphora['id']
    assert sum(http_lb.served_by(url, 2).values()) == 2


def test_amphora_failover_brings_a_new_amphora(api, serving_lb):
    lb, url = serving_lb
    amphora, = _amphorae_of(api, lb['id'])
    response = api.octavia_request('PUT', '/amphorae/%s/failover' % amphora['id'])
    assert response.status_code == 202, response.text
    api.wait_active(lb['id'])
    replaced, = _amphorae_of(api, lb['id'])
    assert replaced['id'] != amphora['id']
    assert replaced['created_at'] > amphora['created_at']
    _fault(api.octavia_request('GET', '/amphorae/' + amphora['id']), 404,
           'Amphora %s not found.' % amphora['id'])
    assert sum(http_lb.served_by(url, 2).values()) == 2


def test_idle_loadbalancer_has_an_amphora_too(api, loadbalancer):
    # No listener, so no HAProxy process: Octavia still shows (and fails over) one.
    amphora, = _amphorae_of(api, loadbalancer['id'])
    assert _amphorae_of(api, loadbalancer['id']) == [amphora]
    assert api.octavia_request('PUT', '/amphorae/%s/failover' % amphora['id']
                               ).status_code == 202
    api.wait_active(loadbalancer['id'])
    replaced, = _amphorae_of(api, loadbalancer['id'])
    assert replaced['id'] != amphora['id']


# --- openstacksdk, unchanged -----------------------------------------------------------

def test_openstacksdk_admin_calls(controller, loadbalancer):
    sdk = openstack.connect(auth_type='none', auth={'endpoint': controller.url},
                            load_balancer_endpoint_override=controller.url)
    lb_proxy = sdk.load_balancer
    profile = lb_proxy.create_flavor_profile(name=_name('sdk-fp'),
                                             provider_name='amphora', flavor_data=SINGLE)
    flavor = lb_proxy.create_flavor(name=_name('sdk-flavor'),
                                    flavor_profile_id=profile.id, enabled=True)
    assert lb_proxy.get_flavor(flavor.id).flavor_profile_id == profile.id
    assert lb_proxy.find_flavor(flavor.name).id == flavor.id
    lb_proxy.update_flavor(flavor, description='via sdk')
    assert lb_proxy.get_flavor(flavor.id).description == 'via sdk'
    assert flavor.id in [f.id for f in lb_proxy.flavors()]
    assert [c.name for c in lb_proxy.provider_flavor_capabilities('amphora')][0] == (
        'loadbalancer_topology')
    lb_proxy.delete_flavor(flavor)
    lb_proxy.delete_flavor_profile(profile)
    assert lb_proxy.find_flavor_profile(profile.name) is None

    zone_profile = lb_proxy.create_availability_zone_profile(
        name=_name('sdk-azp'), provider_name='amphora', availability_zone_data='{}')
    zone = lb_proxy.create_availability_zone(
        name=_name('sdk-az'), availability_zone_profile_id=zone_profile.id)
    assert lb_proxy.get_availability_zone(zone.name).availability_zone_profile_id == (
        zone_profile.id)
    assert zone.name in [z.name for z in lb_proxy.availability_zones()]
    # (openstacksdk's AvailabilityZone has no id: it deletes by name.)
    lb_proxy.delete_availability_zone(zone.name)
    lb_proxy.delete_availability_zone_profile(zone_profile)

    amphora, = lb_proxy.amphorae(loadbalancer_id=loadbalancer['id'])
    assert lb_proxy.get_amphora(amphora.id).status == 'ALLOCATED'
    lb_proxy.configure_amphora(amphora.id)
    lb_proxy.wait_for_load_balancer(loadbalancer['id'], interval=0.1, wait=30)
    lb_proxy.failover_amphora(amphora.id)
    lb_proxy.wait_for_load_balancer(loadbalancer['id'], interval=0.1, wait=30)
    assert [a.id for a in lb_proxy.amphorae(loadbalancer_id=loadbalancer['id'])] != [
        amphora.id]


def test_amphora_outlives_a_controller_restart(api, serving_lb, controller):
    # Last in this module: it restarts the module's controller. The controller stops
    # alone (HAProxy keeps serving), so the new one adopts the same master.
    lb, url = serving_lb
    amphora, = _amphorae_of(api, lb['id'])
    controller.stop(amphorae=False)
    controller.start()
    assert _amphorae_of(api, lb['id']) == [amphora]
    assert sum(http_lb.served_by(url, 2).values()) == 2
