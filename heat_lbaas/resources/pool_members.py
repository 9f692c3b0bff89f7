"""LBaaS::PoolMembers: every member of a pool as one list, changed with one API call.

Separate LBaaS::Member resources make one request per member, and each request locks
the load balancer (PENDING_UPDATE) so that siblings queue behind it through 409s. A scale
event of N members is here one `PUT /v2/lbaas/pools/{pool_id}/members` with the whole
new list: Octavia matches members by address and port, creates the new ones, updates the
kept ones and deletes the missing ones, in one provisioning cycle (one HAProxy reload on
the bundled controller).
"""

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties

from heat_lbaas.resources import checked_properties
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import lifecycle_properties
from heat_lbaas.resources import member
from heat_lbaas.resources import octavia_object
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
    API's to choose: lifecycle.live_values_to_compare); members the template lacks follow
    with their address and port, and members missing from the pool are absent, so both
    count as differences.
    """
    live_by_key = {lifecycle.member_key(m): m for m in live_members}
    result = []
    for entry in template_members or ():
        shown = live_by_key.pop(lifecycle.member_key(entry), None)
        if shown is None:
            continue
        result.append({
            key: None if value is None
            else shown.get(member.Member.FIELD_OF_PROPERTY.get(key, key))
            for key, value in entry.items()})
    result.extend({'address': m['address'], 'protocol_port': m['protocol_port']}
                  for m in live_by_key.values())
    return result


def decide_on_pool_status(action, provisioning_status, description):
    """Whether a batch change is complete, from its pool's provisioning_status.

    Whatever the stack action, the batch change is an update of the pool (even removing
    every member at delete leaves the pool in place): done when the pool is ACTIVE again.
    """
    return lifecycle.decide_on_provisioning_status(
        lifecycle.UPDATE, provisioning_status, description)


class PoolMembers(checked_properties.ChecksPropertyRules, octavia_object.OctaviaObject):
    """All members of a pool, as one list; one batch API call per change.

    The physical resource id is the pool's id (this resource is the pool's member set).
    Members are matched by address and protocol_port: changing a member's weight, name,
    backup, monitor_* or admin_state_up updates it in place; a new address:port creates
    a member, a missing one deletes it. Use it instead of, not beside, LBaaS::Member
    resources of the same pool: each change sets the complete list.

    Members that leave are drained first (`drain_seconds`): a change that removes some is
    two batch requests (the leaving ones at weight 0, then without them), one that
    removes none stays one request.
    """

    OCTAVIA_KIND = 'Pool'

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
            _('Every member of the pool; each address:port at most once. A change is '
              'one batch request for the whole list.'),
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
        COUNT_ATTR: (property_schemas.INTEGER, _('Number of members of the pool.')),
    })

    def translation_rules(self, props):
        return property_schemas.name_or_id_rules(self, props, {self.POOL: 'get_pool'})

    def property_problem(self):
        return property_rules.member_list_problem(self.properties[self.MEMBERS])

    def _pool_id(self):
        return self.properties[self.POOL]

    # --- request bodies: always the whole list -------------------------------------

    def _create_body(self):
        return member_bodies(self.properties[self.MEMBERS])

    def _update_body(self, prop_diff):
        # Only `members` can change in place, and its new value is the whole list.
        return member_bodies(prop_diff[self.MEMBERS])

    # --- drain: leaving members at weight 0 first (lifecycle.batches_of_member_change) --

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        operation = super().handle_update(json_snippet, tmpl_diff, prop_diff)
        if operation is None or operation['action'] != lifecycle.UPDATE:
            return operation   # nothing to send, or a recreate of a pool in ERROR
        new_properties = json_snippet.properties(self.properties_schema, self.context)
        drain_seconds = new_properties[self.DRAIN_SECONDS]
        batches = lifecycle.batches_of_member_change(
            self._listed_members(), operation['body'], drain_seconds,
            whole_stack_deleted=False)
        if len(batches) == 1:
            return operation
        drained, desired = batches
        return octavia_object.Operation.start(
            lifecycle.UPDATE, drained,
            then=[(octavia_object.DRAIN_WAIT, drain_seconds), (lifecycle.UPDATE, desired)]
            + operation['then'])

    def _drain_steps(self):
        # The resource itself is deleted (not the whole stack): every member leaves.
        if self._current_provisioning_status() != lifecycle.ACTIVE:
            return []   # a pool in ERROR takes no update; a missing one serves nothing
        drain_seconds = self.properties[self.DRAIN_SECONDS]
        batches = lifecycle.batches_of_member_change(
            self._listed_members(), [], drain_seconds, self._whole_stack_is_deleted())
        if len(batches) == 1:
            return []
        return [(lifecycle.UPDATE, batches[0]), (octavia_object.DRAIN_WAIT, drain_seconds)]

    # --- live state: the listed members in the property's shape -----------------------

    def parse_live_resource_data(self, resource_properties, resource_data):
        return {self.MEMBERS: live_members_as_in_template(
            resource_properties[self.MEMBERS], resource_data['members'])}

    # --- API -------------------------------------------------------------------------

    def _api_create(self, body):
        member.replace_pool_members(self.client(), self._pool_id(), body)
        return {'id': self._pool_id()}

    def _api_update(self, body):
        member.replace_pool_members(self.client(), self._pool_id(), body)

    def _api_delete(self):
        member.replace_pool_members(self.client(), self._pool_id(), [])

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
        listed = self._listed_members()
        if name == self.COUNT_ATTR:
            return len(listed)
        if name == self.MEMBER_IDS_ATTR:
            return {property_rules.member_key(m): m['id'] for m in listed}
        return None
