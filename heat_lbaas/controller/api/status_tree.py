"""GET /loadbalancers/{id}/status: the status tree, in Octavia's shape."""
from heat_lbaas.controller import model
from heat_lbaas.controller.db import tree


def _status(row, *names):
    body = {'id': row['id'], 'name': row['name']}
    body.update({n: row[n] for n in names})
    return body


def build(store, lb_id):
    lb_tree = tree.load_tree(store, lb_id)
    pools = {p['id']: p for p in lb_tree.pools}

    def pool_status(pool):
        body = _status(pool, 'provisioning_status', 'operating_status')
        hm = lb_tree.healthmonitor_of(pool['id'])
        if hm:
            body['health_monitor'] = _status(hm, 'type', 'provisioning_status',
                                             'operating_status')
        body['members'] = [
            _status(m, 'operating_status', 'provisioning_status', 'address',
                    'protocol_port') for m in lb_tree.members_of(pool['id'])]
        return body

    listeners = []
    for listener in lb_tree.listeners:
        body = _status(listener, 'operating_status', 'provisioning_status')
        # As Octavia's listener.pools: the default pool, then the pools its L7
        # policies redirect to (the status tree has no L7 policies of its own).
        pool_ids = lb_tree.referenced_by(model.LISTENER, listener, model.POOL)
        body['pools'] = [pool_status(pools[i]) for i in dict.fromkeys(pool_ids)
                         if i in pools]
        listeners.append(body)
    lb = _status(lb_tree.loadbalancer, 'operating_status', 'provisioning_status')
    lb['listeners'] = listeners
    return {'loadbalancer': lb}
