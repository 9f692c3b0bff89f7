"""Accepted means deployable: a property of every object type, over its declared fields.

Hypothesis draws request bodies from the field declarations in controller/model.py
(tests/support/field_values.py: valid values and values just outside them) and sends
them to a running controller. For every request:
- accepted: the load balancer becomes ACTIVE again (the controller applied the new
  configuration after `haproxy -c`; a refusal would have put it in ERROR), the file
  passes `haproxy -c` here too, holds no line the template could not have written, no
  trace of a hostile tail (field_values.MARK), and addresses rendered normalised
  (stored and shown as given, as Octavia's);
- refused: a 4xx Octavia fault; a 400 names a field of the request or is one of
  Octavia's own messages.
Examples are fixed (derandomize) and few, so the test is repeatable and takes well
under a minute here.
"""
import hypothesis
from hypothesis import strategies as st
import pytest

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import render
from tests.support import field_values
from tests.support import haproxy_config
from tests.support import object_tree
from tests.support import octavia_api

EXAMPLES_PER_OBJECT_TYPE = 12
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_OBJECT_TYPE, deadline=None, database=None,
    derandomize=True, suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
# Octavia's messages that name no field (the rule or policy as a whole, a provider
# limit, a reference that does not resolve).
PROVIDER_REFUSAL = "Provider 'amphora' does not support a requested option: "
OCTAVIA_MESSAGES = ('Error parsing L7Rule: ', 'Invalid L7 Policy arguments: ',
                    'Validation failure: ', 'Could not retrieve certificate')
FIELDS_PER_REQUEST = 3


@pytest.fixture(scope='module')
def tree(controller):
    api = octavia_api.OctaviaApi(controller.url)
    lb, _, paths = object_tree.one_of_each(api, '127.0.0.1', 9)
    pool_id = paths[model.POOL].rsplit('/', 1)[1]
    # Put back after each object type's examples, so the next type's changes are
    # rendered (a disabled load balancer has no configuration to check).
    serving = {model.LOADBALANCER: {'admin_state_up': True},
               model.LISTENER: {'admin_state_up': True, 'default_pool_id': pool_id}}
    yield {'api': api, 'lb': lb, 'paths': paths, 'serving': serving,
           'members': '/pools/%s/members' % pool_id, 'pool_id': pool_id}
    api.delete_loadbalancer(lb['id'])


def _bodies(fields, required=()):
    """Bodies with the `required` fields and up to FIELDS_PER_REQUEST of `fields`."""
    @st.composite
    def bodies(draw):
        names = draw(st.lists(st.sampled_from([f.name for f in fields]),
                              min_size=0 if required else 1,
                              max_size=FIELDS_PER_REQUEST, unique=True))
        by_name = {f.name: f for f in fields + list(required)}
        return {name: draw(field_values.values(by_name[name]), label=name)
                for name in [f.name for f in required] + names}
    return bodies()


def _fields(object_type, *access):
    return [f for f in object_type.fields if f.access in access]


def _check_refusal(response, body):
    assert response.status_code in (400, 404, 409, 501), (body, response.status_code,
                                                          response.text)
    fault = response.json()
    assert set(fault) == {'faultcode', 'faultstring', 'debuginfo'}, fault
    if response.status_code == 501:
        # Octavia's ProviderUnsupportedOptionError, a server fault in WSME's words.
        assert fault['faultcode'] == 'Server', fault
        assert fault['faultstring'].startswith(PROVIDER_REFUSAL), (body, fault)
    if response.status_code == 400:
        message = fault['faultstring']
        # As Octavia (WSME), an attribute of a nested object is named by its own
        # name: session_persistence {} -> "field/attribute type".
        nested = any(isinstance(v, dict) for v in body.values())
        assert (any(name in message for name in body)
                or message.startswith(OCTAVIA_MESSAGES)
                or nested and message.startswith('Invalid input for field/attribute ')
                ), (body, message)


def _check_deployed(controller, tree, answer):
    """The amphora's configuration after an accepted request."""
    api, lb = tree['api'], tree['lb']
    api.wait_active(lb['id'])     # fails if the load balancer went ERROR
    path = haproxy_config.amphora_config_path(controller.state_dir, lb['id'])
    with open(path, encoding='utf-8') as config_file:
        config = config_file.read()
    accepted, output = haproxy_config.haproxy_check(path)
    assert accepted, output
    assert haproxy_config.foreign_lines(config) == [], (answer, config)
    assert field_values.MARK not in config, (answer, config)
    return config


@pytest.mark.parametrize('object_type', [
    model.LOADBALANCER, model.LISTENER, model.POOL, model.MEMBER,
    model.HEALTH_MONITOR, model.L7POLICY, model.L7RULE], ids=lambda t: t.key)
def test_updates_are_deployable_or_refused(controller, tree, object_type):
    api, path = tree['api'], tree['paths'][object_type]
    outcomes = []

    @SETTINGS
    @hypothesis.given(body=_bodies(_fields(object_type, model.WRITABLE)))
    def update(body):
        response = api.request('PUT', path, {object_type.key: body})
        outcomes.append(response.status_code)
        if response.status_code != 200:
            _check_refusal(response, body)
            return
        _check_deployed(controller, tree, response.json())

    update()
    print(object_type.key, sorted(outcomes))
    if object_type in tree['serving']:
        api.update_child(tree['lb']['id'], path, object_type.key,
                         **tree['serving'][object_type])
    # The examples reach both sides of the invariant.
    assert 200 in outcomes and set(outcomes) - {200}, outcomes


def test_new_members_are_deployable_or_refused(controller, tree):
    """Members, whose addresses are set at creation: shown as given, rendered
    normalised with IPv6 in brackets, or refused."""
    api = tree['api']
    fields = _fields(model.MEMBER, model.WRITABLE)
    required = [model.MEMBER.field_map['address'],
                model.MEMBER.field_map['protocol_port']]
    outcomes = []

    @SETTINGS
    @hypothesis.given(body=_bodies(fields, required))
    def create(body):
        response = api.request('POST', tree['members'], {'member': body})
        outcomes.append(response.status_code)
        if response.status_code != 201:
            _check_refusal(response, body)
            return
        member = response.json()['member']
        assert member['address'] == body['address']
        config = _check_deployed(controller, tree, member)
        if 'backend %s:' % tree['pool_id'] in config:
            rendered = render.host(field_values.normalised_address(body['address']))
            assert ' %s:%d ' % (rendered, member['protocol_port']) in config, config

    create()
    print('new members', sorted(outcomes))
    assert 201 in outcomes and set(outcomes) - {201}, outcomes
