"""A load balancer and everything under it, read in one transaction."""
import dataclasses

from heat_lbaas.controller import model


@dataclasses.dataclass
class LoadBalancerTree:
    loadbalancer: dict
    listeners: list
    pools: list
    members: list
    healthmonitors: list

    def objects(self):
        """(object type, row) of every object, children before parents."""
        for object_type, rows in ((model.MEMBER, self.members),
                                  (model.HEALTH_MONITOR, self.healthmonitors),
                                  (model.POOL, self.pools),
                                  (model.LISTENER, self.listeners),
                                  (model.LOADBALANCER, [self.loadbalancer])):
            for row in rows:
                yield object_type, row

    def members_of(self, pool_id):
        return [m for m in self.members if m['pool_id'] == pool_id]

    def healthmonitor_of(self, pool_id):
        return next((h for h in self.healthmonitors if h['pool_id'] == pool_id), None)


def load_tree(store, lb_id):
    with store.transaction():
        lb = store.get(model.LOADBALANCER, lb_id)
        if lb is None:
            return None
        pools = store.find(model.POOL, loadbalancer_id=lb_id)
        members, healthmonitors = [], []
        for pool in pools:
            members += store.find(model.MEMBER, pool_id=pool['id'])
            healthmonitors += store.find(model.HEALTH_MONITOR, pool_id=pool['id'])
        return LoadBalancerTree(lb, store.find(model.LISTENER, loadbalancer_id=lb_id),
                                pools, members, healthmonitors)
