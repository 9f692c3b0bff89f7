"""Resource limits of the controller: request body size (413), objects per
parent and tags ([limits]), and Octavia's quota API with its 403 when a quota is
met, driven both over plain HTTP and through openstacksdk's load_balancer proxy.
The controller runs in this process with the noop amphora driver (its WSGI stack, the
size limiter included, is the real one)."""
import os
import shutil

import openstack
import pytest

from tests.support import controller as controller_support
from tests.support import inprocess_controller
from tests.support import octavia_api

BODY_LIMIT = 4096
CONFIG = '''
[oslo_middleware]
max_request_body_size = %d
[limits]
members_per_pool = 2
listeners_per_loadbalancer = 1
tags_per_object = 3
[quotas]
default_pool_quota = 7
''' % BODY_LIMIT


@pytest.fixture(scope='module')
def limited_controller():
    directory = controller_support.short_state_dir()
    running = inprocess_controller.InProcessController(
        os.path.join(directory, 'state'), extra_config=CONFIG)
    running.start()
    try:
        yield running
    finally:
        running.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def api(limited_controller):
    return octavia_api.OctaviaApi(limited_controller.url)


@pytest.fixture
def project_api(limited_controller):
    """Requests of one project of its own (X-Project-Id), so quotas start at zero."""
    api = octavia_api.OctaviaApi(limited_controller.url)
    api.project_id = 'project-%s' % os.urandom(4).hex()
    api.http.headers['X-Project-Id'] = api.project_id
    return api


@pytest.fixture
def sdk(limited_controller):
    return openstack.connect(auth_type='none',
                             auth={'endpoint': limited_controller.url},
                             load_balancer_endpoint_override=limited_controller.url)


def lb_with_pool(api):
    lb = api.new_loadbalancer(name='limits')
    pool = api.create_child(lb['id'], 'pools', 'pool', loadbalancer_id=lb['id'],
                            protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    return lb, pool


def test_a_body_over_the_size_limit_gets_413_and_nothing_is_created(api):
    before = len(api.request('GET', '/loadbalancers').json()['loadbalancers'])
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': octavia_api.VIP_SUBNET_ID, 'description': 'x' * BODY_LIMIT}})
    assert response.status_code == 413
    assert 'Request is too large' in response.text
    assert len(api.request('GET', '/loadbalancers').json()['loadbalancers']) == before
    # A body just under the limit is an ordinary request.
    response = api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': octavia_api.VIP_SUBNET_ID, 'description': 'x' * 200}})
    assert response.status_code == 201
    api.wait_active(response.json()['loadbalancer']['id'])
    api.delete_loadbalancer(response.json()['loadbalancer']['id'])


def test_objects_per_parent_are_bounded_with_a_409(api):
    lb, pool = lb_with_pool(api)
    for port in (8001, 8002):
        api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                         address='127.0.0.9', protocol_port=port)
    response = api.request('POST', '/pools/%s/members' % pool['id'], {'member': {
        'address': '127.0.0.9', 'protocol_port': 8003}})
    assert response.status_code == 409
    assert response.json() == {'faultcode': 'Client', 'debuginfo': None,
                               'faultstring': 'Too many members on Pool %s' % pool['id']}
    # The refused create locked nothing: the load balancer takes the next change.
    assert api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'
    api.create_child(lb['id'], 'listeners', 'listener', loadbalancer_id=lb['id'],
                     protocol='HTTP', protocol_port=8080)
    response = api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb['id'], 'protocol': 'TCP', 'protocol_port': 9}})
    assert response.status_code == 409
    assert response.json()['faultstring'] == \
        'Too many listeners on Load Balancer %s' % lb['id']
    api.delete_loadbalancer(lb['id'])


def test_tags_are_bounded_in_number_and_length(api):
    lb = api.new_loadbalancer(name='tags', tags=['a', 'b', 'c'])
    path = '/loadbalancers/' + lb['id']
    response = api.request('PUT', path, {'loadbalancer': {'tags': list('abcd')}})
    assert response.status_code == 400
    assert 'At most 3 tags are allowed' in response.json()['faultstring']
    response = api.request('PUT', path, {'loadbalancer': {'tags': ['t' * 256]}})
    assert response.status_code == 400
    assert 'maximum character requirement of 255' in response.json()['faultstring']
    assert api.request('PUT', path, {'loadbalancer': {'tags': ['t' * 255]}}
                       ).status_code == 200
    api.wait_active(lb['id'])
    api.delete_loadbalancer(lb['id'])


def test_the_quota_api_answers_as_octavia(api):
    project = 'quota-%s' % os.urandom(4).hex()
    defaults = api.request('GET', '/quotas/defaults')
    assert defaults.status_code == 200
    assert defaults.json()['quota'] == {
        'load_balancer': -1, 'loadbalancer': -1, 'listener': -1, 'pool': 7,
        'health_monitor': -1, 'healthmonitor': -1, 'member': -1, 'l7policy': -1,
        'l7rule': -1}
    shown = api.request('GET', '/quotas/' + project).json()['quota']
    assert (shown['project_id'], shown['pool'], shown['member']) == (project, 7, -1)
    assert project not in [q['project_id'] for q in
                           api.request('GET', '/quotas').json()['quotas']]

    response = api.request('PUT', '/quotas/' + project,
                           {'quota': {'loadbalancer': 3, 'member': 50}})
    assert response.status_code == 202
    assert (response.json()['quota']['load_balancer'],
            response.json()['quota']['member'], response.json()['quota']['pool']) \
        == (3, 50, 7)
    listed, = [q for q in api.request('GET', '/quotas').json()['quotas']
               if q['project_id'] == project]
    # The list shows what the project set itself; null is the default.
    assert (listed['load_balancer'], listed['pool']) == (3, None)

    for bad in ({'quota': {'member': -2}}, {'quota': {'bogus': 1}},
                {'quota': {'member': 'many'}}, {'nothing': 1}):
        assert api.request('PUT', '/quotas/' + project, bad).status_code == 400, bad

    assert api.request('DELETE', '/quotas/' + project).status_code == 202
    assert api.request('GET', '/quotas/' + project).json()['quota'][
        'load_balancer'] == -1


def test_a_met_quota_refuses_the_create_with_octavias_403(api, project_api):
    response = api.request('PUT', '/quotas/' + project_api.project_id,
                           {'quota': {'load_balancer': 1, 'member': 1}})
    assert response.status_code == 202
    lb, pool = lb_with_pool(project_api)
    assert lb['project_id'] == project_api.project_id
    response = project_api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': octavia_api.VIP_SUBNET_ID}})
    assert response.status_code == 403
    assert response.json() == {
        'faultcode': 'Client', 'debuginfo': None,
        'faultstring': 'Quota has been met for resources: Load Balancer'}
    project_api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                             address='127.0.0.9', protocol_port=8001)
    response = project_api.request('POST', '/pools/%s/members' % pool['id'], {
        'member': {'address': '127.0.0.9', 'protocol_port': 8002}})
    assert response.status_code == 403
    assert response.json()['faultstring'] == \
        'Quota has been met for resources: Member'
    assert project_api.loadbalancer(lb['id'])['provisioning_status'] == 'ACTIVE'

    # Raising the quota (or deleting objects) lets the same request through.
    api.request('PUT', '/quotas/' + project_api.project_id, {'quota': {'member': 2}})
    project_api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                             address='127.0.0.9', protocol_port=8002)
    project_api.delete_loadbalancer(lb['id'])
    project_api.wait_gone(lb['id'])
    second = project_api.new_loadbalancer(name='after-delete')
    project_api.delete_loadbalancer(second['id'])


def test_openstacksdk_reads_and_sets_quotas(sdk):
    project = 'sdk-%s' % os.urandom(4).hex()
    proxy = sdk.load_balancer
    assert proxy.get_quota_default().pools == 7
    assert proxy.get_quota(project).load_balancers == -1
    updated = proxy.update_quota(project, load_balancers=4, members=9)
    assert (updated.load_balancers, updated.members, updated.pools) == (4, 9, 7)
    assert proxy.get_quota(project).members == 9
    assert project in [q.project_id for q in proxy.quotas()]
    proxy.delete_quota(project)
    assert proxy.get_quota(project).members == -1
