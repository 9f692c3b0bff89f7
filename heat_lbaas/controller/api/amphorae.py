"""/v2/octavia/amphorae: each load balancer's amphora, its running HAProxy master.

Nothing is stored: an amphora is what runs. Its id is derived from the load
balancer, the master's PID and the master's start time, so it stays the same across
reloads (the master re-executes itself in place) and controller restarts (the master
is adopted), and is new after a failover (a new master), as a failover brings a new
amphora in Octavia. A load balancer whose master is not running has no amphora.

Fields Octavia fills from Nova and Neutron are filled from what stands in for them:
the VIP is the HA and VRRP address, the load balancer's VIP port id its HA port;
compute and VRRP port ids are derived from the amphora id (stable, never reused). The
controller talks to its amphorae over Unix sockets, not a management network, so
lb_network_ip is null; there is no image, no VRRP and no certificate.
"""
import datetime
import os
import uuid

from heat_lbaas.controller import admin_model
from heat_lbaas.controller import model
from heat_lbaas.controller.api import errors
from heat_lbaas.controller.api import loadbalancers
from heat_lbaas.controller.api import provisioning

# Fixed, so the same process always gets the same ids.
NAMESPACE = uuid.UUID('4f1b2a3c-6d0e-5b7a-9c8d-2e1f0a3b4c5d')
STANDALONE, ALLOCATED = 'STANDALONE', 'ALLOCATED'
# Statuses from which `PUT .../config` re-applies the configuration at once; a load
# balancer being changed gets it rendered by that change anyway.
RECONFIGURABLE = ('ACTIVE', 'ERROR')


def _derived(amphora_id, what):
    return str(uuid.uuid5(NAMESPACE, '%s/%s' % (amphora_id, what)))


def _boot_time():
    with open('/proc/stat') as stat:
        for line in stat:
            if line.startswith('btime '):
                return int(line.split()[1])
    raise OSError('no btime in /proc/stat')


def _started(pid):
    """(start time in clock ticks after boot, as ISO 8601 UTC) of a process."""
    with open('/proc/%d/stat' % pid) as stat:
        ticks = int(stat.read().rsplit(')', 1)[1].split()[19])
    seconds = _boot_time() + ticks / os.sysconf('SC_CLK_TCK')
    when = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return ticks, when.replace(tzinfo=None).isoformat()


class Amphorae:
    object_type = admin_model.AMPHORA

    def __init__(self, context):
        self.context = context
        self.store = context.store
        # The amphora driver, which the statistics read through.
        self.driver = context.stats.driver

    def _of(self, lb):
        master_pid = getattr(self.driver, 'master_pid', None)
        pid = master_pid(lb['id']) if master_pid else None
        if pid is None:
            return None
        try:
            ticks, created_at = _started(pid)
        except (OSError, ValueError, IndexError):
            return None     # it ended meanwhile
        amphora_id = str(uuid.uuid5(NAMESPACE, '%s/%d/%d' % (lb['id'], pid, ticks)))
        changed = lb['updated_at'] or lb['created_at'] or created_at
        return {
            'id': amphora_id, 'loadbalancer_id': lb['id'],
            'compute_id': _derived(amphora_id, 'compute'),
            'lb_network_ip': None,
            'vrrp_ip': lb['vip_address'], 'ha_ip': lb['vip_address'],
            'vrrp_port_id': _derived(amphora_id, 'vrrp_port'),
            'ha_port_id': lb['vip_port_id'],
            'cert_expiration': None, 'cert_busy': False,
            'role': STANDALONE, 'status': ALLOCATED,
            'vrrp_interface': None, 'vrrp_id': None, 'vrrp_priority': None,
            'cached_zone': lb['availability_zone'],
            'created_at': created_at, 'updated_at': max(created_at, changed),
            'image_id': None, 'compute_flavor': None,
        }

    def list(self):
        amphorae = []
        for lb in self.store.find(model.LOADBALANCER):
            if lb['provisioning_status'] not in ('DELETED', 'PENDING_DELETE'):
                amphora = self._of(lb)
                if amphora is not None:
                    amphorae.append(amphora)
        return amphorae

    def get(self, amphora_id):
        for amphora in self.list():
            if amphora['id'] == amphora_id:
                return amphora
        raise errors.NotFound(self.object_type.title, amphora_id)

    def failover(self, amphora_id):
        """Octavia's amphora failover: the load balancer's amphora is replaced."""
        loadbalancers.LoadBalancers(self.context).failover(
            self.get(amphora_id)['loadbalancer_id'])

    def configure(self, amphora_id):
        """Render the load balancer's configuration again from the database and have
        the amphora load it (a reload: the amphora stays the same)."""
        lb_id = self.get(amphora_id)['loadbalancer_id']
        with self.store.transaction():
            lb = self.store.get(model.LOADBALANCER, lb_id)
            if lb['provisioning_status'] in RECONFIGURABLE:
                provisioning.set_status(self.store, model.LOADBALANCER, lb,
                                        'PENDING_UPDATE')
        self.context.worker.submit(lb_id)

    def stats(self, amphora_id):
        """Octavia's amphora_stats: one entry per listener of the amphora."""
        amphora = self.get(amphora_id)
        lb_id = amphora['loadbalancer_id']
        entries = []
        for listener in self.store.find(model.LISTENER, loadbalancer_id=lb_id):
            counters = self.context.stats.for_listener(lb_id, listener['id'])
            entries.append(dict(counters, id=amphora_id, listener_id=listener['id'],
                                loadbalancer_id=lb_id))
        return entries
