"""The amphora provider's capabilities are a subset of Octavia's vocabulary, declared
for fields and object types that exist: a value served but not accepted, or a
misspelt field, would be a check that never runs."""
import pytest

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.api import capabilities

SERVED_FIELDS = [(key, field, values)
                 for key, fields in capabilities.SERVED_VALUES.items()
                 for field, values in fields.items()]


@pytest.mark.parametrize('key,field,values', SERVED_FIELDS,
                         ids=['%s.%s' % (k, f) for k, f, _ in SERVED_FIELDS])
def test_served_values_are_values_octavia_accepts(key, field, values):
    object_type = {t.key: t for t in model.OBJECT_TYPES}[key]
    declared = object_type.field_map[field]
    assert declared.choices, '%s.%s declares no choices' % (key, field)
    assert set(values) <= set(declared.choices)


def test_served_values_are_looked_up_by_object_type():
    assert capabilities.served_values(model.LISTENER) == {
        'protocol': ('HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS')}
    assert capabilities.served_values(model.MEMBER) == {}


def test_other_capabilities_are_within_the_vocabulary():
    assert set(capabilities.L7RULE_TYPES) <= set(octavia.L7RULE_TYPES)
    assert set(capabilities.TLS_VERSIONS) <= set(octavia.TLS_VERSIONS)
    assert set(capabilities.L7_LISTENER_PROTOCOLS) <= set(
        capabilities.SERVED_VALUES['listener']['protocol'])
    for protocol, headers in capabilities.INSERT_HEADERS.items():
        assert protocol in octavia.LISTENER_PROTOCOLS
        assert set(headers) <= set(octavia.FORWARDED_HEADERS + octavia.SSL_CLIENT_HEADERS)
