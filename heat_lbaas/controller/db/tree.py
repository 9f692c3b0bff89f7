"""A load balancer and everything under it, read in one transaction."""
import dataclasses

from heat_lbaas.controller import graph
from heat_lbaas.controller import model


@dataclasses.dataclass
class LoadBalancerTree:
    """The rows of each type under one load balancer; each list is named by its
    type's collection (graph.py loads them)."""
    loadbalancer: dict
    listeners: list
    pools: list
    members: list
    healthmonitors: list
    l7policies: list = dataclasses.field(default_factory=list)
    rules: list = dataclasses.field(default_factory=list)

    def rows(self, object_type):
        if object_type is graph.ROOT:
            return [self.loadbalancer]
        return getattr(self, object_type.collection)

    def objects(self):
        """(object type, row) of every object, children before parents."""
        for object_type in graph.DELETE_ORDER:
            for row in self.rows(object_type):
                yield object_type, row

    def children_of(self, child_type, parent_id):
        return graph.ordered(child_type, [
            row for row in self.rows(child_type)
            if row[child_type.parent_field] == parent_id])

    def members_of(self, pool_id):
        return self.children_of(model.MEMBER, pool_id)

    def l7policies_of(self, listener_id):
        """The listener's L7 policies in position order."""
        return self.children_of(model.L7POLICY, listener_id)

    def l7rules_of(self, policy_id):
        return self.children_of(model.L7RULE, policy_id)

    def healthmonitor_of(self, pool_id):
        return next(iter(self.children_of(model.HEALTH_MONITOR, pool_id)), None)

    def referenced_by(self, object_type, row, target_type):
        """Ids of the `target_type` objects that `row` and the objects under it
        name, its own first, then in tree order (a listener's default pool, then
        the pools its L7 policies redirect to, by position); None where unset."""
        ids = [row[field] for referring, field in graph.references_to(target_type)
               if referring is object_type]
        for child_type in graph.children(object_type):
            for child in self.children_of(child_type, row['id']):
                ids += self.referenced_by(child_type, child, target_type)
        return ids


def load_tree(store, lb_id):
    with store.transaction():
        rows = graph.load(store, lb_id)
    if rows is None:
        return None
    return LoadBalancerTree(rows[graph.ROOT][0], **{
        object_type.collection: rows[object_type] for object_type in graph.LOAD_ORDER[1:]})
