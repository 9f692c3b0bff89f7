"""Which load balancer topologies a flavor may ask for depends on where amphorae run:
ACTIVE_STANDBY needs amphorae in network namespaces (VRRP moves the VIP between two
interfaces), so only the haproxy driver in namespace mode offers it."""
import pytest
from oslo_config import cfg

from heat_lbaas.controller import config
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import admin_capabilities


def _conf(driver, network):
    conf = cfg.ConfigOpts()
    config.register(conf)
    conf([], project='heat-lbaas-test')
    conf.set_override('amphora_driver', driver, 'controller')
    conf.set_override('amphora_network', network, 'controller')
    return conf


def _topologies(conf):
    return admin_capabilities.flavor_schema(conf)['properties'][
        'loadbalancer_topology']['enum']


def test_active_standby_is_offered_only_by_namespace_amphorae():
    assert _topologies(_conf('haproxy', 'namespace')) == ['SINGLE', 'ACTIVE_STANDBY']
    assert _topologies(_conf('haproxy', 'loopback')) == ['SINGLE']
    described = admin_capabilities.described(
        admin_capabilities.flavor_schema(_conf('haproxy', 'namespace')))
    # Octavia's amphora driver's own description.
    assert described['loadbalancer_topology'].endswith(
        'ACTIVE_STANDBY - Two amphora per load balancer.')


@pytest.mark.parametrize('network', ['loopback', 'namespace'])
def test_a_profile_asking_for_active_standby_is_checked_against_the_deployment(network):
    schema = admin_capabilities.flavor_schema(_conf('haproxy', network))
    text = '{"loadbalancer_topology": "ACTIVE_STANDBY"}'
    if network == 'namespace':
        assert admin_capabilities.parse(text, 'flavor_data', schema) == {
            'loadbalancer_topology': 'ACTIVE_STANDBY'}
    else:
        with pytest.raises(errors.ProviderUnsupported):
            admin_capabilities.parse(text, 'flavor_data', schema)
