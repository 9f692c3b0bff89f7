"""/v2/lbaas/listeners."""
import ipaddress

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller.api import lvs_rules
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import listener_options
from heat_lbaas.controller.api import tls_options
from heat_lbaas.controller.db import topologies

PROMETHEUS = 'PROMETHEUS'
# Which pool protocols each listener protocol can send traffic to (Octavia's table).
COMPATIBLE_POOL_PROTOCOLS = {
    'HTTP': ('HTTP', 'PROXY', 'PROXYV2'),
    'HTTPS': ('HTTPS', 'PROXY', 'PROXYV2', 'TCP'),
    'TCP': ('HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP'),
    'TERMINATED_HTTPS': ('HTTP', 'PROXY', 'PROXYV2'),
    'UDP': ('UDP',),
    'SCTP': ('SCTP',),
}


def check_protocols(listener_protocol, pool_protocol):
    if pool_protocol not in COMPATIBLE_POOL_PROTOCOLS.get(listener_protocol, ()):
        raise errors.ValidationFailure(
            "The pool protocol '%s' is invalid while the listener protocol is '%s'."
            % (pool_protocol, listener_protocol))


def check_may_have_children(protocol):
    """Octavia's ListenerNoChildren: a PROMETHEUS listener serves the load balancer's
    metrics itself, so it takes no default pool, pool or L7 policy."""
    if protocol == PROMETHEUS:
        raise errors.ListenerNoChildren(protocol)


def check_port_free(values, others):
    """Octavia's DuplicateListenerEntry (409) if one of the load balancer's `others`
    listens on the port with the same transport protocol, naming that one's protocol
    (a UDP or SCTP listener may share a TCP one's port)."""
    transport = octavia.TRANSPORT_PROTOCOLS[values['protocol']]
    for other in others:
        if (other['protocol_port'] == values['protocol_port'] and
                octavia.TRANSPORT_PROTOCOLS[other['protocol']] == transport):
            raise errors.Conflict(
                'Another Listener on this Load Balancer is already using protocol %s '
                'and protocol_port %s' % (other['protocol'], values['protocol_port']))


def check_cidrs_fit_vip(allowed_cidrs, lb):
    """Octavia's _validate_cidr_compatible_with_vip: each CIDR of the IP version of
    a VIP of the load balancer (it has one VIP here)."""
    vips = [lb['vip_address']]
    for cidr in allowed_cidrs or ():
        version = ipaddress.ip_network(cidr, strict=False).version
        if not any(ipaddress.ip_address(vip).version == version for vip in vips):
            raise errors.ValidationFailure(
                'CIDR %s IP version incompatible with all VIPs %s IP version.'
                % (cidr, vips))


class Listeners(base.Collection):
    object_type = model.LISTENER

    def check_rules(self, values, current=None):
        # Reads the certificate files `values` names: done before any database lock.
        protocol = (current or values)['protocol']
        listener_options.check(protocol, values, self.context.certificates, current)

    def create(self, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            lb = self.store.get(model.LOADBALANCER, values['loadbalancer_id'])
            if lb is None:
                raise errors.NotFound(model.LOADBALANCER.title, values['loadbalancer_id'])
            check_port_free(values, self.list(loadbalancer_id=lb['id']))
            check_cidrs_fit_vip(values.get('allowed_cidrs'), lb)
            self.context.capabilities.check_topology(
                values['protocol'], topologies.of_loadbalancer(self.store, lb))
            self._check_default_pool(values, lb['id'])
            self.lock_for_change(values)
            row = self.new_row(values, project_id or lb['project_id'])
        self.context.worker.submit(lb['id'])
        return row

    def _check_default_pool(self, values, lb_id, protocol=None):
        pool_id = values.get('default_pool_id')
        if not pool_id:
            return
        check_may_have_children(protocol or values['protocol'])
        pool = self.store.get(model.POOL, pool_id)
        if pool is None or pool['loadbalancer_id'] != lb_id:
            raise errors.NotFound(model.POOL.title, pool_id)
        check_protocols(protocol or values['protocol'], pool['protocol'])
        # The members of a pool no listener used yet were not held to the VIP's IP
        # version (api/members.py): they are now, as the kernel forwards datagrams
        # within one IP version (an IPv6 member of an IPv4 VIP would be left out).
        lvs_rules.check_member_ip_versions(
            pool['protocol'], [member['address'] for member in self.store.find(
                model.MEMBER, pool_id=pool_id) if member['provisioning_status'] != 'DELETED'],
            [self.store.get(model.LOADBALANCER, lb_id)['vip_address']],
            capabilities.PROVIDER)

    def update(self, listener_id, body):
        # Certificate files are read before the lock is taken (a slow file delays
        # only this request); a concurrent change of a reference meanwhile is a 409.
        values, validated = self.validate_update(body, lambda: self.get(listener_id))
        with self.store.transaction():
            listener = self.get(listener_id)
            self.require_mutable(listener)
            tls_options.references_unchanged(listener_options.REFERENCE_FIELDS,
                                             validated, listener)
            if values.get('allowed_cidrs'):
                check_cidrs_fit_vip(values['allowed_cidrs'], self.store.get(
                    model.LOADBALANCER, listener['loadbalancer_id']))
            self._check_default_pool(values, listener['loadbalancer_id'],
                                     listener['protocol'])
            self.lock_for_change(listener)
            row = self.save_update(listener, values)
        self.context.worker.submit(listener['loadbalancer_id'])
        return row

    def delete(self, listener_id):
        with self.store.transaction():
            listener = self.get(listener_id)
            self.require_mutable(listener)
            self.lock_for_change(listener)
            # Octavia removes the listener's L7 policies and their rules with it.
            self.mark_deleted(listener)
        self.context.worker.submit(listener['loadbalancer_id'])
