"""Octavia's vocabulary has one source, heat_lbaas/octavia_vocabulary.py: the
controller's field declarations and the resources' property constraints are built
from it (no enumeration is written out a second time), it follows octavia-lib where
octavia-lib has the values, and it imports neither the controller nor Heat."""
import json
import subprocess
import sys

import pytest
from heat.engine import constraints
from octavia_lib.common import constants as lib

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas import resources
from heat_lbaas.controller import model

# Every enumeration the vocabulary declares (tuples, and the values of its tables).
VOCABULARY_ENUMERATIONS = (
    [value for value in vars(octavia).values() if isinstance(value, tuple)]
    + list(octavia.COMPARE_TYPES_BY_RULE_TYPE.values()))
# The one enumeration of a resource that is not Octavia's: Heat's spellings of a
# boolean for insert_headers values (Octavia takes the strings "true"/"false").
RESOURCE_ONLY = [('true', 'false', 'True', 'False')]


def _property_schemas(schemas, path):
    for name, schema in (schemas or {}).items():
        yield '%s.%s' % (path, name), schema
        nested = schema.schema
        if nested is not None:
            # A LIST's item schema is keyed by '*' (Heat's AnyIndexDict) or by index.
            items = nested if hasattr(nested, 'items') else {}
            yield from _property_schemas(items, '%s.%s' % (path, name))


def _resource_schemas():
    for type_name, resource_class in resources.resource_mapping().items():
        yield from _property_schemas(resource_class.properties_schema, type_name)


def _constraints_of(kind):
    return [(where, constraint) for where, schema in _resource_schemas()
            for constraint in schema.constraints if isinstance(constraint, kind)]


def test_the_walk_reaches_nested_schemas():
    """The checks below would pass vacuously if nested schemas were missed."""
    places = [where for where, _ in _constraints_of(constraints.AllowedValues)]
    assert 'LBaaS::Listener.protocol' in places
    assert 'LBaaS::Listener.tls_versions.*' in places
    assert any(p.startswith('LBaaS::LoadBalancerTree.listeners.') for p in places)


def test_every_allowed_values_of_the_resources_is_the_vocabulary():
    allowed = _constraints_of(constraints.AllowedValues)
    not_vocabulary = [(where, c.allowed) for where, c in allowed
                      if c.allowed not in VOCABULARY_ENUMERATIONS + RESOURCE_ONLY]
    assert not not_vocabulary


@pytest.mark.parametrize('place,enumeration', [
    ('LBaaS::Listener.protocol', octavia.LISTENER_PROTOCOLS),
    ('LBaaS::Pool.protocol', octavia.POOL_PROTOCOLS),
    ('LBaaS::Pool.lb_algorithm', octavia.LB_ALGORITHMS),
    ('LBaaS::Pool.session_persistence.type', octavia.SESSION_PERSISTENCE_TYPES),
    ('LBaaS::HealthMonitor.type', octavia.HEALTH_MONITOR_TYPES),
    ('LBaaS::HealthMonitor.http_method', octavia.HTTP_METHODS),
    ('LBaaS::L7Policy.action', octavia.L7POLICY_ACTIONS),
    ('LBaaS::L7Rule.type', octavia.L7RULE_TYPES),
    ('LBaaS::L7Rule.compare_type', octavia.L7RULE_COMPARE_TYPES),
    ('LBaaS::Listener.tls_versions.*', octavia.TLS_VERSIONS),
    ('LBaaS::Pool.alpn_protocols.*', octavia.ALPN_PROTOCOLS),
])
def test_resource_and_controller_allow_the_same_values(place, enumeration):
    by_place = {where: c.allowed for where, c in _constraints_of(constraints.AllowedValues)}
    assert by_place[place] == tuple(enumeration)


def test_every_choice_of_the_controller_is_the_vocabulary():
    choices = [(t.key, f.name, f.choices) for t in model.OBJECT_TYPES for f in t.fields
               if f.choices]
    assert choices, 'no field declares choices'
    assert not [c for c in choices if c[2] not in VOCABULARY_ENUMERATIONS]


def test_domain_name_pattern_is_the_vocabulary_on_both_sides():
    patterns = {where: c.pattern for where, c in _constraints_of(constraints.AllowedPattern)}
    assert patterns['LBaaS::HealthMonitor.domain_name'] == octavia.DOMAIN_NAME_PATTERN
    assert model.HEALTH_MONITOR.field_map['domain_name'].pattern == (
        octavia.DOMAIN_NAME_PATTERN)


def test_largest_timeout_is_the_vocabulary_on_both_sides():
    ranges = {where: c.max for where, c in _constraints_of(constraints.Range)}
    assert ranges['LBaaS::Listener.timeout_client_data'] == octavia.MAX_TIMEOUT_MS
    assert model.LISTENER.field_map['timeout_client_data'].maximum == (
        octavia.MAX_TIMEOUT_MS)


@pytest.mark.parametrize('ours,octavia_lib', [
    (octavia.LISTENER_PROTOCOLS, lib.LISTENER_SUPPORTED_PROTOCOLS),
    (octavia.POOL_PROTOCOLS, lib.POOL_SUPPORTED_PROTOCOLS),
    (octavia.LB_ALGORITHMS, lib.SUPPORTED_LB_ALGORITHMS),
    (octavia.SESSION_PERSISTENCE_TYPES, lib.SUPPORTED_SP_TYPES),
    (octavia.HEALTH_MONITOR_TYPES, lib.SUPPORTED_HEALTH_MONITOR_TYPES),
    (octavia.HTTP_METHODS, lib.SUPPORTED_HEALTH_MONITOR_HTTP_METHODS),
    (octavia.L7POLICY_ACTIONS, lib.SUPPORTED_L7POLICY_ACTIONS),
    (octavia.L7RULE_TYPES, lib.SUPPORTED_L7RULE_TYPES),
    (octavia.L7RULE_COMPARE_TYPES, lib.SUPPORTED_L7RULE_COMPARE_TYPES),
    (octavia.CLIENT_AUTH_MODES, lib.SUPPORTED_CLIENT_AUTH_MODES),
    (octavia.STATS_KEYS, (lib.ACTIVE_CONNECTIONS, lib.BYTES_IN, lib.BYTES_OUT,
                          lib.REQUEST_ERRORS, lib.TOTAL_CONNECTIONS)),
])
def test_enumerations_hold_what_octavia_lib_holds(ours, octavia_lib):
    """A value octavia-lib gains shows up here: add it to the vocabulary (in the
    order Octavia's messages list it), and both sides accept it."""
    assert len(ours) == len(set(ours))
    assert set(ours) == set(octavia_lib)


def test_compare_types_are_declared_for_every_rule_type():
    table = octavia.COMPARE_TYPES_BY_RULE_TYPE
    assert set(table) == set(octavia.L7RULE_TYPES)
    assert all(set(allowed) <= set(octavia.L7RULE_COMPARE_TYPES)
               for allowed in table.values())


def test_member_identity_is_address_and_port():
    member = {'address': '192.0.2.7', 'protocol_port': 8080, 'weight': 3}
    assert octavia.member_identity(member) == ('192.0.2.7', 8080)
    assert octavia.member_identity_text(octavia.member_identity(member)) == (
        '192.0.2.7:8080')
    # Stored identities come back from JSON as lists.
    assert octavia.member_identity_text(['192.0.2.7', 8080]) == '192.0.2.7:8080'


IMPORTED_BY_THE_VOCABULARY = '''
import json, sys
import heat_lbaas.octavia_vocabulary
print(json.dumps(sorted(sys.modules)))
'''


def test_vocabulary_imports_neither_controller_nor_devcloud_nor_heat():
    result = subprocess.run([sys.executable, '-c', IMPORTED_BY_THE_VOCABULARY],
                            capture_output=True, text=True, timeout=60, check=True)
    modules = json.loads(result.stdout)
    assert 'octavia_lib.common.constants' in modules
    assert not [m for m in modules if m.startswith(
        ('heat_lbaas.controller', 'heat_lbaas.devcloud', 'heat_lbaas.resources',
         'heat.', 'heat_lbaas.octavia_vocabulary.'))]
    assert 'heat' not in modules


def test_every_listener_protocol_has_a_transport_protocol():
    # Octavia's map also names the pool-only PROXY protocols.
    assert set(octavia.LISTENER_PROTOCOLS) <= set(octavia.TRANSPORT_PROTOCOLS)
    assert set(octavia.TRANSPORT_PROTOCOLS.values()) == {'TCP', 'UDP', 'SCTP'}
