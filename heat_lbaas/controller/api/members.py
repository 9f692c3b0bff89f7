"""/v2/lbaas/pools/{pool_id}/members."""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller.api import lvs_rules


class Members(base.NestedCollection):
    object_type = model.MEMBER

    def create(self, pool_id, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            pool = self.parent(pool_id)
            for other in self.list(pool_id=pool_id):
                if model.member_address_port(other) == model.member_address_port(values):
                    raise errors.Conflict(
                        'Another member on this pool is already using ip %s on '
                        'protocol_port %s' % (values['address'], values['protocol_port']))
            self.check_ip_versions(pool, [values['address']])
            values['pool_id'] = pool_id
            self.lock_for_change(values)
            row = self.new_row(values, project_id or pool['project_id'])
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def check_ip_versions(self, pool, addresses):
        """The amphora provider's IP version rule of UDP and SCTP pools' members."""
        if not lvs_rules.is_lvs(pool['protocol']):
            return
        lb = self.store.get(model.LOADBALANCER, pool['loadbalancer_id'])
        used = any(listener['provisioning_status'] != 'DELETED' for listener in
                   self.store.find(model.LISTENER, default_pool_id=pool['id']))
        lvs_rules.check_member_ip_versions(pool['protocol'], addresses,
                                           [lb['vip_address']] if used else [],
                                           capabilities.PROVIDER)

    def update(self, pool_id, member_id, body):
        with self.store.transaction():
            values, member = self.validate_update(
                body, lambda: self.get_in_parent(pool_id, member_id))
            pool = self.parent(pool_id)
            self.lock_for_change(member)
            row = self.save_update(member, values)
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def delete(self, pool_id, member_id):
        with self.store.transaction():
            member = self.get_in_parent(pool_id, member_id)
            pool = self.parent(pool_id)
            self.lock_for_change(member)
            self.mark_deleted(member)
        self.context.worker.submit(pool['loadbalancer_id'])
