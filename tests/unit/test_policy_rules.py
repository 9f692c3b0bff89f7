"""The controller's policy rules are Octavia's: the same names with the same default
check strings, and its decisions for the keystone default roles are Octavia's."""
from oslo_config import cfg
from oslo_policy import policy as oslo_policy
import pytest
import webob

from heat_lbaas.controller import config
from heat_lbaas.controller.api import policy
from heat_lbaas.controller.api import policy_rules

# Octavia's rules as registered by octavia.policies.list_rules(): (name, check string).
# Source: openstack/octavia, octavia/policies/*.py at commit 0e6ea11c2 (master of
# August 2026, the Octavia 19 development series), read with oslo.policy 6.0.1.
OCTAVIA_RULES = [
    ('load-balancer:read',
     ('rule:load-balancer:observer_and_owner or '
      'rule:load-balancer:global_observer or '
      'rule:load-balancer:member_and_owner or '
      'rule:load-balancer:admin')),
    ('load-balancer:read-global',
     'rule:load-balancer:global_observer or rule:load-balancer:admin'),
    ('load-balancer:write',
     'rule:load-balancer:member_and_owner or rule:load-balancer:admin'),
    ('load-balancer:read-quota',
     ('rule:load-balancer:observer_and_owner or '
      'rule:load-balancer:global_observer or '
      'rule:load-balancer:member_and_owner or '
      'rule:load-balancer:quota-admin or '
      'rule:load-balancer:admin')),
    ('load-balancer:read-quota-global',
     ('rule:load-balancer:global_observer or '
      'rule:load-balancer:quota-admin or '
      'rule:load-balancer:admin')),
    ('load-balancer:write-quota',
     'rule:load-balancer:quota-admin or rule:load-balancer:admin'),
    ('project-member',
     'role:member and project_id:%(project_id)s'),
    ('project-reader',
     'role:reader and project_id:%(project_id)s'),
    ('context_is_admin',
     'role:admin'),
    ('load-balancer:admin',
     'is_admin:True or role:admin'),
    ('service',
     'role:service'),
    ('load-balancer:global_observer',
     'role:admin'),
    ('load-balancer:member_and_owner',
     'rule:project-member'),
    ('load-balancer:observer_and_owner',
     'rule:project-reader'),
    ('load-balancer:quota-admin',
     'role:admin'),
    ('load-balancer:owner',
     'project_id:%(project_id)s'),
    ('os_load-balancer_api:flavor:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:flavor:post',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor:put',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:flavor:delete',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor-profile:get_all',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor-profile:post',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor-profile:put',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor-profile:get_one',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:flavor-profile:delete',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:availability-zone:post',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone:put',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:availability-zone:delete',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone-profile:get_all',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone-profile:post',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone-profile:put',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone-profile:get_one',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:availability-zone-profile:delete',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:healthmonitor:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:healthmonitor:get_all-global',
     'rule:load-balancer:read-global'),
    ('os_load-balancer_api:healthmonitor:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:healthmonitor:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:healthmonitor:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:healthmonitor:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:l7policy:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:l7policy:get_all-global',
     'rule:load-balancer:read-global'),
    ('os_load-balancer_api:l7policy:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:l7policy:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:l7policy:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:l7policy:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:l7rule:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:l7rule:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:l7rule:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:l7rule:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:l7rule:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:listener:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:listener:get_all-global',
     'rule:load-balancer:read-global'),
    ('os_load-balancer_api:listener:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:listener:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:listener:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:listener:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:listener:get_stats',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:loadbalancer:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:loadbalancer:get_all-global',
     'rule:load-balancer:read-global'),
    ('os_load-balancer_api:loadbalancer:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:loadbalancer:post:vip_sg_ids',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:loadbalancer:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:loadbalancer:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:loadbalancer:put:vip_sg_ids',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:loadbalancer:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:loadbalancer:get_stats',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:loadbalancer:get_status',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:loadbalancer:put_failover',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:member:get_all',
     'rule:load-balancer:read or rule:service'),
    ('os_load-balancer_api:member:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:member:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:member:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:member:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:pool:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:pool:get_all-global',
     'rule:load-balancer:read-global'),
    ('os_load-balancer_api:pool:post',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:pool:get_one',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:pool:put',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:pool:delete',
     'rule:load-balancer:write'),
    ('os_load-balancer_api:provider:get_all',
     'rule:load-balancer:read'),
    ('os_load-balancer_api:quota:get_all',
     'rule:load-balancer:read-quota'),
    ('os_load-balancer_api:quota:get_all-global',
     'rule:load-balancer:read-quota-global'),
    ('os_load-balancer_api:quota:get_one',
     'rule:load-balancer:read-quota'),
    ('os_load-balancer_api:quota:put',
     'rule:load-balancer:write-quota'),
    ('os_load-balancer_api:quota:delete',
     'rule:load-balancer:write-quota'),
    ('os_load-balancer_api:quota:get_defaults',
     'rule:load-balancer:read-quota'),
    ('os_load-balancer_api:amphora:get_all',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:amphora:get_one',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:amphora:delete',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:amphora:put_config',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:amphora:put_failover',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:amphora:get_stats',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:provider-flavor:get_all',
     'rule:load-balancer:admin'),
    ('os_load-balancer_api:provider-availability-zone:get_all',
     'rule:load-balancer:admin'),
]


def test_every_rule_is_octavias_with_its_default():
    registered = [(rule.name, rule.check_str) for rule in policy_rules.list_rules()]
    assert sorted(registered) == sorted(OCTAVIA_RULES)
    assert len({name for name, _ in registered}) == len(registered)


def test_api_actions_are_documented_with_their_operation():
    for rule in policy_rules.list_rules():
        if rule.name.startswith(policy_rules.API):
            assert isinstance(rule, oslo_policy.DocumentedRuleDefault)
            assert rule.operations[0]['path'].startswith('/v2')


def _enforcer(auth_strategy):
    conf = cfg.ConfigOpts()
    config.register(conf)
    conf([], default_config_files=[])
    conf.set_override('auth_strategy', auth_strategy, 'api_settings')
    return policy.Enforcer(conf)


def _request(project_id=None, *roles):
    headers = {'X-Roles': ','.join(roles)}
    if project_id:
        headers['X-Project-Id'] = project_id
    return webob.Request.blank('/v2/lbaas/loadbalancers', headers=headers)


ACTIONS = ('get_one', 'put', 'put_failover', 'get_all-global')


@pytest.mark.parametrize('roles, own, other', [
    (('reader',), {'get_one'}, set()),
    (('member',), {'get_one', 'put'}, set()),
    (('member', 'reader'), {'get_one', 'put'}, set()),
    (('admin',), set(ACTIONS), set(ACTIONS)),
    # Octavia's deprecated Advanced RBAC roles: refused under the new defaults.
    (('load-balancer_member',), set(), set()),
    ((), set(), set()),
])
def test_keystone_roles(roles, own, other):
    enforcer = _enforcer('testing')
    request = _request('project-a', *roles)

    def allowed(project_id):
        return {action for action in ACTIONS
                if enforcer.allows(request, 'loadbalancer', action, project_id)}

    assert allowed('project-a') == own
    assert allowed('project-b') == other


def test_noauth_callers_are_administrators_in_the_default_project():
    enforcer = _enforcer('noauth')
    request = _request(None, 'reader')
    assert enforcer.context(request).project_id == 'admin'
    assert all(enforcer.allows(request, 'loadbalancer', action, 'project-b')
               for action in ACTIONS)
    assert enforcer.context(_request('project-z')).project_id == 'project-z'


def test_forbidden_is_octavias_fault():
    error = policy.PolicyForbidden()
    assert error.status == 403
    assert error.body() == {
        'faultcode': 'Client',
        'faultstring': 'Policy does not allow this request to be performed.',
        'debuginfo': None}
