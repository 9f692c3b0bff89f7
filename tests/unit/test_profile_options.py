"""What the haproxy driver carries out of flavor and availability zone profile data
(api/profile_options.py), against the schemas profiles are checked with
(api/admin_capabilities.py, Octavia's amphora provider's)."""
import jsonschema
import pytest

from heat_lbaas.controller.api import admin_capabilities
from heat_lbaas.controller.api import profile_options
from heat_lbaas.controller import errors

REFUSED = "Provider 'amphora' does not support a requested option: "


def test_every_key_octavia_takes_is_declared_for_the_haproxy_driver():
    served = profile_options.haproxy(namespaces=False)
    assert set(served.flavor) == set(admin_capabilities.FLAVOR_SCHEMA['properties'])
    assert set(served.availability_zone) == set(
        admin_capabilities.AVAILABILITY_ZONE_SCHEMA['properties'])
    # Every refusal says why.
    for rule in [*served.flavor.values(), *served.availability_zone.values()]:
        assert rule.values is None or rule.why


@pytest.mark.parametrize('option, data', [
    ('flavor', {'loadbalancer_topology': 'SINGLE', 'sriov_vip': False,
                'allow_member_sriov': False}),
    ('flavor', {}),
    ('availability_zone', {'compute_zone': 'nova', 'valid_vip_networks': ['a', 'b']}),
])
def test_what_the_haproxy_driver_serves_passes(option, data):
    profile_options.check(profile_options.haproxy(namespaces=False), option, data)


@pytest.mark.parametrize('option, data, detail', [
    ('flavor', {'loadbalancer_topology': 'SINGLE', 'sriov_vip': True},
     'flavor sriov_vip true is not supported by this controller (no SR-IOV ports; '
     'supported: false).'),
    ('flavor', {'compute_flavor': ''},
     'flavor compute_flavor is not supported by this controller (no compute service: '
     'each amphora is an HAProxy process on this host).'),
    ('availability_zone', {'compute_zone': 'Nova'},
     'availability zone compute_zone Nova is not supported by this controller (every '
     'amphora runs on this one host, in compute zone nova; supported: nova).'),
])
def test_what_it_does_not_serve_is_a_501_naming_the_key(option, data, detail):
    with pytest.raises(errors.ProviderUnsupported) as refused:
        profile_options.check(profile_options.haproxy(namespaces=False), option, data)
    assert refused.value.status == 501
    assert str(refused.value) == REFUSED + detail


def test_the_noop_driver_serves_whatever_the_schema_takes():
    everything = {'loadbalancer_topology': 'ACTIVE_STANDBY', 'compute_flavor': 'x',
                  'amp_image_tag': 'y', 'sriov_vip': True, 'allow_member_sriov': True}
    jsonschema.validate(everything, admin_capabilities.FLAVOR_SCHEMA)
    profile_options.check(None, 'flavor', everything)
