"""The controller with real HAProxy: real HTTP requests through the VIP."""
import collections
import os
import shutil
import threading

import requests

from tests.support import amphora
from tests.support import controller as controller_support
from tests.support import octavia_api
from tests.support import processes
from tests.support.http_lb import build_http_lb, identity, served_by, wait_for


def amphora_processes(controller, lb_id):
    return processes.with_argument_containing(
        os.path.join(controller.state_dir, 'amphorae', lb_id))


def test_requests_reach_every_member_and_cascade_delete_stops_haproxy(
        api, servers, controller):
    members = servers.start(2)
    lb, _, pool, url = build_http_lb(api, members)

    answers = served_by(url, 20)
    for member in members:
        hits = sum(n for body, n in answers.items() if identity(member) in body)
        assert hits >= 5, answers
    assert sum(answers.values()) == 20

    running = amphora_processes(controller, lb['id'])
    assert running, 'no HAProxy process serves the load balancer'
    response = api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    assert response.status_code == 204
    api.wait_gone(lb['id'])
    assert not [pid for pid in running if processes.alive(pid)]
    assert amphora_processes(controller, lb['id']) == []
    assert api.request('GET', '/pools/' + pool['id']).status_code == 404


def test_a_failed_member_turns_error_and_leaves_rotation(api, servers):
    members = servers.start(2)
    lb, _, pool, url = build_http_lb(api, members)
    member_ids = {m['address']: m['id'] for m in
                  api.request('GET', '/pools/%s/members' % pool['id']).json()['members']}

    def member_status(address):
        return api.request('GET', '/pools/%s/members/%s' % (
            pool['id'], member_ids[address])).json()['member']['operating_status']

    wait_for(lambda: all(member_status(m['address']) == 'ONLINE' for m in members),
             10, 'members never ONLINE')
    servers.stop(members[0]['server_id'])
    # delay 1 s x max_retries_down 1, plus margin.
    wait_for(lambda: member_status(members[0]['address']) == 'ERROR', 6,
             'killed member not ERROR')
    pool_status = api.request('GET', '/pools/' + pool['id']).json()['pool']
    assert pool_status['operating_status'] == 'DEGRADED'
    assert api.loadbalancer(lb['id'])['operating_status'] == 'DEGRADED'
    answers = served_by(url, 10)
    assert list(answers) == ['served-by: test/member1 %s\n' % identity(members[1])]
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_changes_while_pending_get_409(api, haproxy_gate):
    lb = api.create('loadbalancers', 'loadbalancer',
                    vip_subnet_id='35dc0b41-9dc8-5abb-bb66-90b11392828c')
    api.wait_active(lb['id'])
    haproxy_gate.close()
    try:
        listener = api.create('listeners', 'listener', loadbalancer_id=lb['id'],
                              protocol='HTTP', protocol_port=8081)
        assert listener['provisioning_status'] == 'PENDING_CREATE'
        assert api.loadbalancer(lb['id'])['provisioning_status'] == 'PENDING_UPDATE'

        response = api.request('POST', '/pools', {'pool': {
            'listener_id': listener['id'], 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN'}})
        assert response.status_code == 409
        assert response.json() == {
            'faultcode': 'Client', 'debuginfo': None,
            'faultstring': 'Load Balancer %s is immutable and cannot be updated.'
                           % lb['id']}
        response = api.request('PUT', '/loadbalancers/' + lb['id'],
                               {'loadbalancer': {'description': 'upd'}})
        assert response.status_code == 409
        assert response.json()['faultstring'] == (
            'Invalid state PENDING_UPDATE of loadbalancer resource %s' % lb['id'])
        assert api.request('DELETE', '/loadbalancers/' + lb['id']).status_code == 409
    finally:
        haproxy_gate.open()
    api.wait_active(lb['id'])
    assert api.request('GET', '/listeners/' + listener['id']).json()[
        'listener']['provisioning_status'] == 'ACTIVE'
    response = api.request('DELETE', '/loadbalancers/' + lb['id'])
    assert response.status_code == 400
    assert response.json()['faultstring'] == (
        'Validation failure: Cannot delete Load Balancer %s - it has children' % lb['id'])
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])


def test_invalid_input_gets_400_with_octavia_fault_body(api):
    lb = api.create('loadbalancers', 'loadbalancer',
                    vip_subnet_id='35dc0b41-9dc8-5abb-bb66-90b11392828c')
    api.wait_active(lb['id'])
    response = api.request('POST', '/pools', {'pool': {
        'loadbalancer_id': lb['id'], 'protocol': 'HTTP', 'lb_algorithm': 'BOGUS'}})
    assert response.status_code == 400
    assert response.json() == {
        'faultcode': 'Client', 'debuginfo': None,
        'faultstring': "Invalid input for field/attribute lb_algorithm. Value: 'BOGUS'. "
                       "Value should be one of: ROUND_ROBIN, LEAST_CONNECTIONS, "
                       "SOURCE_IP_PORT, SOURCE_IP"}
    # Nothing was created or locked by the refused request.
    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    assert api.request('GET', '/pools').json()['pools'] == []

    missing = '00000000-0000-4000-8000-000000000000'
    response = api.request('GET', '/loadbalancers/' + missing)
    assert response.status_code == 404
    assert response.json()['faultstring'] == 'Load Balancer %s not found.' % missing
    api.request('DELETE', '/loadbalancers/' + lb['id'])
    api.wait_gone(lb['id'])


def test_a_vip_the_controller_does_not_have_gets_octavias_400(api):
    missing = '00000000-0000-4000-8000-000000000000'
    for field, resource in (('vip_subnet_id', 'Subnet'), ('vip_network_id', 'Network'),
                            ('vip_port_id', 'Port')):
        response = api.request('POST', '/loadbalancers',
                               {'loadbalancer': {field: missing}})
        assert response.status_code == 400
        assert response.json() == {'faultcode': 'Client', 'debuginfo': None,
                                   'faultstring': '%s %s not found.' % (resource, missing)}
    assert api.request('GET', '/loadbalancers').json()['loadbalancers'] == []


def test_state_survives_a_controller_restart(servers):
    state_dir = controller_support.short_state_dir()
    first = controller_support.RunningController(state_dir).start()
    try:
        api = octavia_api.OctaviaApi(first.url)
        members = servers.start(1)
        lb, _, _, url = build_http_lb(api, members, health_monitor=False)
        assert identity(members[0]) in requests.get(url, timeout=5).text
    finally:
        first.stop()
    assert processes.with_argument_containing(state_dir + '/amphorae/') == []

    second = controller_support.RunningController(state_dir).start()
    try:
        api = octavia_api.OctaviaApi(second.url)
        api.wait_active(lb['id'])
        assert identity(members[0]) in requests.get(url, timeout=5).text
        api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
        api.wait_gone(lb['id'])
    finally:
        second.stop()
        shutil.rmtree(state_dir, ignore_errors=True)


def test_an_amphora_loads_no_system_ca_store(api, servers, controller):
    # Each start, check and reload of an HAProxy that loads it reads every file of
    # the system's CA directory: most of the time a change takes.
    lb, _, _, url = build_http_lb(api, servers.start(1), health_monitor=False)
    assert requests.get(url, timeout=5).status_code == 200
    ca_files = amphora.AmphoraProbe(controller.state_dir).query(lb['id'],
                                                                'show ssl ca-file')
    assert ca_files is not None, 'the amphora does not answer'
    assert '@system-ca' not in ca_files, ca_files
    api.delete_loadbalancer(lb['id'])


def test_reloads_drop_no_request(api, servers):
    members = servers.start(2)
    lb, _, pool, url = build_http_lb(api, members, health_monitor=False)
    member = api.request('GET', '/pools/%s/members' % pool['id']).json()['members'][0]
    results = collections.Counter()
    stop = threading.Event()

    def keep_requesting():
        session = requests.Session()   # kept-alive connections live across reloads too
        while not stop.is_set():
            try:
                results[requests.get(url, timeout=5).status_code] += 1
                results[session.get(url, timeout=5).status_code] += 1
            except requests.RequestException as error:
                results[type(error).__name__] += 1

    loader = threading.Thread(target=keep_requesting)
    loader.start()
    try:
        for weight in range(2, 12):     # ten changes, ten reloads
            response = api.request('PUT', '/pools/%s/members/%s' % (
                pool['id'], member['id']), {'member': {'weight': weight}})
            assert response.status_code == 200, response.text
            api.wait_active(lb['id'])
    finally:
        stop.set()
        loader.join()
    assert set(results) == {200}, results
    assert results[200] > 50, results
    api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    api.wait_gone(lb['id'])
