"""/v2/lbaas/pools/{pool_id}/members."""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller.api import errors
from heat_lbaas.controller.api import provisioning


class Members(base.Collection):
    object_type = model.MEMBER

    def pool(self, pool_id):
        pool = self.store.get(model.POOL, pool_id)
        if pool is None:
            raise errors.NotFound(model.POOL.title, pool_id)
        return pool

    def get_in_pool(self, pool_id, member_id):
        self.pool(pool_id)
        member = self.get(member_id)
        if member['pool_id'] != pool_id:
            raise errors.NotFound(model.MEMBER.title, member_id)
        return member

    def create(self, pool_id, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            pool = self.pool(pool_id)
            for other in self.list(pool_id=pool_id):
                if (other['address'], other['protocol_port']) == (
                        values['address'], values['protocol_port']):
                    raise errors.Conflict(
                        'Another member on this pool is already using ip %s on '
                        'protocol_port %s' % (values['address'], values['protocol_port']))
            provisioning.lock_for_pool_child_change(self.store, pool)
            values['pool_id'] = pool_id
            row = self.new_row(values, project_id or pool['project_id'],
                               operating_status='NO_MONITOR')
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def update(self, pool_id, member_id, body):
        values = self.validate_update(body)
        with self.store.transaction():
            member = self.get_in_pool(pool_id, member_id)
            pool = self.pool(pool_id)
            provisioning.lock_for_pool_child_change(self.store, pool)
            row = self.save_update(member, values)
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def delete(self, pool_id, member_id):
        with self.store.transaction():
            member = self.get_in_pool(pool_id, member_id)
            pool = self.pool(pool_id)
            provisioning.lock_for_pool_child_change(self.store, pool)
            self.mark_deleted(member)
        self.context.worker.submit(pool['loadbalancer_id'])
