"""LBaaS::Member: one backend server (address and port) of a pool.

Creates of sibling members (same pool, same Heat engine) are coalesced: while one holds
the load balancer's turn, the others enroll in member_batches.py, and the next one to get
the turn sends all of them in ONE additive batch request (PUT
/v2/lbaas/pools/{id}/members?additive_only=true), so N members cost a few provisioning
cycles, not N. Deletes are never batched: a batch that removes members must carry the
pool's whole member list, read just before, and would also remove a member another
client (or another heat-engine worker) added in between; each member is deleted by id.
"""

import time

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties
from octaviaclient.api import constants as octavia_paths
from octaviaclient.api.v2 import octavia as octavia_api

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.resources import api_errors
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import lifecycle_properties
from heat_lbaas.resources import member_batches
from heat_lbaas.resources import octavia_calls
from heat_lbaas.resources import octavia_object
from heat_lbaas.resources import parent_load_balancer
from heat_lbaas.resources import property_schemas


@octavia_api.correct_return_codes
def replace_pool_members(client, pool_id, members, additive_only=False):
    """One batch update: the pool's members become exactly `members` (API bodies); with
    `additive_only`, members not named stay (and named ones are created or updated).

    python-octaviaclient has no method for it; OctaviaAPI's own `create` (osc_lib's
    request helper, with the client's endpoint and session) sends it, and the decorator
    turns an error answer into OctaviaClientException like every other client call.
    """
    url = octavia_paths.BASE_MEMBER_URL.format(pool_id=pool_id)
    if additive_only:
        url += '?additive_only=true'
    return client.create(url, method='PUT', headers=client.JSON_HEADER,
                         json={'members': members})


class _ClaimedBySibling(Exception):
    """Only possible without a turn (load balancer unknown): a sibling's claim came first."""


class Member(octavia_object.OctaviaObject):
    """A member of a pool (property names follow OS::Octavia::PoolMember).

    `monitor_address` and `monitor_port` are updated in place (Octavia allows it), where
    OS::Octavia::PoolMember replaces the member and runs into a duplicate conflict.
    `subnet` is passed to Octavia as given, with no Neutron lookup.
    """

    OCTAVIA_KIND = 'Member'
    API = octavia_calls.OctaviaCalls('member', 'member', 'members',
                                     parent_id=octavia_calls.FIRST)
    URL_PARENT = 'pool'
    PARENTS = (parent_load_balancer.Parent('pool', 'Pool'),)

    PROPERTIES = (
        POOL, ADDRESS, PROTOCOL_PORT, MONITOR_ADDRESS, MONITOR_PORT,
        WEIGHT, ADMIN_STATE_UP, SUBNET, TAGS, NAME, BACKUP,
    ) = (
        'pool', 'address', 'protocol_port', 'monitor_address', 'monitor_port',
        'weight', 'admin_state_up', 'subnet', 'tags', 'name', 'backup',
    )

    FIELD_OF_PROPERTY = {
        POOL: None,  # part of the URL, not of the body
        SUBNET: 'subnet_id',
    }

    ATTRIBUTES = (
        ADDRESS_ATTR, PROTOCOL_PORT_ATTR, POOL_ID_ATTR, WEIGHT_ATTR,
        PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'address', 'protocol_port', 'pool_id', 'weight',
        'provisioning_status', 'operating_status',
    )

    properties_schema = {
        POOL: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the pool this member belongs to.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.pool')],
        ),
        ADDRESS: properties.Schema(
            properties.Schema.STRING,
            _('IP address on which the member answers.'),
            required=True,
            constraints=[constraints.CustomConstraint('ip_addr')],
        ),
        PROTOCOL_PORT: properties.Schema(
            properties.Schema.INTEGER,
            _('Port on which the member answers.'),
            required=True,
            constraints=[constraints.Range(1, 65535)],
        ),
        MONITOR_ADDRESS: properties.Schema(
            properties.Schema.STRING,
            _('Address the health monitor checks instead of the member address.'),
            constraints=[constraints.CustomConstraint('ip_addr')],
            update_allowed=True,
        ),
        MONITOR_PORT: properties.Schema(
            properties.Schema.INTEGER,
            _('Port the health monitor checks instead of the member port.'),
            constraints=[constraints.Range(1, 65535)],
            update_allowed=True,
        ),
        WEIGHT: properties.Schema(
            properties.Schema.INTEGER,
            _('Share of the traffic relative to the other members; 0 takes no new '
              'connections.'),
            default=1,
            constraints=[constraints.Range(0, 256)],
            update_allowed=True,
        ),
        ADMIN_STATE_UP: property_schemas.admin_state_up('member'),
        SUBNET: properties.Schema(
            properties.Schema.STRING,
            _('ID of the subnet on which the member is reached; passed to Octavia as '
              'subnet_id as given. By default the VIP subnet.'),
            constraints=[constraints.Length(min=1, max=255)],
        ),
        TAGS: property_schemas.tags('member'),
        NAME: property_schemas.name('member'),
        BACKUP: properties.Schema(
            properties.Schema.BOOLEAN,
            _('A backup member takes traffic only while no other member is healthy.'),
            default=False,
            update_allowed=True,
        ),
    }

    # The member's fields as the batch update and the load balancer tree take them:
    # everything but the pool, which is implied there.
    FIELDS_SCHEMA = property_schemas.without(properties_schema, POOL)

    # Readiness and drain steer this resource and are not member fields (not in
    # FIELDS_SCHEMA above); see lifecycle_properties.py.
    properties_schema = {**properties_schema, **lifecycle_properties.READINESS,
                         **lifecycle_properties.DRAIN}

    # The API cannot change these: a change deletes the member, then creates it anew.
    RECREATE_ON_CHANGE = (ADDRESS, PROTOCOL_PORT, SUBNET)

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('member'),
        ADDRESS_ATTR: (property_schemas.STRING, _('IP address of the member.')),
        PROTOCOL_PORT_ATTR: (property_schemas.INTEGER, _('Port of the member.')),
        POOL_ID_ATTR: (property_schemas.STRING, _('ID of the pool of the member.')),
        WEIGHT_ATTR: (property_schemas.INTEGER, _('Weight of the member.')),
        'backup': (property_schemas.BOOLEAN, _('Whether the member is a backup.')),
        'subnet_id': (property_schemas.STRING, _('ID of the subnet of the member.')),
        'monitor_address': (property_schemas.STRING,
                            _('Address the health monitor checks.')),
        'monitor_port': (property_schemas.INTEGER, _('Port the health monitor checks.')),
        'vnic_type': (property_schemas.STRING, _('VNIC type of the member port.')),
    })

    NAME_OR_ID_FINDERS = {POOL: 'get_pool'}

    def _pool_id(self):
        return self.properties[self.POOL]

    # --- coalescing creates and deletes (member_batches.py) ---------------------------

    BATCHED_ACTIONS = (lifecycle.CREATE,)

    def _member_key_of(self, operation):
        fields = operation['body'] or {}
        return (fields.get(self.ADDRESS), fields.get(self.PROTOCOL_PORT))

    def _listed_members(self, pool_id):
        return self.client().member_list(pool_id)['members']

    def _listed_member_id(self, pool_id, key):
        for listed in self._listed_members(pool_id):
            if octavia.member_identity(listed) == key:
                return listed['id']
        return None

    def _advance(self, operation):
        try:
            return super()._advance(operation)
        except BaseException:
            member_batches.withdraw(self._pool_id(), operation['token'])
            raise

    def _cancel(self, operation):
        if operation is not None:
            member_batches.withdraw(self._pool_id(), operation['token'])
        super()._cancel(operation)

    def _advance_step(self, operation):
        action = operation['action']
        if action not in self.BATCHED_ACTIONS or operation['requested']:
            return super()._advance_step(operation)
        pool_id, now = self._pool_id(), time.monotonic()
        entry = member_batches.enroll(
            pool_id, operation['token'], action, self._member_key_of(operation),
            operation['body'], self.resource_id, now)
        operation['solo'] = entry['solo']
        decision = lifecycle.decide_on_batch_entry(entry['state'])
        if decision.next is lifecycle.Next.WAIT:
            return False
        if decision.next is lifecycle.Next.SEND:
            try:
                return super()._advance_step(operation)
            except _ClaimedBySibling:
                return False   # next poll finds it sent (or back to waiting)
        # Sent in a sibling's batch: from here on, as if this resource had sent it.
        member_batches.withdraw(pool_id, operation['token'])
        if operation['began'] is None:
            operation['began'] = now
        operation['requested'] = True
        if action == lifecycle.CREATE:
            member_id = entry['member_id'] or self._listed_member_id(pool_id, entry['key'])
            if member_id is None:
                return self._carry_out(operation, lifecycle.decide_on_missing_object(
                    action, self._description()))
            self.resource_id_set(member_id)
        return self._carry_out(operation, self._decide_on_current_status(action))

    def _send(self, operation):
        """With the turn: this member and every sibling waiting for the same action, in
        one batch request; alone (the usual POST or DELETE) when nobody waits."""
        action, pool_id = operation['action'], self._pool_id()
        if action in self.BATCHED_ACTIONS and self._send_batch(operation):
            return
        member_batches.withdraw(pool_id, operation['token'])
        if action == lifecycle.CREATE and operation.get('solo'):
            # Sent alone because its address:port exists: a batch of siblings whose
            # answer was lost may have created it (then it carries the owner tag).
            found = lifecycle.lost_object(self._listed_members(pool_id), self.uuid)
            if found is not None:
                self.resource_id_set(found['id'])
                return
        super()._send(operation)

    def _send_batch(self, operation):
        action, token, pool_id = operation['action'], operation['token'], self._pool_id()
        batch = member_batches.claim(pool_id, token, action, time.monotonic())
        tokens = [t for t, _ in batch]
        if not tokens:
            # A sibling claimed it between this poll's look and now: wait for its batch.
            raise _ClaimedBySibling()
        if not lifecycle.batch_is_worth_it(tokens):
            member_batches.release(pool_id, tokens)
            return False
        try:
            listed = self._listed_members(pool_id)
            # Created by an earlier batch whose answer was lost: theirs already.
            created = lifecycle.members_created_already(
                [(t, entry['body']) for t, entry in batch], listed)
            if created:
                member_batches.settle(pool_id, created)
                if token in created:
                    member_batches.release(pool_id, [t for t in tokens if t not in created])
                    member_batches.withdraw(pool_id, token)
                    self.resource_id_set(created[token])
                    return True
                batch = [(t, entry) for t, entry in batch if t not in created]
            # An additive batch would update (adopt) a member with the same address:port
            # that someone else created: those go alone, as a POST that Octavia refuses.
            send, alone = lifecycle.split_create_batch(
                [(t, entry['key']) for t, entry in batch],
                [octavia.member_identity(m) for m in listed])
            member_batches.release(pool_id, alone, solo=True)
            if token in alone or not lifecycle.batch_is_worth_it(send):
                member_batches.release(pool_id, send)
                return False
            replace_pool_members(
                self.client(), pool_id,
                [entry['body'] for t, entry in batch if t in send], additive_only=True)
        except Exception as ex:
            error = api_errors.api_error_of(ex)
            lasting = error is not None and lifecycle.decide_on_api_error(
                action, *error).next is not lifecycle.Next.RETRY
            # Refused for good as a batch: each sends alone, and gets its own answer.
            member_batches.release(pool_id, tokens, solo=lasting)
            if lasting:
                return False
            raise
        key_of = dict((t, entry['key']) for t, entry in batch)
        try:
            ids = {octavia.member_identity(m): m['id']
                   for m in self._listed_members(pool_id)}
        except Exception:
            ids = {}   # each then looks for its own
        member_ids = {t: ids.get(key_of[t]) for t in send}
        member_batches.settle(pool_id, member_ids)
        member_batches.withdraw(pool_id, token)
        self.resource_id_set(member_ids[token] or
                             self._listed_member_id(pool_id, key_of[token]))
        return True

    def handle_delete(self):
        # Deleted one by one (never in a batch): with the whole stack and its load
        # balancer, the cascade delete removes the member without a request of its own.
        if self.resource_id is not None and self._load_balancer_is_deleted_with_stack():
            return None
        return super().handle_delete()

    def _resolve_attribute(self, name):
        if name == self.POOL_ID_ATTR:
            return self._pool_id()
        return super()._resolve_attribute(name)
