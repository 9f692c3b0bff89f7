"""The VRRP group of an ACTIVE_STANDBY load balancer: its two amphorae and their roles,
its virtual_router_id and password (Octavia's vrrp_group and amphora role columns).

Pure decisions, kept apart from the processes: which router id a new group takes on
the shared bridge, and who is MASTER after a failover. Octavia's amphora failover
gives the new amphora the failed one's role; here the amphora that kept serving
becomes MASTER and the rebuilt one BACKUP, so the roles shown match who holds the
VIP (keepalived's nopreempt keeps it where it is).
"""
import secrets

from heat_lbaas.controller.amphora import keepalived_render

MASTER, BACKUP = keepalived_render.MASTER, keepalived_render.BACKUP


class NoRouterIdLeft(Exception):
    """All 255 virtual_router_ids of the bridge are taken."""


def free_vrrp_id(taken):
    """The lowest virtual_router_id no other group on the bridge uses."""
    for vrrp_id in keepalived_render.VRRP_IDS:
        if vrrp_id not in taken:
            return vrrp_id
    raise NoRouterIdLeft('every VRRP router id (1-255) is in use on the bridge: at '
                         'most 255 ACTIVE_STANDBY load balancers')


def new_group(taken_vrrp_ids, master_id, backup_id):
    return {'vrrp_id': free_vrrp_id(taken_vrrp_ids),
            # Octavia: 7 characters of a random UUID; keepalived reads up to 8.
            'auth_pass': secrets.token_hex(4),
            'amphorae': [{'id': master_id, 'role': MASTER},
                         {'id': backup_id, 'role': BACKUP}]}


def role_of(group, amphora_id):
    for amphora in group['amphorae']:
        if amphora['id'] == amphora_id:
            return amphora['role']
    raise KeyError(amphora_id)


def peer_of(group, amphora_id):
    role_of(group, amphora_id)
    return next(a['id'] for a in group['amphorae'] if a['id'] != amphora_id)


def after_failover(group, failed_id, new_id):
    """The group once `failed_id` is replaced by `new_id`: the survivor MASTER, the
    new amphora BACKUP; router id and password unchanged."""
    survivor = peer_of(group, failed_id)
    return dict(group, amphorae=[{'id': survivor, 'role': MASTER},
                                 {'id': new_id, 'role': BACKUP}])
