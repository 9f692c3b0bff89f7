"""The amphora provider's capabilities are a subset of Octavia's vocabulary, declared
for fields and object types that exist: a value served but not accepted, or a
misspelt field, would be a check that never runs."""
import pytest

from heat_lbaas import octavia_vocabulary as octavia
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
    assert capabilities.served_values(model.LISTENER) == {
        'protocol': ('HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'PROMETHEUS'),
        'tls_versions': ('TLSv1.2', 'TLSv1.3')}
    assert capabilities.served_values(model.MEMBER) == {}


def test_other_capabilities_are_within_the_vocabulary():
    assert set(capabilities.L7_LISTENER_PROTOCOLS) <= set(
        capabilities.SERVED['listener']['protocol'].values)
    for protocol, headers in capabilities.INSERT_HEADERS.items():
        assert protocol in octavia.LISTENER_PROTOCOLS
        assert set(headers) <= set(octavia.FORWARDED_HEADERS + octavia.SSL_CLIENT_HEADERS)
