"""Accepted means deployable, for UDP listeners served by nftables (the analogue of
test_accepted_means_deployable.py, whose controller runs loopback amphorae and so
refuses UDP): Hypothesis draws update bodies of a UDP listener, pool, member and
health monitor, and new members, from the field declarations, and sends them to a
namespace-mode controller. For every request:
- accepted: the object ends ACTIVE (the amphora's namespace took the ruleset with
  `nft -f`; a refusal would have put it in ERROR), the ruleset kept with the amphora
  passes `nft -c` here too and holds no trace of a hostile tail (field_values.MARK);
- refused: a 4xx Octavia fault or the provider's 501.
"""
import subprocess

import hypothesis
from hypothesis import strategies as st
import pytest

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import udp_dataplane
from tests.support import datagram_lb
from tests.support import field_values
from tests.support import namespaces
from tests.support import udp_controller

pytestmark = namespaces.needs_namespaces
EXAMPLES_PER_OBJECT_TYPE = 12
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_OBJECT_TYPE, deadline=None, database=None,
    derandomize=True, suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
PROVIDER_REFUSAL = "Provider 'amphora' does not support a requested option: "
FIELDS_PER_REQUEST = 3
VIP_PORT = 5353
# Whether the member of the tree is in the ruleset's map.
IN_ROTATION, OUT_OF_ROTATION = object(), object()


@pytest.fixture(scope='module')
def own():
    with udp_controller.UdpController() as controller:
        yield controller


@pytest.fixture(scope='module')
def tree(own):
    api = own.api
    echo = own.echo('m0')
    lb, listener, pool = datagram_lb.build_udp_lb(
        api, [echo], VIP_PORT, algorithm='SOURCE_IP',
        persistence={'type': 'SOURCE_IP', 'persistence_timeout': 60},
        monitor={'delay': 3, 'timeout': 1, 'max_retries': 2})
    member = api.request('GET', '/pools/%s/members' % pool['id']).json()['members'][0]
    monitor_id = api.request('GET', '/pools/' + pool['id']).json()['pool'][
        'healthmonitor_id']
    paths = {model.LISTENER: '/listeners/' + listener['id'],
             model.POOL: '/pools/' + pool['id'],
             model.MEMBER: '/pools/%s/members/%s' % (pool['id'], member['id']),
             model.HEALTH_MONITOR: '/healthmonitors/' + monitor_id}
    yield {'api': api, 'lb': lb, 'paths': paths,
           'member_target': '%s . %d' % (echo.address, echo.port),
           'members': '/pools/%s/members' % pool['id']}
    api.delete_loadbalancer(lb['id'])


def _bodies(fields, required=()):
    @st.composite
    def bodies(draw):
        names = draw(st.lists(st.sampled_from([f.name for f in fields]),
                              min_size=0 if required else 1,
                              max_size=FIELDS_PER_REQUEST, unique=True))
        by_name = {f.name: f for f in fields + list(required)}
        return {name: draw(field_values.values(by_name[name]), label=name)
                for name in [f.name for f in required] + names}
    return bodies()


def _check_refusal(response, body):
    assert response.status_code in (400, 404, 409, 501), (body, response.status_code,
                                                          response.text)
    fault = response.json()
    assert set(fault) == {'faultcode', 'faultstring', 'debuginfo'}, fault
    if response.status_code == 501:
        assert fault['faultstring'].startswith(PROVIDER_REFUSAL), (body, fault)


def _check_deployed(own, tree, path, key):
    api, lb = tree['api'], tree['lb']
    api.wait_active(lb['id'])
    row = api.request('GET', path).json()[key]
    # A ruleset nft refused would have left the changed object in ERROR.
    assert row['provisioning_status'] == 'ACTIVE', row
    ruleset = own.kept_ruleset(lb['id'])
    assert udp_dataplane.check(ruleset) is None, ruleset
    assert field_values.MARK not in ruleset, ruleset
    return ruleset


@pytest.mark.parametrize('object_type', [
    model.LISTENER, model.POOL, model.MEMBER, model.HEALTH_MONITOR],
    ids=lambda t: t.key)
def test_udp_updates_are_deployable_or_refused(own, tree, object_type):
    api, path = tree['api'], tree['paths'][object_type]
    outcomes = []

    @SETTINGS
    @hypothesis.given(body=_bodies([f for f in object_type.fields
                                    if f.access == model.WRITABLE]))
    def update(body):
        response = api.request('PUT', path, {object_type.key: body})
        outcomes.append(response.status_code)
        if response.status_code != 200:
            _check_refusal(response, body)
            return
        _check_deployed(own, tree, path, object_type.key)

    update()
    print(object_type.key, sorted(outcomes))
    assert 200 in outcomes and set(outcomes) - {200}, outcomes


def test_new_udp_members_are_deployable_or_refused(own, tree):
    api = tree['api']
    fields = [f for f in model.MEMBER.fields if f.access == model.WRITABLE]
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
        ruleset = _check_deployed(own, tree, '%s/%s' % (tree['members'], member['id']),
                                  'member')
        address = field_values.normalised_address(body['address'])
        if ':' not in address and member['admin_state_up'] and member['weight']:
            # Rendered normalised (a member checked out of rotation aside).
            assert ('%s . %d' % (address, member['protocol_port']) in ruleset or
                    'counter drop' in ruleset), ruleset

    create()
    print('new members', sorted(outcomes))
    assert 201 in outcomes and set(outcomes) - {201}, outcomes
    # And nft in the amphora's namespace serves what was kept.
    result = subprocess.run(['ip', 'netns', 'exec', own.namespace_of(tree['lb']['id']),
                             'nft', 'list', 'table', 'ip', 'heat_lbaas'],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize('object_type,body,outcome', [
    (model.LISTENER, {'allowed_cidrs': ['192.0.2.7/24', '10.0.0.0/8']},
     'ip saddr != { 10.0.0.0/8, 192.0.2.0/24 }'),
    (model.LISTENER, {'allowed_cidrs': None}, 'dnat ip addr . port to'),
    (model.LISTENER, {'connection_limit': 5}, 501),
    (model.POOL, {'lb_algorithm': 'SOURCE_IP_PORT', 'session_persistence': None},
     'jhash ip saddr . udp sport'),
    (model.POOL, {'lb_algorithm': 'LEAST_CONNECTIONS'}, 501),
    (model.POOL, {'lb_algorithm': 'ROUND_ROBIN'}, 'numgen inc'),
    (model.POOL, {'session_persistence': {'type': 'SOURCE_IP',
                                          'persistence_granularity': 'ffff:fff0::'}},
     'jhash ip saddr & 255.255.255.240'),
    (model.POOL, {'session_persistence': {'type': 'SOURCE_IP',
                                          'persistence_granularity': '255.255.0.0',
                                          'persistence_timeout': 0}},
     'jhash ip saddr & 255.255.0.0'),
    (model.MEMBER, {'weight': 0}, OUT_OF_ROTATION),
    (model.MEMBER, {'weight': 256}, IN_ROTATION),
])
def test_udp_options_are_rendered_or_501(own, tree, object_type, body, outcome):
    """The fields nftables reads, at the values that matter."""
    api, path = tree['api'], tree['paths'][object_type]
    # Whatever the examples above left: the objects enabled, the member checked
    # where it answers.
    body = dict(body, admin_state_up=True, **(
        {'monitor_address': None, 'monitor_port': None}
        if object_type is model.MEMBER else {}))
    response = api.request('PUT', path, {object_type.key: body})
    if outcome == 501:
        assert response.status_code == 501, response.text
        _check_refusal(response, body)
        return
    assert response.status_code == 200, response.text
    ruleset = _check_deployed(own, tree, path, object_type.key)
    if outcome in (IN_ROTATION, OUT_OF_ROTATION):
        assert (tree['member_target'] in ruleset) == (outcome is IN_ROTATION), ruleset
    else:
        assert outcome in ruleset, ruleset
