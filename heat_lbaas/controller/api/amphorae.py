"""/v2/octavia/amphorae: each load balancer's amphora, the HAProxy master serving it.

An amphora is recorded (db/amphorae.py) the first time it is asked for and its record
follows the master: the same through reloads (the master re-executes itself in place)
and controller restarts (the master is adopted), a new amphora once a different
master serves (a failover, or a restart after the master died), as a failover brings
a new amphora in Octavia. A load balancer that serves nothing (no listener yet) has
no HAProxy process but still its amphora, as in Octavia; failing it over gives it a
new one.

Fields Octavia fills from Nova and Neutron are filled from what stands in for them:
the VIP is the HA and VRRP address, the load balancer's VIP port its HA port; the
compute and VRRP port ids are derived from the amphora id (stable, never reused). The
controller talks to its amphorae over Unix sockets, not a management network, so
lb_network_ip is null; there is no image, no VRRP and no certificate.

An ACTIVE_STANDBY load balancer (amphora/active_standby.py) has two amphorae, MASTER
and BACKUP, as its driver keeps them: each with its own address (vrrp_ip, also its
lb_network_ip), the VIP as ha_ip, Octavia's priorities (100, 90), its
virtual_router_id and interface. Failing one over rebuilds that one only (as the new
BACKUP); a new amphora gets a new id.
"""
import uuid

from heat_lbaas.controller import admin_model
from heat_lbaas.controller import model
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import loadbalancers
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller.db import amphorae as amphora_records
from heat_lbaas.controller.db import store as store_module

# Fixed, so an amphora's derived ids (compute, VRRP port) never change.
NAMESPACE = uuid.UUID('4f1b2a3c-6d0e-5b7a-9c8d-2e1f0a3b4c5d')
STANDALONE, ALLOCATED, BOOTING = 'STANDALONE', 'ALLOCATED', 'BOOTING'
# Statuses from which `PUT .../config` re-applies the configuration at once; a load
# balancer being changed gets it rendered by that change anyway.
RECONFIGURABLE = ('ACTIVE', 'ERROR')


def _derived(amphora_id, what):
    return str(uuid.uuid5(NAMESPACE, '%s/%s' % (amphora_id, what)))


class Amphorae:
    object_type = admin_model.AMPHORA

    def __init__(self, context):
        self.context = context
        self.store = context.store

    @property
    def driver(self):
        # The amphora driver, which the statistics read through.
        return self.context.stats.driver

    def _record(self, lb, record):
        """The amphora record of `lb` brought up to date with its master."""
        master = self.driver.incarnation(lb['id'])
        now = store_module.utcnow()
        if record is not None and master is not None and record['master'] != master:
            if record['master'] is None:
                # The first master of a load balancer that served nothing before.
                record.update(master=master, updated_at=now)
                amphora_records.update(self.store, record['id'],
                                       {'master': master, 'updated_at': now})
                return record
            amphora_records.delete(self.store, record['id'])
            record = None
        if record is None:
            record = {'id': str(uuid.uuid4()), 'loadbalancer_id': lb['id'],
                      'master': master, 'created_at': now, 'updated_at': now}
            amphora_records.insert(self.store, record)
        return record

    def _view(self, lb, record):
        amphora_id = record['id']
        return {
            'id': amphora_id, 'loadbalancer_id': lb['id'],
            'compute_id': _derived(amphora_id, 'compute'),
            'lb_network_ip': None,
            'vrrp_ip': lb['vip_address'], 'ha_ip': lb['vip_address'],
            'vrrp_port_id': _derived(amphora_id, 'vrrp_port'),
            'ha_port_id': lb['vip_port_id'],
            'cert_expiration': None, 'cert_busy': False,
            'role': STANDALONE,
            'status': BOOTING if lb['provisioning_status'] == 'PENDING_CREATE'
            else ALLOCATED,
            'vrrp_interface': None, 'vrrp_id': None, 'vrrp_priority': None,
            'cached_zone': lb['availability_zone'],
            'created_at': record['created_at'], 'updated_at': record['updated_at'],
            'image_id': None, 'compute_flavor': None,
        }

    def _pair_view(self, lb, state):
        return dict(self._view(lb, {'id': state.amphora_id,
                                    'created_at': state.created_at,
                                    'updated_at': state.created_at}),
                    lb_network_ip=state.vrrp_ip, vrrp_ip=state.vrrp_ip, ha_ip=state.ha_ip,
                    role=state.role, vrrp_priority=state.vrrp_priority,
                    vrrp_id=state.vrrp_id, vrrp_interface=state.vrrp_interface,
                    vrrp_port_id=_derived(state.amphora_id, 'vrrp_port'),
                    compute_id=_derived(state.amphora_id, 'compute'))

    def list(self):
        """Every load balancer's amphorae (records of deleted ones are dropped)."""
        amphorae = []
        with self.store.transaction():
            records = amphora_records.all_records(self.store)
            for lb in self.store.find(model.LOADBALANCER):
                record = records.pop(lb['id'], None)
                if lb['provisioning_status'] in ('DELETED', 'PENDING_DELETE'):
                    continue
                pair = self.driver.amphorae(lb['id'])
                if pair:
                    amphorae.extend(self._pair_view(lb, state) for state in pair)
                    continue
                amphorae.append(self._view(lb, self._record(lb, record)))
            for gone in records.values():
                amphora_records.delete(self.store, gone['id'])
        return amphorae

    def get(self, amphora_id):
        for amphora in self.list():
            if amphora['id'] == amphora_id:
                return amphora
        raise errors.NotFound(self.object_type.title, amphora_id)

    def delete(self, amphora_id):
        """Octavia deletes only amphorae in ERROR; each one here serves its load
        balancer (a dead master is replaced, never left in ERROR), so: 409."""
        self.get(amphora_id)
        raise errors.Immutable('amphora', amphora_id)

    def failover(self, amphora_id):
        """Octavia's amphora failover: the load balancer's amphora is replaced (a
        new master; without one, a new record stands for the new amphora)."""
        lb_id = self.get(amphora_id)['loadbalancer_id']
        self.driver.request_amphora_failover(lb_id, amphora_id)
        loadbalancers.LoadBalancers(self.context).failover(lb_id)
        with self.store.transaction():
            if self.driver.incarnation(lb_id) is None:
                amphora_records.delete(self.store, amphora_id)

    def configure(self, amphora_id):
        """Render the load balancer's configuration again from the database and have
        the amphora load it (a reload: the amphora stays the same)."""
        lb_id = self.get(amphora_id)['loadbalancer_id']
        with self.store.transaction():
            lb = self.store.get(model.LOADBALANCER, lb_id)
            if lb['provisioning_status'] in RECONFIGURABLE:
                status_transitions.set_status(self.store, model.LOADBALANCER, lb,
                                        'PENDING_UPDATE')
        self.context.worker.submit(lb_id)

    def stats(self, amphora_id):
        """Octavia's amphora_stats: one entry per listener of the amphora."""
        amphora = self.get(amphora_id)
        lb_id = amphora['loadbalancer_id']
        entries = []
        # This amphora's own counters (Octavia's per amphora rows), not those of
        # the amphorae a failover replaced.
        incarnation = self.driver.incarnation(lb_id)
        for listener in self.store.find(model.LISTENER, loadbalancer_id=lb_id):
            counters = self.context.stats.for_listener(lb_id, listener['id'],
                                                       amphora=incarnation or '')
            entries.append(dict(counters, id=amphora_id, listener_id=listener['id'],
                                loadbalancer_id=lb_id))
        return entries
