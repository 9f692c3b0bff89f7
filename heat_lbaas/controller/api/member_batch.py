"""PUT /v2/lbaas/pools/{pool_id}/members: set a pool's members in one change.

As Octavia's batch member update: members are matched with the pool's current ones
by (address as given, protocol_port); a match is updated (its writable fields only), a new
pair is created and, unless `additive_only`, a current member the request does not
name is deleted. Every member is validated before anything changes, and the whole
change is one provisioning cycle (pool and load balancer PENDING_UPDATE, members
PENDING_CREATE/UPDATE/DELETE), which the worker applies as one amphora reload
rather than one per member, so scaling a pool by N costs one reload, not N.
"""
from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import members as members_module

WRITABLE = frozenset(f.name for f in model.MEMBER.fields if f.access == model.WRITABLE)


class MemberBatch:
    def __init__(self, context):
        self.context = context
        self.store = context.store
        self.members = members_module.Members(context)

    def validate(self, body):
        """[(fields as sent, validated values)] of every member, or an ApiError."""
        if not isinstance(body, dict) or not isinstance(body.get('members'), list):
            raise errors.InvalidInput('members', body, 'Mandatory field missing.')
        unknown = sorted(set(body) - {'members'})
        if unknown:
            raise errors.InvalidInput('members', body, 'Unknown attribute for '
                                      'argument members: %s' % ', '.join(unknown))
        wanted, seen = [], set()
        for sent in body['members']:
            values = self.members.validate_create({'member': sent})
            # Two spellings of one address are one backend.
            key = model.member_address_port(values)
            if key in seen:
                raise errors.ValidationFailure(
                    'Member with address %s and protocol_port %s appears more than '
                    'once in the request.' % (values['address'], values['protocol_port']))
            seen.add(key)
            wanted.append((sent, values))
        return wanted

    def replace(self, pool_id, body, additive_only, project_id):
        wanted = self.validate(body)
        with self.store.transaction():
            pool = self.members.parent(pool_id)
            self.members.check_ip_versions(pool, [v['address'] for _, v in wanted])
            self.members.lock_for_change({'pool_id': pool_id})
            current = {octavia.member_identity(m): m
                       for m in self.members.list(pool_id=pool_id)}
            for sent, values in wanted:
                existing = current.pop(octavia.member_identity(values), None)
                if existing is not None:
                    # Only what the request sets changes, as Octavia's update of a
                    # matched member; address, port and subnet stay as created.
                    self.members.save_update(existing, {
                        name: values[name] for name in sent if name in WRITABLE})
                else:
                    values['pool_id'] = pool_id
                    self.members.new_row(values, project_id or pool['project_id'])
            if not additive_only:
                for member in current.values():
                    self.members.mark_deleted(member)
        self.context.worker.submit(pool['loadbalancer_id'])
