"""Octavia's policy rules: the same names, check strings and defaults, so an operator's
Octavia policy file applies unchanged to this controller.

Data from Octavia (openstack/octavia octavia/policies/*.py, the 2026.2 development
series, Octavia 19; commit 0e6ea11c2): base rules (RuleDefault), the keystone default
roles with their deprecated Advanced RBAC alternatives (load-balancer_member and the
like, honoured while [oslo_policy] enforce_new_defaults is false), and one
DocumentedRuleDefault per API action. Flavor, availability zone and amphora actions are
registered too although this controller serves none of them, so a policy file naming
them is accepted as it is by Octavia.
"""
from oslo_log import versionutils
from oslo_policy import policy

SCOPE = ['project']
API = 'os_load-balancer_api:'

READ = 'rule:load-balancer:read'
READ_GLOBAL = 'rule:load-balancer:read-global'
WRITE = 'rule:load-balancer:write'
ADMIN = 'rule:load-balancer:admin'
READ_QUOTA = 'rule:load-balancer:read-quota'
READ_QUOTA_GLOBAL = 'rule:load-balancer:read-quota-global'
WRITE_QUOTA = 'rule:load-balancer:write-quota'

# Octavia's reason for the Advanced RBAC roles' deprecation, shortened.
DEPRECATED_REASON = ('The Octavia Advanced RBAC roles (load-balancer_*) are deprecated '
                     'in favour of the keystone default roles (reader, member, admin).')


def _deprecated(name, check_str):
    return policy.DeprecatedRule(name=name, check_str=check_str,
                                 deprecated_reason=DEPRECATED_REASON,
                                 deprecated_since=versionutils.deprecated.WALLABY)


def _rule(name, check_str, deprecated=None):
    return policy.RuleDefault(
        name=name, check_str=check_str, scope_types=SCOPE,
        deprecated_rule=_deprecated(name, deprecated) if deprecated else None)


BASE_RULES = [
    _rule('load-balancer:read',
          'rule:load-balancer:observer_and_owner or '
          'rule:load-balancer:global_observer or '
          'rule:load-balancer:member_and_owner or rule:load-balancer:admin'),
    _rule('load-balancer:read-global',
          'rule:load-balancer:global_observer or rule:load-balancer:admin'),
    _rule('load-balancer:write',
          'rule:load-balancer:member_and_owner or rule:load-balancer:admin'),
    _rule('load-balancer:read-quota',
          'rule:load-balancer:observer_and_owner or '
          'rule:load-balancer:global_observer or '
          'rule:load-balancer:member_and_owner or '
          'rule:load-balancer:quota-admin or rule:load-balancer:admin'),
    _rule('load-balancer:read-quota-global',
          'rule:load-balancer:global_observer or '
          'rule:load-balancer:quota-admin or rule:load-balancer:admin'),
    _rule('load-balancer:write-quota',
          'rule:load-balancer:quota-admin or rule:load-balancer:admin'),
    # The keystone default roles.
    _rule('project-member', 'role:member and project_id:%(project_id)s'),
    _rule('project-reader', 'role:reader and project_id:%(project_id)s'),
    _rule('context_is_admin', 'role:admin',
          deprecated='role:admin or role:load-balancer_admin'),
    # is_admin is true for every caller under [api_settings] auth_strategy = noauth.
    _rule('load-balancer:admin', 'is_admin:True or role:admin',
          deprecated='is_admin:True or role:admin or role:load-balancer_admin'),
    _rule('service', 'role:service'),
    _rule('load-balancer:global_observer', 'role:admin',
          deprecated='role:load-balancer_global_observer'),
    _rule('load-balancer:member_and_owner', 'rule:project-member',
          deprecated='role:load-balancer_member and rule:load-balancer:owner'),
    _rule('load-balancer:observer_and_owner', 'rule:project-reader',
          deprecated='role:load-balancer_observer and rule:load-balancer:owner'),
    _rule('load-balancer:quota-admin', 'role:admin',
          deprecated='role:load-balancer_quota_admin'),
    _rule('load-balancer:owner', 'project_id:%(project_id)s'),
]

# (object type, action, check string, description, method, path below /v2)
_LB = '/lbaas/loadbalancers'
_LISTENER = '/lbaas/listeners'
_POOL = '/lbaas/pools'
_HM = '/lbaas/healthmonitors'
_L7P = '/lbaas/l7policies'
_AMP = '/octavia/amphorae'
API_ACTIONS = [
    ('flavor', 'get_all', READ, 'List Flavors', 'GET', '.0/lbaas/flavors'),
    ('flavor', 'post', ADMIN, 'Create a Flavor', 'POST', '.0/lbaas/flavors'),
    ('flavor', 'put', ADMIN, 'Update a Flavor', 'PUT', '.0/lbaas/flavors/{flavor_id}'),
    ('flavor', 'get_one', READ, 'Show Flavor details', 'GET',
     '.0/lbaas/flavors/{flavor_id}'),
    ('flavor', 'delete', ADMIN, 'Remove a Flavor', 'DELETE',
     '.0/lbaas/flavors/{flavor_id}'),
    ('flavor-profile', 'get_all', ADMIN, 'List Flavor Profiles', 'GET',
     '.0/lbaas/flavorprofiles'),
    ('flavor-profile', 'post', ADMIN, 'Create a Flavor Profile', 'POST',
     '.0/lbaas/flavorprofiles'),
    ('flavor-profile', 'put', ADMIN, 'Update a Flavor Profile', 'PUT',
     '.0/lbaas/flavorprofiles/{flavor_profile_id}'),
    ('flavor-profile', 'get_one', ADMIN, 'Show Flavor Profile details', 'GET',
     '.0/lbaas/flavorprofiles/{flavor_profile_id}'),
    ('flavor-profile', 'delete', ADMIN, 'Remove a Flavor Profile', 'DELETE',
     '.0/lbaas/flavorprofiles/{flavor_profile_id}'),
    ('availability-zone', 'get_all', READ, 'List Availability Zones', 'GET',
     '.0/lbaas/availabilityzones'),
    ('availability-zone', 'post', ADMIN, 'Create an Availability Zone', 'POST',
     '.0/lbaas/availabilityzones'),
    ('availability-zone', 'put', ADMIN, 'Update an Availability Zone', 'PUT',
     '.0/lbaas/availabilityzones/{availability_zone_id}'),
    ('availability-zone', 'get_one', READ, 'Show Availability Zone details', 'GET',
     '.0/lbaas/availabilityzones/{availability_zone_id}'),
    ('availability-zone', 'delete', ADMIN, 'Remove an Availability Zone', 'DELETE',
     '.0/lbaas/availabilityzones/{availability_zone_id}'),
    ('availability-zone-profile', 'get_all', ADMIN, 'List Availability Zone Profiles',
     'GET', '.0/lbaas/availabilityzoneprofiles'),
    ('availability-zone-profile', 'post', ADMIN, 'Create an Availability Zone Profile',
     'POST', '.0/lbaas/availabilityzoneprofiles'),
    ('availability-zone-profile', 'put', ADMIN, 'Update an Availability Zone Profile',
     'PUT', '.0/lbaas/availabilityzoneprofiles/{availability_zone_profile_id}'),
    ('availability-zone-profile', 'get_one', ADMIN,
     'Show Availability Zone Profile details',
     'GET', '.0/lbaas/availabilityzoneprofiles/{availability_zone_profile_id}'),
    ('availability-zone-profile', 'delete', ADMIN, 'Remove an Availability Zone Profile',
     'DELETE', '.0/lbaas/availabilityzoneprofiles/{availability_zone_profile_id}'),
    ('healthmonitor', 'get_all', READ, 'List Health Monitors of a Pool', 'GET', _HM),
    ('healthmonitor', 'get_all-global', READ_GLOBAL,
     'List Health Monitors including resources owned by others', 'GET', _HM),
    ('healthmonitor', 'post', WRITE, 'Create a Health Monitor', 'POST', _HM),
    ('healthmonitor', 'get_one', READ, 'Show Health Monitor details', 'GET',
     _HM + '/{healthmonitor_id}'),
    ('healthmonitor', 'put', WRITE, 'Update a Health Monitor', 'PUT',
     _HM + '/{healthmonitor_id}'),
    ('healthmonitor', 'delete', WRITE, 'Remove a Health Monitor', 'DELETE',
     _HM + '/{healthmonitor_id}'),
    ('l7policy', 'get_all', READ, 'List L7 Policies', 'GET', _L7P),
    ('l7policy', 'get_all-global', READ_GLOBAL,
     'List L7 Policies including resources owned by others', 'GET', _L7P),
    ('l7policy', 'post', WRITE, 'Create a L7 Policy', 'POST', _L7P),
    ('l7policy', 'get_one', READ, 'Show L7 Policy details', 'GET',
     _L7P + '/{l7policy_id}'),
    ('l7policy', 'put', WRITE, 'Update a L7 Policy', 'PUT', _L7P + '/{l7policy_id}'),
    ('l7policy', 'delete', WRITE, 'Remove a L7 Policy', 'DELETE',
     _L7P + '/{l7policy_id}'),
    ('l7rule', 'get_all', READ, 'List L7 Rules', 'GET', _L7P + '/{l7policy_id}/rules'),
    ('l7rule', 'post', WRITE, 'Create a L7 Rule', 'POST', _L7P + '/{l7policy_id}/rules'),
    ('l7rule', 'get_one', READ, 'Show L7 Rule details', 'GET',
     _L7P + '/{l7policy_id}/rules/{l7rule_id}'),
    ('l7rule', 'put', WRITE, 'Update a L7 Rule', 'PUT',
     _L7P + '/{l7policy_id}/rules/{l7rule_id}'),
    ('l7rule', 'delete', WRITE, 'Remove a L7 Rule', 'DELETE',
     _L7P + '/{l7policy_id}/rules/{l7rule_id}'),
    ('listener', 'get_all', READ, 'List Listeners', 'GET', _LISTENER),
    ('listener', 'get_all-global', READ_GLOBAL,
     'List Listeners including resources owned by others', 'GET', _LISTENER),
    ('listener', 'post', WRITE, 'Create a Listener', 'POST', _LISTENER),
    ('listener', 'get_one', READ, 'Show Listener details', 'GET',
     _LISTENER + '/{listener_id}'),
    ('listener', 'put', WRITE, 'Update a Listener', 'PUT', _LISTENER + '/{listener_id}'),
    ('listener', 'delete', WRITE, 'Remove a Listener', 'DELETE',
     _LISTENER + '/{listener_id}'),
    ('listener', 'get_stats', READ, 'Show Listener statistics', 'GET',
     _LISTENER + '/{listener_id}/stats'),
    ('loadbalancer', 'get_all', READ, 'List Load Balancers', 'GET', _LB),
    ('loadbalancer', 'get_all-global', READ_GLOBAL,
     'List Load Balancers including resources owned by others', 'GET', _LB),
    ('loadbalancer', 'post', WRITE, 'Create a Load Balancer', 'POST', _LB),
    ('loadbalancer', 'post:vip_sg_ids', WRITE,
     'Create a Load Balancer with VIP Security Groups', 'POST', _LB),
    ('loadbalancer', 'get_one', READ, 'Show Load Balancer details', 'GET',
     _LB + '/{loadbalancer_id}'),
    ('loadbalancer', 'put', WRITE, 'Update a Load Balancer', 'PUT',
     _LB + '/{loadbalancer_id}'),
    ('loadbalancer', 'put:vip_sg_ids', WRITE,
     'Update the VIP Security Groups of a Load Balancer', 'PUT',
     _LB + '/{loadbalancer_id}'),
    ('loadbalancer', 'delete', WRITE, 'Remove a Load Balancer', 'DELETE',
     _LB + '/{loadbalancer_id}'),
    ('loadbalancer', 'get_stats', READ, 'Show Load Balancer statistics', 'GET',
     _LB + '/{loadbalancer_id}/stats'),
    ('loadbalancer', 'get_status', READ, 'Show Load Balancer status', 'GET',
     _LB + '/{loadbalancer_id}/status'),
    ('loadbalancer', 'put_failover', ADMIN, 'Failover a Load Balancer', 'PUT',
     _LB + '/{loadbalancer_id}/failover'),
    ('member', 'get_all', READ + ' or rule:service', 'List Members of a Pool', 'GET',
     _POOL + '/{pool_id}/members'),
    ('member', 'post', WRITE, 'Create a Member', 'POST', _POOL + '/{pool_id}/members'),
    ('member', 'get_one', READ, 'Show Member details', 'GET',
     _POOL + '/{pool_id}/members/{member_id}'),
    ('member', 'put', WRITE, 'Update a Member', 'PUT',
     _POOL + '/{pool_id}/members/{member_id}'),
    ('member', 'delete', WRITE, 'Remove a Member', 'DELETE',
     _POOL + '/{pool_id}/members/{member_id}'),
    ('pool', 'get_all', READ, 'List Pools', 'GET', _POOL),
    ('pool', 'get_all-global', READ_GLOBAL,
     'List Pools including resources owned by others', 'GET', _POOL),
    ('pool', 'post', WRITE, 'Create a Pool', 'POST', _POOL),
    ('pool', 'get_one', READ, 'Show Pool details', 'GET', _POOL + '/{pool_id}'),
    ('pool', 'put', WRITE, 'Update a Pool', 'PUT', _POOL + '/{pool_id}'),
    ('pool', 'delete', WRITE, 'Remove a Pool', 'DELETE', _POOL + '/{pool_id}'),
    ('provider', 'get_all', READ, 'List enabled providers', 'GET', '/lbaas/providers'),
    ('quota', 'get_all', READ_QUOTA, 'List Quotas', 'GET', '/lbaas/quotas'),
    ('quota', 'get_all-global', READ_QUOTA_GLOBAL,
     'List Quotas including resources owned by others', 'GET', '/lbaas/quotas'),
    ('quota', 'get_one', READ_QUOTA, 'Show Quota details', 'GET',
     '/lbaas/quotas/{project_id}'),
    ('quota', 'put', WRITE_QUOTA, 'Update a Quota', 'PUT', '/lbaas/quotas/{project_id}'),
    ('quota', 'delete', WRITE_QUOTA, 'Reset a Quota', 'DELETE',
     '/lbaas/quotas/{project_id}'),
    ('quota', 'get_defaults', READ_QUOTA, 'Show Default Quota for a Project', 'GET',
     '/lbaas/quotas/{project_id}/default'),
    ('amphora', 'get_all', ADMIN, 'List Amphorae', 'GET', _AMP),
    ('amphora', 'get_one', ADMIN, 'Show Amphora details', 'GET', _AMP + '/{amphora_id}'),
    ('amphora', 'delete', ADMIN, 'Delete an Amphora', 'DELETE', _AMP + '/{amphora_id}'),
    ('amphora', 'put_config', ADMIN, 'Update Amphora Agent Configuration', 'PUT',
     _AMP + '/{amphora_id}/config'),
    ('amphora', 'put_failover', ADMIN, 'Failover Amphora', 'PUT',
     _AMP + '/{amphora_id}/failover'),
    ('amphora', 'get_stats', ADMIN, 'Show Amphora statistics', 'GET',
     _AMP + '/{amphora_id}/stats'),
    ('provider-flavor', 'get_all', ADMIN, 'List the provider flavor capabilities.',
     'GET', '/lbaas/providers/{provider}/flavor_capabilities'),
    ('provider-availability-zone', 'get_all', ADMIN,
     'List the provider availability zone capabilities.',
     'GET', '/lbaas/providers/{provider}/availability_zone_capabilities'),
]


def action_name(object_type, action):
    """Octavia's rule name of an API action: os_load-balancer_api:pool:get_one."""
    return '%s%s:%s' % (API, object_type, action)


def list_rules():
    """Every rule, for the Enforcer and for oslopolicy-sample-generator."""
    documented = [
        policy.DocumentedRuleDefault(
            name=action_name(object_type, action), check_str=check_str,
            description=description,
            operations=[{'method': method, 'path': '/v2' + path}],
            scope_types=SCOPE)
        for object_type, action, check_str, description, method, path in API_ACTIONS]
    return BASE_RULES + documented
