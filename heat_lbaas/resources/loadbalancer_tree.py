"""LBaaS::LoadBalancerTree: a load balancer with all its listeners, pools, members,
health monitors and L7 policies, created by ONE API request.

Why a type of its own, and why this name: it is Octavia's "fully populated load balancer"
(one POST /v2/lbaas/loadbalancers carrying the whole tree), which the talk that introduced
Octavia called "get me a load balancer". Separate resources need one request per object,
each waiting for the load balancer to leave PENDING_UPDATE; here the amphora is
configured once and serves every listener as soon as the stack is CREATE_COMPLETE. The
name says what the resource holds (the tree below a load balancer), as the status tree
of the API does. The price: the tree is one resource, so a change to `listeners` or
`pools` replaces the load balancer (use the separate types for a tree that changes often;
LBaaS::PoolMembers can still manage the members of a tree's pool).
"""

import copy

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties

from heat_lbaas.resources import health_monitor
from heat_lbaas.resources import l7policy
from heat_lbaas.resources import l7rule
from heat_lbaas.resources import listener
from heat_lbaas.resources import loadbalancer
from heat_lbaas.resources import member
from heat_lbaas.resources import pool
from heat_lbaas.resources import pool_members
from heat_lbaas.resources import property_rules
from heat_lbaas.resources import property_schemas


def _required_name(kind):
    return properties.Schema(
        properties.Schema.STRING,
        _('Name of the %s, unique in this tree: other parts of the tree and the '
          'attributes refer to it by this name.') % kind,
        required=True,
        constraints=[constraints.Length(min=1, max=property_schemas.MAX_TEXT)],
    )


def _pool_name_reference(text):
    return properties.Schema(properties.Schema.STRING, text)


def _list_of(schema, text):
    return properties.Schema(
        properties.Schema.LIST, text, default=[],
        schema=properties.Schema(properties.Schema.MAP, schema=schema))


RULE_SCHEMA = property_schemas.nested(l7rule.L7Rule.FIELDS_SCHEMA)

POLICY_SCHEMA = {
    **property_schemas.nested(l7policy.L7Policy.FIELDS_SCHEMA),
    'redirect_pool': _pool_name_reference(
        _('Name of the pool (in pools) for REDIRECT_TO_POOL.')),
    'rules': _list_of(RULE_SCHEMA, _('The L7 rules of the policy (all must match).')),
}

LISTENER_SCHEMA = {
    **property_schemas.nested(listener.Listener.FIELDS_SCHEMA),
    'name': _required_name('listener'),
    'default_pool': _pool_name_reference(
        _('Name of the pool (in pools) that gets the traffic no L7 policy takes.')),
    'l7policies': _list_of(POLICY_SCHEMA, _('The L7 policies of the listener.')),
}

POOL_SCHEMA = {
    **property_schemas.nested(pool.Pool.FIELDS_SCHEMA),
    'name': _required_name('pool'),
    'members': _list_of(
        property_schemas.nested(member.Member.FIELDS_SCHEMA),
        _('The members of the pool.')),
    'healthmonitor': properties.Schema(
        properties.Schema.MAP,
        _('The health monitor of the pool.'),
        schema=property_schemas.nested(health_monitor.HealthMonitor.FIELDS_SCHEMA)),
}


def _compact(values):
    """`values` without the keys Heat filled with None (Octavia reads null as a value)."""
    return {key: value for key, value in values.items() if value is not None}


def listener_body(values):
    body = property_schemas.without_unset_map_keys(
        _compact(values), listener.Listener.INSERT_HEADERS)
    if body.get('default_pool'):
        body['default_pool'] = {'name': body['default_pool']}
    body['l7policies'] = [policy_body(p) for p in body.get('l7policies') or ()]
    return body


def policy_body(values):
    body = _compact(values)
    if body.get('redirect_pool'):
        body['redirect_pool'] = {'name': body['redirect_pool']}
    body['rules'] = [_compact(rule) for rule in body.get('rules') or ()]
    return body


def pool_body(values):
    body = property_schemas.without_unset_map_keys(
        _compact(values), pool.Pool.SESSION_PERSISTENCE)
    body['members'] = pool_members.member_bodies(body.get('members'))
    if body.get('healthmonitor'):
        body['healthmonitor'] = _compact(body['healthmonitor'])
    return body


class LoadBalancerTree(loadbalancer.LoadBalancer):
    """A whole load balancer tree in one resource, made by one API request.

    `pools` defines every pool once (with its members and health monitor); a listener's
    `default_pool` and an L7 policy's `redirect_pool` name one of them, so a pool can be
    shared. The load balancer's own properties are those of LBaaS::LoadBalancer and update
    in place as there; a change to `listeners` or `pools` replaces the whole tree. Delete
    is a cascade delete.
    """

    PROPERTIES = loadbalancer.LoadBalancer.PROPERTIES + ('listeners', 'pools')
    LISTENERS, POOLS = 'listeners', 'pools'

    ATTRIBUTES = loadbalancer.LoadBalancer.ATTRIBUTES + (
        'listener_ids', 'pool_ids', 'status_tree')
    LISTENER_IDS_ATTR, POOL_IDS_ATTR, STATUS_TREE_ATTR = (
        'listener_ids', 'pool_ids', 'status_tree')

    properties_schema = {
        **loadbalancer.LoadBalancer.properties_schema,
        LISTENERS: _list_of(LISTENER_SCHEMA, _(
            'The listeners, each with a unique name, its default_pool and its '
            'l7policies (each with its rules).')),
        POOLS: _list_of(POOL_SCHEMA, _(
            'The pools, each with a unique name, its members and its healthmonitor.')),
    }

    attributes_schema = {
        **copy.deepcopy(loadbalancer.LoadBalancer.attributes_schema),
        **property_schemas.attributes_of({
            LISTENER_IDS_ATTR: (property_schemas.MAP,
                                _('IDs of the listeners, by name.')),
            POOL_IDS_ATTR: (property_schemas.MAP, _('IDs of the pools, by name.')),
            STATUS_TREE_ATTR: (property_schemas.MAP, _(
                'The status tree of the load balancer (provisioning and operating '
                'status of every object in it).')),
        }),
    }

    def property_problem(self):
        return super().property_problem() or property_rules.load_balancer_tree_problem(
            self.properties[self.LISTENERS], self.properties[self.POOLS])

    def _create_body(self):
        body = super()._create_body()
        body[self.LISTENERS] = [listener_body(v) for v in body.get(self.LISTENERS) or ()]
        body[self.POOLS] = [pool_body(v) for v in body.get(self.POOLS) or ()]
        return body

    def _ids_by_name(self, listed):
        return {item['name']: item['id'] for item in listed}

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        if name == self.LISTENER_IDS_ATTR:
            return self._ids_by_name(self.client().listener_list(
                loadbalancer_id=self.resource_id)['listeners'])
        if name == self.POOL_IDS_ATTR:
            return self._ids_by_name(self.client().pool_list(
                loadbalancer_id=self.resource_id)['pools'])
        if name == self.STATUS_TREE_ATTR:
            return self.client().load_balancer_status_show(self.resource_id)['statuses']
        return super()._resolve_attribute(name)
