"""Octavia's default RBAC on the controller's API, with real requests carrying the
identity headers keystonemiddleware's auth_token sets (X-Project-Id, X-Roles, ...),
against a controller run with [api_settings] auth_strategy = testing, which trusts
them as the application behind auth_token does.

Octavia's answers: a forbidden action is 403 with Octavia's PolicyForbidden body,
another project's object is that same 403 (Octavia authorizes against the object's
project after finding it), an object that does not exist is 404 for everyone.
"""
import os

import pytest

from tests.support import controller as controller_support
from tests.support import identities

FORBIDDEN = {'faultcode': 'Client',
             'faultstring': 'Policy does not allow this request to be performed.',
             'debuginfo': None}
TESTING = '[api_settings]\nauth_strategy = testing\n'


@pytest.fixture(scope='module')
def rbac_controller(controller_dir):
    running = controller_support.RunningController(
        os.path.join(controller_dir, 'rbac'), extra_config=TESTING)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope='module')
def admin(rbac_controller):
    return identities.caller(rbac_controller.url, 'project-admin', 'admin', 'member',
                             'reader')


@pytest.fixture(scope='module')
def member_a(rbac_controller):
    return identities.caller(rbac_controller.url, 'project-a', 'member', 'reader')


@pytest.fixture(scope='module')
def reader_a(rbac_controller):
    return identities.caller(rbac_controller.url, 'project-a', 'reader')


@pytest.fixture(scope='module')
def member_b(rbac_controller):
    return identities.caller(rbac_controller.url, 'project-b', 'member', 'reader')


@pytest.fixture(scope='module')
def lb_a(member_a, admin):
    lb = member_a.new_loadbalancer(name='lb-of-a')
    yield lb
    admin.delete_loadbalancer(lb['id'])


@pytest.fixture(scope='module')
def lb_b(member_b, admin):
    lb = member_b.new_loadbalancer(name='lb-of-b')
    yield lb
    admin.delete_loadbalancer(lb['id'])


def assert_forbidden(response):
    assert response.status_code == 403, response.text
    assert response.json() == FORBIDDEN


def listed_ids(api, path, query=''):
    """The ids listed at `path` (loadbalancers, pools/{id}/members, ...)."""
    response = api.request('GET', '/%s%s' % (path, query))
    assert response.status_code == 200, response.text
    return {item['id'] for item in response.json()[path.rsplit('/', 1)[-1]]}


def test_created_objects_belong_to_the_callers_project(lb_a, lb_b):
    assert lb_a['project_id'] == 'project-a'
    assert lb_b['project_id'] == 'project-b'


def test_reader_lists_and_shows_but_cannot_change(reader_a, lb_a):
    assert lb_a['id'] in listed_ids(reader_a, 'loadbalancers')
    for path in ('', '/status', '/stats'):
        response = reader_a.request('GET', '/loadbalancers/%s%s' % (lb_a['id'], path))
        assert response.status_code == 200, response.text
    assert_forbidden(reader_a.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': lb_a['vip_subnet_id']}}))
    assert_forbidden(reader_a.request('PUT', '/loadbalancers/' + lb_a['id'],
                                      {'loadbalancer': {'name': 'renamed'}}))
    assert_forbidden(reader_a.request('DELETE', '/loadbalancers/' + lb_a['id']))
    assert_forbidden(reader_a.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb_a['id'], 'protocol': 'HTTP', 'protocol_port': 80}}))
    assert reader_a.loadbalancer(lb_a['id'])['name'] == 'lb-of-a'


def test_member_changes_its_projects_objects(member_a, reader_a, lb_a):
    lb_id = lb_a['id']
    member_a.update_child(lb_id, '/loadbalancers/' + lb_id, 'loadbalancer',
                          description='changed by a member')
    listener = member_a.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                                     protocol='HTTP', protocol_port=8080)
    pool = member_a.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                                 protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    members_path = '/pools/%s/members' % pool['id']
    member = member_a.create_child(lb_id, members_path.lstrip('/'), 'member',
                                   address='127.0.0.1', protocol_port=9)
    # The reader sees the children, and may change none of them.
    assert listener['id'] in listed_ids(reader_a, 'listeners')
    assert member['id'] in listed_ids(reader_a, members_path.lstrip('/'))
    assert_forbidden(reader_a.request('PUT', '%s/%s' % (members_path, member['id']),
                                      {'member': {'weight': 5}}))
    assert_forbidden(reader_a.request('PUT', members_path, {'members': []}))
    assert_forbidden(reader_a.request('DELETE', '/listeners/' + listener['id']))
    response = member_a.request('DELETE', '/listeners/' + listener['id'])
    assert response.status_code == 204, response.text
    member_a.wait_active(lb_id)


def test_another_projects_objects_are_forbidden_and_unlisted(member_b, lb_a, lb_b):
    lb_id = lb_a['id']
    for method, path, body in [
            ('GET', '', None), ('GET', '/status', None), ('GET', '/stats', None),
            ('PUT', '', {'loadbalancer': {'name': 'taken'}}), ('DELETE', '', None)]:
        assert_forbidden(member_b.request(method, '/loadbalancers/%s%s' % (lb_id, path),
                                          body))
    assert_forbidden(member_b.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb_id, 'protocol': 'HTTP', 'protocol_port': 81}}))
    # Creating in another project by naming it: Octavia's write rule is per project.
    assert_forbidden(member_b.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': lb_a['vip_subnet_id'], 'project_id': 'project-a'}}))
    # Nor by naming it on a child of its own load balancer.
    assert_forbidden(member_b.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb_b['id'], 'protocol': 'HTTP', 'protocol_port': 82,
        'project_id': 'project-a'}}))
    listed = listed_ids(member_b, 'loadbalancers')
    assert lb_b['id'] in listed and lb_id not in listed
    assert_forbidden(member_b.request('GET', '/loadbalancers?project_id=project-a'))
    # What does not exist is 404 for everyone, as in Octavia.
    response = member_b.request('GET', '/loadbalancers/' + '0' * 8 + '-0000-0000-0000-'
                                + '0' * 12)
    assert response.status_code == 404, response.text


def test_admin_sees_every_project_and_may_fail_over_and_set_quotas(admin, lb_a, lb_b):
    assert {lb_a['id'], lb_b['id']} <= listed_ids(admin, 'loadbalancers')
    assert listed_ids(admin, 'loadbalancers', '?project_id=project-b') >= {lb_b['id']}
    assert lb_a['id'] not in listed_ids(admin, 'loadbalancers', '?project_id=project-b')
    response = admin.request('PUT', '/loadbalancers/%s/failover' % lb_a['id'])
    assert response.status_code == 202, response.text
    admin.wait_active(lb_a['id'])
    response = admin.request('PUT', '/quotas/project-a', {'quota': {'listener': 50}})
    assert response.status_code == 202, response.text
    assert response.json()['quota']['listener'] == 50
    response = admin.request('DELETE', '/quotas/project-a')
    assert response.status_code == 202, response.text
    # A project_id that is no string is a validation fault, not an authorization one.
    response = admin.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb_a['id'], 'protocol': 'HTTP', 'protocol_port': 83,
        'project_id': ['project-a']}})
    assert response.status_code == 400, response.text


def test_non_admin_cannot_fail_over_or_set_quotas(member_a, member_b, lb_a):
    assert_forbidden(member_a.request('PUT', '/loadbalancers/%s/failover' % lb_a['id']))
    assert_forbidden(member_a.request('PUT', '/quotas/project-a',
                                      {'quota': {'listener': 1000}}))
    assert_forbidden(member_a.request('DELETE', '/quotas/project-a'))
    # Its own quota it may read, another project's not.
    response = member_a.request('GET', '/quotas/project-a')
    assert response.status_code == 200, response.text
    assert_forbidden(member_b.request('GET', '/quotas/project-a'))
    assert member_a.loadbalancer(lb_a['id'])['provisioning_status'] == 'ACTIVE'


def test_a_caller_without_a_role_is_refused_everything(rbac_controller, lb_a):
    nobody = identities.caller(rbac_controller.url, 'project-a')
    assert_forbidden(nobody.request('GET', '/loadbalancers'))
    assert_forbidden(nobody.request('GET', '/loadbalancers/' + lb_a['id']))
    assert_forbidden(nobody.request('GET', '/providers'))
    # Roles but no project (a token scoped to none): nothing to create or list in.
    unscoped = identities.caller(rbac_controller.url, '', 'member', 'reader')
    assert_forbidden(unscoped.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': lb_a['vip_subnet_id']}}))
    assert_forbidden(unscoped.request('GET', '/loadbalancers'))


def test_policy_file_overrides_the_defaults(controller_dir):
    """An operator's policy file, as Octavia reads it ([oslo_policy] policy_file):
    here members may fail over their own load balancers."""
    state_dir = os.path.join(controller_dir, 'rbac-policy-file')
    os.makedirs(state_dir)
    policy_file = os.path.join(state_dir, 'policy.yaml')
    with open(policy_file, 'w') as policy:
        policy.write('"os_load-balancer_api:loadbalancer:put_failover": '
                     '"rule:load-balancer:write"\n')
    running = controller_support.RunningController(
        state_dir, extra_config=TESTING + '[oslo_policy]\npolicy_file = %s\n' % policy_file)
    running.start()
    try:
        member = identities.caller(running.url, 'project-a', 'member', 'reader')
        reader = identities.caller(running.url, 'project-a', 'reader')
        lb = member.new_loadbalancer()
        assert_forbidden(reader.request('PUT', '/loadbalancers/%s/failover' % lb['id']))
        response = member.request('PUT', '/loadbalancers/%s/failover' % lb['id'])
        assert response.status_code == 202, response.text
        member.wait_active(lb['id'])
        member.delete_loadbalancer(lb['id'])
    finally:
        running.stop()


def test_noauth_callers_are_administrators_whatever_their_roles(api, loadbalancer):
    """auth_strategy = noauth (the default): every caller is an administrator, as in
    Octavia, so a request naming only a reader role changes anything."""
    api.http.headers.update({'X-Project-Id': 'project-z', 'X-Roles': 'reader'})
    assert loadbalancer['id'] in {lb['id'] for lb in api.request(
        'GET', '/loadbalancers').json()['loadbalancers']}
    response = api.request('PUT', '/quotas/project-z', {'quota': {'pool': 7}})
    assert response.status_code == 202, response.text
    assert api.request('DELETE', '/quotas/project-z').status_code == 202
    response = api.request('PUT', '/loadbalancers/%s/failover' % loadbalancer['id'])
    assert response.status_code == 202, response.text
    api.wait_active(loadbalancer['id'])


def test_admin_api_is_for_admins_and_flavors_are_readable(admin, member_a, reader_a):
    profile = {'flavorprofile': {'name': 'rbac-profile', 'provider_name': 'amphora',
                                 'flavor_data': '{"loadbalancer_topology": "SINGLE"}'}}
    for caller in (member_a, reader_a):
        assert_forbidden(caller.request('POST', '/flavorprofiles', profile))
        assert_forbidden(caller.request('GET', '/flavorprofiles'))
        assert_forbidden(caller.request('GET', '/availabilityzoneprofiles'))
        assert_forbidden(caller.octavia_request('GET', '/amphorae'))
        assert_forbidden(caller.request('GET', '/providers/amphora/flavor_capabilities'))
    created = admin.request('POST', '/flavorprofiles', profile)
    assert created.status_code == 201, created.text
    profile_id = created.json()['flavorprofile']['id']
    flavor = admin.request('POST', '/flavors', {'flavor': {
        'name': 'rbac-flavor', 'flavor_profile_id': profile_id}})
    assert flavor.status_code == 201, flavor.text
    flavor_id = flavor.json()['flavor']['id']
    try:
        # Readers pick flavors and zones: list and show are theirs (Octavia's defaults).
        for caller in (member_a, reader_a):
            assert flavor_id in listed_ids(caller, 'flavors')
            assert caller.request('GET', '/flavors/' + flavor_id).status_code == 200
            assert_forbidden(caller.request('DELETE', '/flavors/' + flavor_id))
        assert admin.octavia_request('GET', '/amphorae').status_code == 200
    finally:
        assert admin.request('DELETE', '/flavors/' + flavor_id).status_code == 204
        assert admin.request('DELETE', '/flavorprofiles/' + profile_id).status_code == 204
