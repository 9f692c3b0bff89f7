"""LBaaS::PoolMembers: every member of a pool as one list, changed with few API calls.

Separate LBaaS::Member resources make one request per member, and each request locks
the load balancer (PENDING_UPDATE) so that siblings queue behind it through 409s. A scale
out of N members is here ONE `PUT /v2/lbaas/pools/{pool_id}/members?additive_only=true`
with the new list: Octavia matches members by address and port, creates the new ones and
updates the kept ones, in one provisioning cycle (one HAProxy reload on the bundled
controller). Members that leave are deleted one by one, by id: a batch that removes
members must carry the pool's whole list, and Octavia has no conditional batch call, so
it would also remove a member another client added after the list was read.
"""

import json

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties

from octaviaclient.api.v2 import octavia as octavia_api

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.resources import checked_properties
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import lifecycle_properties
from heat_lbaas.resources import member
from heat_lbaas.resources import octavia_object
from heat_lbaas.resources import operations
from heat_lbaas.resources import parent_load_balancer
from heat_lbaas.resources import property_rules
from heat_lbaas.resources import property_schemas


def member_bodies(members):
    """API bodies of the `members` property: unset keys left out, `subnet` renamed."""
    bodies = []
    for entry in members or ():
        body = {member.Member.FIELD_OF_PROPERTY.get(key, key): value
                for key, value in entry.items() if value is not None}
        bodies.append(body)
    return bodies


def live_members_as_in_template(template_members, live_members):
    """The pool's members as the API lists them, in the shape of the `members` property,
    so that Heat finds out-of-band changes by comparing the two (live state).

    A member of the template (matched by address and port) shows the keys its template
    entry sets, with the API's values, and None where the entry leaves a key unset (the
    API's to choose: lifecycle.live_values_to_compare); members missing from the pool
    are absent, so they count as differences and are created again. Members the
    template lacks are left out: someone else added them, and they are not this
    resource's to remove (Heat merges live state into the resource's old properties,
    which say what the resource owns).
    """
    live_by_key = {octavia.member_identity(m): m for m in live_members}
    result = []
    for entry in template_members or ():
        shown = live_by_key.get(octavia.member_identity(entry))
        if shown is None:
            continue
        result.append({
            key: None if value is None
            else shown.get(member.Member.FIELD_OF_PROPERTY.get(key, key))
            for key, value in entry.items()})
    return result


def decide_on_pool_status(action, provisioning_status, description):
    """Whether a batch change is complete, from its pool's provisioning_status.

    Whatever the stack action, the batch change is an update of the pool (even removing
    every member at delete leaves the pool in place): done when the pool is ACTIVE again.
    """
    return lifecycle.decide_on_provisioning_status(
        lifecycle.UPDATE, provisioning_status, description)


class PoolMembers(checked_properties.ChecksPropertyRules, octavia_object.OctaviaObject):
    """The members a stack keeps in a pool, as one list.

    The physical resource id is the pool's id. Members are matched by address and
    protocol_port: changing a member's weight, name, backup, monitor_* or admin_state_up
    updates it in place; a new address:port creates a member (all of them in one
    additive batch request); one the list drops is deleted by id. Members the list never
    had (added by another client or resource) are neither changed nor removed, and an
    address:port someone else created fails as Octavia's duplicate member.

    Members that leave are drained first (`drain_seconds`): the additive batch also sets
    them to weight 0, and their deletes follow after the drain time.
    """

    OCTAVIA_KIND = 'Pool'
    PARENTS = (parent_load_balancer.Parent('pool', 'Pool'),)

    PROPERTIES = (POOL, MEMBERS, DRAIN_SECONDS) = (
        'pool', 'members', lifecycle_properties.DRAIN_SECONDS)

    ATTRIBUTES = (MEMBER_IDS_ATTR, COUNT_ATTR) = ('member_ids', 'count')

    properties_schema = {
        POOL: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the pool whose members this resource sets.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.pool')],
        ),
        MEMBERS: properties.Schema(
            properties.Schema.LIST,
            _('The members this resource keeps in the pool; each address:port at '
              'most once. New and changed members go in one additive batch request; '
              'members the list drops are deleted; members added by others are left '
              'alone (a listed address:port someone else created fails as a '
              'duplicate).'),
            default=[],
            update_allowed=True,
            schema=properties.Schema(
                properties.Schema.MAP,
                schema=property_schemas.nested(member.Member.FIELDS_SCHEMA),
            ),
        ),
        **lifecycle_properties.POOL_MEMBERS_DRAIN,
    }

    attributes_schema = property_schemas.attributes_of({
        MEMBER_IDS_ATTR: (property_schemas.MAP,
                          _('IDs of the members by "address:port".')),
        COUNT_ATTR: (property_schemas.INTEGER,
                     _('Number of the members of this list in the pool.')),
    })

    NAME_OR_ID_FINDERS = {POOL: 'get_pool'}

    def property_problem(self):
        return property_rules.member_list_problem(self.properties[self.MEMBERS])

    def _pool_id(self):
        return self.properties[self.POOL]

    # --- the change: one additive batch, then one DELETE per leaving member -----------

    # Resource data: the address:port pairs this resource has sent and not deleted since.
    # The template's list alone is not enough: after a change whose answer was lost
    # (or that failed half-way) the pool has members of the new list while Heat still
    # holds the old one, and those must count as this resource's own, not a stranger's.
    SENT_KEYS = 'sent_member_keys'

    def _sent_keys(self):
        sent = self.data().get(self.SENT_KEYS)
        return {tuple(key) for key in json.loads(sent)} if sent else set()

    def _owned_keys(self):
        """address:port of the members this resource created: its list, and whatever
        it has sent and not deleted since."""
        keys = {octavia.member_identity(m) for m in self.properties[self.MEMBERS] or ()}
        return sorted([list(key) for key in keys | self._sent_keys()])

    def _remember_sent_keys(self, added=(), removed=()):
        keys = (self._sent_keys() | {tuple(key) for key in added}) - {
            tuple(key) for key in removed}
        self.data_set(self.SENT_KEYS, json.dumps(sorted(keys)))

    def _change_steps(self, desired, drain_seconds, whole_stack_deleted):
        """Steps from the members this resource owns now to `desired` (API bodies)."""
        plan = lifecycle.plan_pool_member_change(
            self._listed_members(), self._owned_keys(), desired, drain_seconds,
            whole_stack_deleted)
        steps = []
        if plan.batch is not None:
            steps.append((lifecycle.UPDATE, {'members': plan.batch,
                                             'owned': self._owned_keys()}))
        if plan.drain_seconds:
            steps.append((operations.DRAIN_WAIT, plan.drain_seconds))
        steps += [(lifecycle.DELETE, leaving) for leaving in plan.leaving]
        return steps

    def handle_create(self):
        return operations.Operation.start(lifecycle.CREATE, {
            'members': member_bodies(self.properties[self.MEMBERS]), 'owned': []})

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        if (self.MEMBERS not in prop_diff and self.status != self.FAILED
                and self._current_provisioning_status() == lifecycle.ACTIVE):
            return None   # only the drain time changed
        new_properties = json_snippet.properties(self.properties_schema, self.context)
        steps = self._change_steps(member_bodies(new_properties[self.MEMBERS]),
                                   new_properties[self.DRAIN_SECONDS],
                                   whole_stack_deleted=False)
        return operations.Operation.of_steps(steps)

    def handle_delete(self):
        if self.resource_id is None or self._load_balancer_is_deleted_with_stack():
            return None   # with its load balancer, the cascade removes every member
        whole_stack_deleted = self._whole_stack_is_deleted()
        steps = self._change_steps([], self.properties[self.DRAIN_SECONDS],
                                   whole_stack_deleted)
        return operations.Operation.of_steps(steps, removing=True)

    def _send(self, operation):
        action, body = operation['action'], operation['body']
        if action == lifecycle.DELETE:
            try:
                self.client().member_delete(self._pool_id(), body['id'])
            except Exception as ex:
                if not self.client_plugin().is_not_found(ex):
                    raise
            self._remember_sent_keys(removed=[body['key']])
            return
        # Checked right before the additive batch, which would adopt such a member.
        clash = lifecycle.foreign_member_clash(
            self._listed_members(), [*body['owned'], *self._sent_keys()], body['members'])
        if clash is not None:
            raise octavia_api.OctaviaClientException(409, message=clash)
        self._remember_sent_keys(
            added=[octavia.member_identity(m) for m in body['members']])
        member.replace_pool_members(self.client(), self._pool_id(), body['members'],
                                    additive_only=True)
        if action == lifecycle.CREATE:
            self.resource_id_set(self._pool_id())

    # --- live state: the listed members in the property's shape -----------------------

    def parse_live_resource_data(self, resource_properties, resource_data):
        return {self.MEMBERS: live_members_as_in_template(
            resource_properties[self.MEMBERS], resource_data['members'])}

    # --- API -------------------------------------------------------------------------

    def _api_show(self):
        return self.client().pool_show(self._pool_id())

    decide_on_status = staticmethod(decide_on_pool_status)

    def _description(self):
        return 'members of pool %s (resource %s)' % (self._pool_id(), self.name)

    # --- attributes --------------------------------------------------------------------

    def _listed_members(self):
        return self.client().member_list(self._pool_id())['members']

    def _show_resource(self):
        return {'members': self._listed_members()}

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        # What this resource sent (kept in its data), not its properties: Heat
        # resolving one output loads this resource alone, and the member list in the
        # properties names other resources' attributes (a server's address).
        owned = self._sent_keys()
        listed = [m for m in self._listed_members()
                  if octavia.member_identity(m) in owned]
        if name == self.COUNT_ATTR:
            return len(listed)
        if name == self.MEMBER_IDS_ATTR:
            return {octavia.member_identity_text(octavia.member_identity(m)): m['id']
                    for m in listed}
        return None
