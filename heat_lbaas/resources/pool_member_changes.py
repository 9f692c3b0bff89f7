"""LBaaS::PoolMembers: how a resource changes the members it owns in a pool without
touching members of others (one additive batch, then one DELETE per leaving member)."""

import dataclasses

from heat_lbaas import octavia_vocabulary as octavia


DUPLICATE_MEMBER = ('Another member on this pool is already using ip %s on '
                    'protocol_port %s')


def foreign_member_clash(listed_members, owned_keys, sent_members):
    """Octavia's duplicate-member message for the first member of an additive batch
    whose address:port the pool has already although this resource did not create it,
    else None.

    An additive batch (`additive_only=true`) UPDATES an existing member with the same
    address:port: without this check it would adopt a member another client created.
    """
    owned = {tuple(key) for key in owned_keys}
    listed = {octavia.member_identity(m) for m in listed_members}
    for sent in sent_members:
        key = octavia.member_identity(sent)
        if key in listed and key not in owned:
            return DUPLICATE_MEMBER % key
    return None


@dataclasses.dataclass(frozen=True)
class PoolMemberChange:
    """The requests that change the members a resource owns in a pool.

    `batch`: body (member list) of one ADDITIVE batch update (creates and updates only,
    never removes), None when nothing is to be sent; `drain_seconds` to wait after it;
    `leaving`: the owned members to remove, each by its own DELETE, as
    {'id': member id, 'key': [address, port]}.
    """

    batch: list
    drain_seconds: float
    leaving: list


def plan_pool_member_change(listed_members, owned_keys, desired_members, drain_seconds,
                            whole_stack_deleted):
    """How a resource changes ITS members of a pool from `owned_keys` (address:port
    pairs it created) to `desired_members` (create bodies), given the pool's members
    as listed now.

    Octavia has no conditional batch call, so a non-additive batch (the whole list)
    would delete a member another client added between the list and the request.
    Instead: one additive batch with the desired members, plus the leaving ones at
    weight 0 when a drain time is asked for (drain_is_needed); then one DELETE per
    leaving member, by id. Members the resource does not own are never sent nor removed.
    """
    owned = {tuple(key) for key in owned_keys}
    desired_keys = {octavia.member_identity(m) for m in desired_members}
    leaving = [m for m in listed_members
               if octavia.member_identity(m) in owned - desired_keys]
    drained = []
    if drain_seconds > 0 and not whole_stack_deleted:
        drained = [{**batch_fields(m), 'weight': 0} for m in leaving
                   if m.get('weight', 1) != 0]
    batch = list(desired_members) + drained
    return PoolMemberChange(batch=batch or None,
                            drain_seconds=drain_seconds if drained else 0,
                            leaving=[{'id': m['id'],
                                      'key': list(octavia.member_identity(m))}
                                     for m in leaving])


# Fields a member in a batch update body may carry (the rest of a shown member, such as
# ids and statuses, is read-only).
_BATCH_MEMBER_FIELDS = ('address', 'protocol_port', 'name', 'subnet_id', 'weight',
                        'admin_state_up', 'monitor_address', 'monitor_port', 'backup',
                        'tags')


def batch_fields(member):
    """A member as the API shows it, reduced to what a batch update body carries; unset
    fields (null in a shown member) are left out, as in any create body."""
    return {k: v for k, v in member.items() if k in _BATCH_MEMBER_FIELDS and v is not None}
