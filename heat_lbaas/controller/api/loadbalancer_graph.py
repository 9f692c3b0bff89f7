"""POST /v2/lbaas/loadbalancers with `listeners` and `pools` nested in the body.

Octavia's "fully populated load balancer": listeners (each with an optional
default_pool, which may carry members and a healthmonitor, and l7policies with
their rules) and pools. A pool is named by everything that uses it; a listener's
default_pool or a policy's redirect_pool is either a full pool definition or just
{"name": ...} naming one of the top-level `pools` (or one defined elsewhere in the
request).

Every nested object is validated first by its collection's validate_create, the
same pipeline (field schema, cross-field rules, provider capabilities) as its own
POST, as Octavia's _graph_create reuses each controller; only then are all rows
inserted, in one transaction, in PENDING_CREATE. The worker applies the load
balancer once, so the first HAProxy start already serves every listener and member.
"""
import dataclasses

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import healthmonitors
from heat_lbaas.controller.api import l7_validation
from heat_lbaas.controller.api import l7policies
from heat_lbaas.controller.api import l7rules
from heat_lbaas.controller.api import listeners as listeners_module
from heat_lbaas.controller.db import topologies
from heat_lbaas.controller.api import members as members_module
from heat_lbaas.controller.api import pools as pools_module
from heat_lbaas.controller.db import l7_positions

NESTED = ('listeners', 'pools')
# Stands in for a parent id that does not exist yet while a child is validated
# (the declarations require it); the real id is set when the rows are created.
PARENT_TO_BE = '00000000-0000-4000-8000-000000000000'


def is_fully_populated(body):
    inner = body.get('loadbalancer') if isinstance(body, dict) else None
    return isinstance(inner, dict) and any(key in inner for key in NESTED)


@dataclasses.dataclass
class PoolPlan:
    values: dict
    members: list
    healthmonitor: dict | None


@dataclasses.dataclass
class PolicyPlan:
    values: dict
    redirect_pool: str | None    # a pool name
    rules: list


@dataclasses.dataclass
class ListenerPlan:
    values: dict
    default_pool: str | None     # a pool name
    policies: list


@dataclasses.dataclass
class Graph:
    listeners: list
    pools: dict                  # name -> PoolPlan, in request order


def _list_of_objects(name, value):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise errors.InvalidInput(name, value, 'Value should be a list of objects')
    return [dict(v) for v in value]


def _refuse_parent_ids(object_type, sent, names):
    """Parents of nested objects are implied by the nesting, never given."""
    given = sorted(name for name in names if name in sent)
    if given:
        raise errors.InvalidInput(object_type.key, sent,
                                  'Unknown attribute for argument %s: %s'
                                  % (object_type.key, ', '.join(given)))


def _pool_name(reference, field='default_pool'):
    if not isinstance(reference, dict):
        raise errors.InvalidInput(field, reference, 'Value should be an object')
    name = reference.get('name')
    if not name:
        raise errors.ValidationFailure(
            'Pools must be named when creating a fully populated loadbalancer.')
    return name


class GraphBuilder:
    def __init__(self, context):
        self.context = context
        self.store = context.store
        self.listeners = listeners_module.Listeners(context)
        self.pools = pools_module.Pools(context)
        self.members = members_module.Members(context)
        self.healthmonitors = healthmonitors.HealthMonitors(context)
        self.l7policies = l7policies.L7Policies(context)
        self.l7rules = l7rules.L7Rules(context)

    # --- validation (nothing is written) ---------------------------------------

    def split(self, body):
        """The load balancer body without its nested objects, and those objects."""
        inner = dict(body['loadbalancer'])
        nested = {key: _list_of_objects(key, inner.pop(key, None)) for key in NESTED}
        return dict(body, loadbalancer=inner), nested

    def validate(self, nested):
        pool_bodies = list(nested['pools'])
        listener_plans = []
        referenced = set()

        def pool_used(reference, field):
            """The name of a pool a listener or policy uses; definitions are kept."""
            if reference is None:
                return None
            name = _pool_name(reference, field)
            # More than a name is a definition, otherwise a reference (Octavia).
            if set(reference) - {'name'}:
                pool_bodies.append(dict(reference))
            else:
                referenced.add(name)
            return name

        for sent in nested['listeners']:
            default_pool = pool_used(sent.pop('default_pool', None), 'default_pool')
            policies = []
            for policy in _list_of_objects('l7policies', sent.pop('l7policies', None)):
                redirect_pool = pool_used(policy.pop('redirect_pool', None),
                                          'redirect_pool')
                policies.append(self._policy(policy, redirect_pool))
            listener_plans.append(ListenerPlan(self._listener(sent), default_pool,
                                               policies))
        pools = {}
        for sent in pool_bodies:
            name = _pool_name(sent)
            if name in pools:
                raise errors.ValidationFailure(
                    'Pool names must be unique when creating a fully populated '
                    'loadbalancer.')
            pools[name] = self._pool(sent)
        for name in sorted(referenced - set(pools)):
            raise errors.ValidationFailure(
                "Pool '%s' was referenced but no full definition was found." % name)
        self._check_listeners(listener_plans, pools)
        return Graph(listener_plans, pools)

    def _listener(self, sent):
        _refuse_parent_ids(model.LISTENER, sent, ('loadbalancer_id', 'default_pool_id'))
        return self.listeners.validate_create(
            {'listener': dict(sent, loadbalancer_id=PARENT_TO_BE)})

    def _policy(self, sent, redirect_pool):
        _refuse_parent_ids(model.L7POLICY, sent, ('listener_id', 'redirect_pool_id'))
        rules = _list_of_objects('rules', sent.pop('rules', None))
        values = self.l7policies.validate_create({'l7policy': dict(
            sent, listener_id=PARENT_TO_BE,
            redirect_pool_id=PARENT_TO_BE if redirect_pool else None)})
        if len(rules) > l7_validation.MAX_RULES_PER_POLICY:
            raise l7_validation.TooManyRules(values['name'] or '(new)')
        rule_values = [self.l7rules.validate_create({'rule': rule}) for rule in rules]
        # sanitize_policy drops the redirect pool of any other action.
        return PolicyPlan(values, redirect_pool if values['redirect_pool_id'] else None,
                          rule_values)

    def _pool(self, sent):
        _refuse_parent_ids(model.POOL, sent, ('loadbalancer_id', 'listener_id'))
        members = _list_of_objects('members', sent.pop('members', None))
        monitor = sent.pop('healthmonitor', None)
        values = self.pools.validate_create({'pool': sent})
        member_values, seen = [], set()
        for member in members:
            checked = self.members.validate_create({'member': member})
            key = model.member_address_port(checked)
            if key in seen:
                raise errors.Conflict(
                    'Another member on this pool is already using ip %s on '
                    'protocol_port %s' % (checked['address'], checked['protocol_port']))
            seen.add(key)
            member_values.append(checked)
        monitor_values = None
        if monitor is not None:
            if not isinstance(monitor, dict):
                raise errors.InvalidInput('healthmonitor', monitor,
                                          'Value should be an object')
            _refuse_parent_ids(model.HEALTH_MONITOR, monitor, ('pool_id',))
            monitor_values = self.healthmonitors.validate_create(
                {'healthmonitor': dict(monitor, pool_id=PARENT_TO_BE)})
            self.healthmonitors.check_for_pool(monitor_values, values['protocol'])
        return PoolPlan(values, member_values, monitor_values)

    @staticmethod
    def _check_listeners(plans, pools):
        for index, plan in enumerate(plans):
            values = plan.values
            # As Octavia creates them in order: the earlier ones are "already" there.
            listeners_module.check_port_free(values, [p.values for p in plans[:index]])
            if plan.default_pool is not None or plan.policies:
                listeners_module.check_may_have_children(values['protocol'])
            if plan.default_pool is not None:
                listeners_module.check_protocols(
                    values['protocol'], pools[plan.default_pool].values['protocol'])
            if plan.policies:
                capabilities.check_l7_listener(values['protocol'])
            for policy in plan.policies:
                if policy.redirect_pool is not None:
                    listeners_module.check_protocols(
                        values['protocol'],
                        pools[policy.redirect_pool].values['protocol'])

    # --- creation (inside the load balancer's transaction) --------------------

    def create(self, graph, lb):
        """Insert every object of `graph` under the new load balancer row `lb`."""
        project_id = lb['project_id']
        pool_ids = {}
        for name, plan in graph.pools.items():
            plan.values['loadbalancer_id'] = lb['id']
            pool = self.pools.new_row(plan.values, project_id)
            pool_ids[name] = pool['id']
            for values in plan.members:
                values['pool_id'] = pool['id']
                self.members.new_row(values, project_id)
            if plan.healthmonitor is not None:
                plan.healthmonitor['pool_id'] = pool['id']
                monitor = self.healthmonitors.new_row(plan.healthmonitor, project_id)
                self.store.update(model.POOL, pool['id'],
                                  {'healthmonitor_id': monitor['id']})
        for plan in graph.listeners:
            # The VIP is placed in this transaction: its IP version is known now.
            listeners_module.check_cidrs_fit_vip(plan.values.get('allowed_cidrs'), lb)
            self.context.capabilities.check_topology(
                plan.values['protocol'], topologies.of_loadbalancer(self.store, lb))
            plan.values.update(loadbalancer_id=lb['id'],
                               default_pool_id=pool_ids.get(plan.default_pool))
            listener = self.listeners.new_row(plan.values, project_id)
            for policy in plan.policies:
                self._create_policy(policy, listener, pool_ids, project_id)

    def _create_policy(self, plan, listener, pool_ids, project_id):
        wanted = plan.values['position']
        plan.values.update(listener_id=listener['id'],
                           redirect_pool_id=pool_ids.get(plan.redirect_pool),
                           position=octavia.MAX_L7POLICY_POSITION)
        policy = self.l7policies.new_row(plan.values, project_id)
        # Positions as a create of each policy in request order would leave them.
        ordered = l7_positions.ordered_policy_ids(self.store, model.L7POLICY,
                                                  listener['id'])
        l7_positions.renumber(self.store, model.L7POLICY,
                              l7_positions.place(ordered, policy['id'], wanted))
        for values in plan.rules:
            values['l7policy_id'] = policy['id']
            self.l7rules.new_row(values, project_id)
