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
    l7policies: list = dataclasses.field(default_factory=list)
    l7rules: list = dataclasses.field(default_factory=list)

    def objects(self):
        """(object type, row) of every object, children before parents."""
        for object_type, rows in ((model.L7RULE, self.l7rules),
                                  (model.L7POLICY, self.l7policies),
                                  (model.MEMBER, self.members),
                                  (model.HEALTH_MONITOR, self.healthmonitors),
                                  (model.POOL, self.pools),
                                  (model.LISTENER, self.listeners),
                                  (model.LOADBALANCER, [self.loadbalancer])):
            for row in rows:
                yield object_type, row

    def members_of(self, pool_id):
        return [m for m in self.members if m['pool_id'] == pool_id]

    def l7policies_of(self, listener_id):
        """The listener's L7 policies in position order."""
        return sorted((p for p in self.l7policies if p['listener_id'] == listener_id),
                      key=lambda p: p['position'])

    def l7rules_of(self, policy_id):
        return [r for r in self.l7rules if r['l7policy_id'] == policy_id]

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
        listeners = store.find(model.LISTENER, loadbalancer_id=lb_id)
        l7policies, l7rules = [], []
        for listener in listeners:
            l7policies += store.find(model.L7POLICY, listener_id=listener['id'])
        for policy in l7policies:
            l7rules += store.find(model.L7RULE, l7policy_id=policy['id'])
        return LoadBalancerTree(lb, listeners, pools, members, healthmonitors,
                                l7policies, l7rules)
