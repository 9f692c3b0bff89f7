"""The response to a fully populated load balancer create: the whole tree.

Octavia answers that POST with its "full" response types: the load balancer with
its listeners and pools as complete objects, not id references; a listener's L7
policies carry their rules; a pool carries its members and its health monitor
(or null). References back up the tree (a listener's `loadbalancers`, a pool's
`loadbalancers` and `listeners`, a monitor's `pools`) are left out, as Octavia's
full types leave them out. Each object is otherwise exactly its usual view.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import views


def _show(store, object_type, row, *without):
    body = views.show(store, object_type, row)
    for name in without:
        body.pop(name, None)
    return body


def _l7policy(store, row):
    body = _show(store, model.L7POLICY, row)
    body['rules'] = [_show(store, model.L7RULE, rule)
                     for rule in store.find(model.L7RULE, l7policy_id=row['id'])]
    return body


def _listener(store, row):
    body = _show(store, model.LISTENER, row, 'loadbalancers')
    policies = sorted(store.find(model.L7POLICY, listener_id=row['id']),
                      key=lambda policy: policy['position'] or 0)
    body['l7policies'] = [_l7policy(store, policy) for policy in policies]
    return body


def _pool(store, row):
    body = _show(store, model.POOL, row, 'loadbalancers', 'listeners')
    body['members'] = [_show(store, model.MEMBER, member)
                       for member in store.find(model.MEMBER, pool_id=row['id'])]
    monitors = store.find(model.HEALTH_MONITOR, pool_id=row['id'])
    body['healthmonitor'] = (_show(store, model.HEALTH_MONITOR, monitors[0], 'pools')
                             if monitors else None)
    return body


def loadbalancer(store, row):
    body = views.show(store, model.LOADBALANCER, row)
    body['listeners'] = [_listener(store, listener) for listener in
                         store.find(model.LISTENER, loadbalancer_id=row['id'])]
    body['pools'] = [_pool(store, pool) for pool in
                     store.find(model.POOL, loadbalancer_id=row['id'])]
    return body
