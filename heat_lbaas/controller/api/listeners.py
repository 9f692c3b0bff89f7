"""/v2/lbaas/listeners."""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller.api import errors
from heat_lbaas.controller.api import listener_options
from heat_lbaas.controller.api import tls_options

# Which pool protocols each listener protocol can send traffic to (Octavia's table).
COMPATIBLE_POOL_PROTOCOLS = {
    'HTTP': ('HTTP', 'PROXY', 'PROXYV2'),
    'HTTPS': ('HTTPS', 'PROXY', 'PROXYV2', 'TCP'),
    'TCP': ('HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP'),
    'TERMINATED_HTTPS': ('HTTP', 'PROXY', 'PROXYV2'),
}


def check_protocols(listener_protocol, pool_protocol):
    if pool_protocol not in COMPATIBLE_POOL_PROTOCOLS.get(listener_protocol, ()):
        raise errors.ValidationFailure(
            "The pool protocol '%s' is invalid while the listener protocol is '%s'."
            % (pool_protocol, listener_protocol))


class Listeners(base.Collection):
    object_type = model.LISTENER

    def create(self, body, project_id):
        values = self.validate_create(body)
        listener_options.check(values['protocol'], values, self.context.certificates)
        with self.store.transaction():
            lb = self.store.get(model.LOADBALANCER, values['loadbalancer_id'])
            if lb is None:
                raise errors.NotFound(model.LOADBALANCER.title, values['loadbalancer_id'])
            self._check_port_free(values)
            self._check_default_pool(values, lb['id'])
            self.lock_for_change(values)
            row = self.new_row(values, project_id or lb['project_id'])
        self.context.worker.submit(lb['id'])
        return row

    def _check_port_free(self, values):
        for other in self.list(loadbalancer_id=values['loadbalancer_id']):
            if other['protocol_port'] == values['protocol_port']:
                raise errors.Conflict(
                    'Another Listener on this Load Balancer is already using '
                    'protocol %s and protocol_port %s'
                    % (values['protocol'], values['protocol_port']))

    def _check_default_pool(self, values, lb_id, protocol=None):
        pool_id = values.get('default_pool_id')
        if not pool_id:
            return
        pool = self.store.get(model.POOL, pool_id)
        if pool is None or pool['loadbalancer_id'] != lb_id:
            raise errors.NotFound(model.POOL.title, pool_id)
        check_protocols(protocol or values['protocol'], pool['protocol'])

    def update(self, listener_id, body):
        values = self.validate_update(body)
        # Certificate files are read before the lock is taken (a slow file delays
        # only this request); a concurrent change of a reference meanwhile is a 409.
        validated = self.get(listener_id)
        listener_options.check(validated['protocol'], values, self.context.certificates,
                               validated)
        with self.store.transaction():
            listener = self.get(listener_id)
            self.require_mutable(listener)
            tls_options.references_unchanged(listener_options.REFERENCE_FIELDS,
                                             validated, listener)
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
