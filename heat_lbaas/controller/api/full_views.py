"""The response to a fully populated load balancer create: the whole tree.

Octavia answers that POST with its "full" response types: the load balancer with
its listeners and pools as complete objects, not id references; a listener's L7
policies carry their rules; a pool carries its members and its health monitor
(or null). References back up the tree (a listener's `loadbalancers`, a pool's
`loadbalancers` and `listeners`, a monitor's `pools`) are left out, as Octavia's
full types leave them out. Each object is otherwise exactly its usual view.
"""
from heat_lbaas.controller import graph
from heat_lbaas.controller import model
from heat_lbaas.controller.api import views


def full(store, object_type, row):
    """The object's view with each child relation as the children's full views, the
    child it names by a reference (a pool's health monitor) as its full view or
    null, and no relation up the tree."""
    body = views.show(store, object_type, row)
    for name in object_type.relations:
        if graph.relation(object_type, name) == 'children':
            child_type = graph.child_type(object_type, name)
            body[name] = [full(store, child_type, child) for child
                          in graph.children_rows(store, child_type, row['id'])]
        else:
            del body[name]
    for child_type in graph.single_children(object_type):
        child = next(iter(graph.children_rows(store, child_type, row['id'])), None)
        body[child_type.key] = None if child is None else full(store, child_type, child)
    return body


def loadbalancer(store, row):
    return full(store, model.LOADBALANCER, row)
