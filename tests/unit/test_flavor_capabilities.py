"""Which load balancer topologies the haproxy driver serves depends on where amphorae
run: ACTIVE_STANDBY needs amphorae in network namespaces (VRRP moves the VIP between
two interfaces). A profile asking for it is stored either way, as Octavia stores it;
a load balancer naming it is refused (501) where it cannot be served."""
import pytest

from heat_lbaas.controller import errors
from heat_lbaas.controller.api import admin_capabilities
from heat_lbaas.controller.api import profile_options

ACTIVE_STANDBY = {'loadbalancer_topology': 'ACTIVE_STANDBY'}


def test_a_profile_asking_for_active_standby_is_stored_whatever_the_deployment():
    assert admin_capabilities.parse(
        '{"loadbalancer_topology": "ACTIVE_STANDBY"}', 'flavor_data',
        admin_capabilities.FLAVOR_SCHEMA) == ACTIVE_STANDBY


def test_namespace_amphorae_serve_active_standby():
    profile_options.check(profile_options.haproxy(namespaces=True), 'flavor',
                          ACTIVE_STANDBY)


def test_loopback_amphorae_refuse_active_standby_naming_why():
    with pytest.raises(errors.ProviderUnsupported) as refused:
        profile_options.check(profile_options.haproxy(namespaces=False), 'flavor',
                              ACTIVE_STANDBY)
    assert 'amphora_network = namespace' in refused.value.message
