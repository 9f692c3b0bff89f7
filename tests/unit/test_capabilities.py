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
    refusing = capabilities.Capabilities(lvs_refusal='no IPVS')
    assert refusing.served_values(model.LISTENER) == {
        'protocol': ('HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'PROMETHEUS'),
        'tls_versions': ('TLSv1.2', 'TLSv1.3')}
    assert refusing.served_values(model.MEMBER) == {}


def test_a_driver_with_lvs_serves_udp_and_sctp_too():
    lvs = capabilities.Capabilities(lvs_refusal=None)
    assert lvs.served_values(model.LISTENER)['protocol'] == (
        'HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'PROMETHEUS', 'UDP', 'SCTP')
    assert lvs.served_values(model.POOL)['protocol'][-2:] == ('UDP', 'SCTP')
    assert lvs.served_values(model.HEALTH_MONITOR)['type'][-2:] == (
        'UDP-CONNECT', 'SCTP')
    lvs.check(model.LISTENER, {'protocol': 'UDP'})


def test_a_driver_without_lvs_names_its_reason():
    refusing = capabilities.Capabilities(lvs_refusal='no IPVS here')
    with pytest.raises(errors.ProviderUnsupported) as refused:
        refusing.check(model.POOL, {'protocol': 'SCTP', 'lb_algorithm': 'ROUND_ROBIN'})
    assert refused.value.status == 501
    assert refused.value.message == (
        "Provider 'amphora' does not support a requested option: protocol SCTP is not "
        "supported by this controller: no IPVS here.")


@pytest.mark.parametrize('key', sorted(capabilities.LVS_SERVED))
def test_lvs_values_are_declared_beside_served_fields(key):
    object_type = {t.key: t for t in model.OBJECT_TYPES}[key]
    for name, values in capabilities.LVS_SERVED[key].items():
        assert name in capabilities.SERVED[key]
        assert set(values) <= set(object_type.field_map[name].choices)
        assert not set(values) & set(capabilities.SERVED[key][name].values)


def test_other_capabilities_are_within_the_vocabulary():
    assert set(capabilities.L7_LISTENER_PROTOCOLS) <= set(
        capabilities.SERVED['listener']['protocol'].values)
    for protocol, headers in capabilities.INSERT_HEADERS.items():
        assert protocol in octavia.LISTENER_PROTOCOLS
        assert set(headers) <= set(octavia.FORWARDED_HEADERS + octavia.SSL_CLIENT_HEADERS)
