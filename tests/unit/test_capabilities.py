"""The amphora provider's capabilities are a subset of Octavia's vocabulary, declared
for fields and object types that exist: a value served but not accepted, or a
misspelt field, would be a check that never runs."""
import pytest

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import errors
from heat_lbaas.controller import model
from heat_lbaas.controller.api import capabilities

SERVED_FIELDS = [(key, field, served.values)
                 for key, fields in capabilities.SERVED.items()
                 for field, served in fields.items()]
# What Octavia accepts in each item of a list field (list fields declare no choices).
LIST_ITEM_VOCABULARY = {'tls_versions': octavia.TLS_VERSIONS}


@pytest.mark.parametrize('key,field,values', SERVED_FIELDS,
                         ids=['%s.%s' % (k, f) for k, f, _ in SERVED_FIELDS])
def test_served_values_are_values_octavia_accepts(key, field, values):
    object_type = {t.key: t for t in model.OBJECT_TYPES}[key]
    declared = object_type.field_map[field]
    accepted = declared.choices or LIST_ITEM_VOCABULARY.get(field)
    assert accepted, '%s.%s declares no choices' % (key, field)
    assert set(values) <= set(accepted)


def test_served_values_are_looked_up_by_object_type():
    refusing = capabilities.Capabilities(lvs_refusals={'UDP': 'no IPVS', 'SCTP': 'no'})
    assert refusing.served_values(model.LISTENER) == {
        'protocol': ('HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'PROMETHEUS'),
        'tls_versions': ('TLSv1.2', 'TLSv1.3')}
    assert refusing.served_values(model.MEMBER) == {}


def test_a_driver_with_lvs_serves_udp_and_sctp_too():
    lvs = capabilities.Capabilities()
    assert lvs.served_values(model.LISTENER)['protocol'] == (
        'HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'PROMETHEUS', 'UDP', 'SCTP')
    assert lvs.served_values(model.POOL)['protocol'][-2:] == ('UDP', 'SCTP')
    assert lvs.served_values(model.HEALTH_MONITOR)['type'][-2:] == (
        'UDP-CONNECT', 'SCTP')
    lvs.check(model.LISTENER, {'protocol': 'UDP'})


def test_a_driver_without_lvs_names_its_reason():
    refusing = capabilities.Capabilities(lvs_refusals={'UDP': 'no nft', 'SCTP': 'no IPVS here'})
    with pytest.raises(errors.ProviderUnsupported) as refused:
        refusing.check(model.POOL, {'protocol': 'SCTP', 'lb_algorithm': 'ROUND_ROBIN'})
    assert refused.value.status == 501
    assert refused.value.message == (
        "Provider 'amphora' does not support a requested option: protocol SCTP is not "
        "supported by this controller: no IPVS here.")


@pytest.mark.parametrize('protocol', sorted(capabilities.LVS_SERVED))
def test_lvs_values_are_declared_beside_served_fields(protocol):
    for key, fields in capabilities.LVS_SERVED[protocol].items():
        object_type = {t.key: t for t in model.OBJECT_TYPES}[key]
        for name, values in fields.items():
            assert name in capabilities.SERVED[key]
            assert set(values) <= set(object_type.field_map[name].choices)
            assert not set(values) & set(capabilities.SERVED[key][name].values)


def test_udp_served_and_sctp_refused_each_by_its_own_reason():
    udp_only = capabilities.Capabilities(lvs_refusals={'SCTP': 'no SCTP here'},
                                         udp_by_nftables=True)
    assert udp_only.served_values(model.LISTENER)['protocol'][-1] == 'UDP'
    assert udp_only.served_values(model.HEALTH_MONITOR)['type'][-1] == 'UDP-CONNECT'
    udp_only.check(model.LISTENER, {'protocol': 'UDP', 'connection_limit': -1})
    udp_only.check(model.POOL, {'protocol': 'UDP', 'lb_algorithm': 'SOURCE_IP_PORT'})
    with pytest.raises(errors.ProviderUnsupported) as refused:
        udp_only.check(model.HEALTH_MONITOR, {'type': 'SCTP'})
    assert refused.value.message.endswith('type SCTP is not supported by this '
                                          'controller: no SCTP here.')


@pytest.mark.parametrize('key,values,current,refused_with', [
    ('pool', {'protocol': 'UDP', 'lb_algorithm': 'LEAST_CONNECTIONS'}, None,
     'lb_algorithm LEAST_CONNECTIONS is not supported by this controller for UDP'),
    # An update: the protocol is the row's.
    ('pool', {'lb_algorithm': 'LEAST_CONNECTIONS'},
     {'protocol': 'UDP', 'lb_algorithm': 'ROUND_ROBIN'}, 'lb_algorithm LEAST_CONNECTIONS'),
    ('listener', {'protocol': 'UDP', 'connection_limit': 10}, None,
     'connection_limit 10 is not supported by this controller for UDP listeners'),
    ('listener', {'connection_limit': 1}, {'protocol': 'UDP', 'connection_limit': -1},
     'connection_limit 1'),
])
def test_what_nftables_cannot_do_of_udp_is_501(key, values, current, refused_with):
    object_type = {t.key: t for t in model.OBJECT_TYPES}[key]
    nft = capabilities.Capabilities(udp_by_nftables=True)
    with pytest.raises(errors.ProviderUnsupported) as refused:
        nft.check(object_type, values, current)
    assert refused_with in refused.value.message
    # The same values on TCP, or with a driver that is not nftables', are served.
    nft.check(object_type, dict(values, protocol='TCP'), current and dict(
        current, protocol='TCP'))
    capabilities.Capabilities().check(object_type, values, current)


def test_udp_on_an_active_standby_load_balancer_is_501():
    nft = capabilities.Capabilities(udp_by_nftables=True)
    nft.check_topology('UDP', 'SINGLE')
    nft.check_topology('TCP', 'ACTIVE_STANDBY')
    capabilities.Capabilities().check_topology('UDP', 'ACTIVE_STANDBY')
    with pytest.raises(errors.ProviderUnsupported) as refused:
        nft.check_topology('UDP', 'ACTIVE_STANDBY')
    assert 'on ACTIVE_STANDBY load balancers' in refused.value.message


def test_other_capabilities_are_within_the_vocabulary():
    assert set(capabilities.L7_LISTENER_PROTOCOLS) <= set(
        capabilities.SERVED['listener']['protocol'].values)
    for protocol, headers in capabilities.INSERT_HEADERS.items():
        assert protocol in octavia.LISTENER_PROTOCOLS
        assert set(headers) <= set(octavia.FORWARDED_HEADERS + octavia.SSL_CLIENT_HEADERS)
