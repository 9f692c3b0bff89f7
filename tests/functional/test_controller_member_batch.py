"""PUT /v2/lbaas/pools/{pool_id}/members: a pool's members set in one change,
applied as one HAProxy reload, with real HTTP through the VIP afterwards."""
import pytest

from tests.support.http_lb import build_http_lb
from tests.support.http_lb import identity
from tests.support.http_lb import served_by
from tests.support import amphora


@pytest.fixture
def probe(controller):
    return amphora.AmphoraProbe(controller.state_dir)


def member_body(server, **fields):
    return dict(address=server['address'], protocol_port=server['port'], **fields)


def members_by_address(api, pool_id):
    listed = api.request('GET', '/pools/%s/members' % pool_id).json()['members']
    return {(m['address'], m['protocol_port']): m for m in listed}


def key(server):
    return server['address'], server['port']


def test_batch_adds_three_removes_two_in_one_reload(api, servers, probe, haproxy_gate):
    initial = servers.start(3, name='old')
    added = servers.start(3, name='new')
    kept = initial[2]
    lb, _, pool, url = build_http_lb(api, initial, health_monitor=False)
    reloads_before = probe.reload_count(lb['id'])
    assert reloads_before is not None

    haproxy_gate.close()    # holds the worker so the pending states can be read
    try:
        response = api.request('PUT', '/pools/%s/members' % pool['id'], {'members': [
            member_body(kept, weight=3, name='kept'),
            *(member_body(server) for server in added)]})
        assert response.status_code == 202, response.text
        assert response.content == b''
        assert api.loadbalancer(lb['id'])['provisioning_status'] == 'PENDING_UPDATE'
        pool_now = api.request('GET', '/pools/' + pool['id']).json()['pool']
        assert pool_now['provisioning_status'] == 'PENDING_UPDATE'
        statuses = {k: m['provisioning_status']
                    for k, m in members_by_address(api, pool['id']).items()}
        assert statuses == {key(initial[0]): 'PENDING_DELETE',
                            key(initial[1]): 'PENDING_DELETE',
                            key(kept): 'PENDING_UPDATE',
                            **{key(s): 'PENDING_CREATE' for s in added}}
    finally:
        haproxy_gate.open()
    api.wait_active(lb['id'])

    assert probe.reload_count(lb['id']) == reloads_before + 1
    members = members_by_address(api, pool['id'])
    assert set(members) == {key(kept), *(key(s) for s in added)}
    assert {m['provisioning_status'] for m in members.values()} == {'ACTIVE'}
    assert members[key(kept)]['weight'] == 3
    assert members[key(kept)]['name'] == 'kept'

    answers = served_by(url, 60)
    reached = {identity(s) for s in initial + added
               if any(identity(s) in body for body in answers)}
    assert reached == {identity(kept), *(identity(s) for s in added)}, answers
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_additive_only_keeps_members_not_named(api, servers, probe):
    initial = servers.start(1, name='old')
    added = servers.start(1, name='new')
    lb, _, pool, url = build_http_lb(api, initial, health_monitor=False)
    reloads_before = probe.reload_count(lb['id'])

    response = api.request('PUT', '/pools/%s/members?additive_only=true' % pool['id'],
                           {'members': [member_body(added[0])]})
    assert response.status_code == 202, response.text
    api.wait_active(lb['id'])

    assert set(members_by_address(api, pool['id'])) == {key(initial[0]), key(added[0])}
    assert probe.reload_count(lb['id']) == reloads_before + 1
    answers = served_by(url, 20)
    assert all(any(identity(s) in body for body in answers) for s in initial + added)
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_a_bad_or_duplicate_member_refuses_the_whole_batch(api, servers, probe,
                                                           haproxy_gate):
    initial = servers.start(1, name='old')
    lb, _, pool, _ = build_http_lb(api, initial, health_monitor=False)
    before = members_by_address(api, pool['id'])
    reloads_before = probe.reload_count(lb['id'])
    path = '/pools/%s/members' % pool['id']
    good = {'address': '127.0.0.1', 'protocol_port': 9}

    response = api.request('PUT', path, {'members': [
        good, {'address': '127.0.0.1', 'protocol_port': 0}]})
    assert response.status_code == 400
    assert response.json()['faultstring'] == (
        "Invalid input for field/attribute protocol_port. Value: '0'. "
        "Value should be greater or equal to 1")

    response = api.request('PUT', path, {'members': [good, dict(good, weight=2)]})
    assert response.status_code == 400
    assert response.json()['faultstring'] == (
        'Validation failure: Member with address 127.0.0.1 and protocol_port 9 '
        'appears more than once in the request.')

    response = api.request('PUT', path, {'member': [good]})
    assert response.status_code == 400

    missing = '00000000-0000-4000-8000-000000000000'
    response = api.request('PUT', '/pools/%s/members' % missing, {'members': [good]})
    assert response.status_code == 404
    assert response.json()['faultstring'] == 'Pool %s not found.' % missing

    # Nothing changed or was locked by the refused requests.
    assert members_by_address(api, pool['id']) == before
    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    assert probe.reload_count(lb['id']) == reloads_before

    haproxy_gate.close()
    try:
        assert api.request('PUT', path, {'members': [good]}).status_code == 202
        response = api.request('PUT', path, {'members': []})
        assert response.status_code == 409
        assert 'is immutable and cannot be updated' in response.json()['faultstring']
    finally:
        haproxy_gate.open()
    api.wait_active(lb['id'])
    assert set(members_by_address(api, pool['id'])) == {('127.0.0.1', 9)}
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])
