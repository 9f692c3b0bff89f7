"""The JSON shape of each object: its visible fields, its relations and tenant_id."""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import provisioning


def _ids(rows):
    return [{'id': r['id']} for r in rows]


def _relations(store, object_type, row):
    if object_type is model.LOADBALANCER:
        return {'listeners': _ids(store.find(model.LISTENER, loadbalancer_id=row['id'])),
                'pools': _ids(store.find(model.POOL, loadbalancer_id=row['id']))}
    if object_type is model.LISTENER:
        policies = sorted(store.find(model.L7POLICY, listener_id=row['id']),
                          key=lambda p: p['position'])
        return {'loadbalancers': [{'id': row['loadbalancer_id']}],
                'l7policies': _ids(policies)}
    if object_type is model.POOL:
        # As Octavia: listeners reaching the pool through an L7 policy count too.
        listener_ids = provisioning.listeners_using_pool(store, row['id'])
        return {'loadbalancers': [{'id': row['loadbalancer_id']}],
                'listeners': [{'id': i} for i in listener_ids],
                'members': _ids(store.find(model.MEMBER, pool_id=row['id']))}
    if object_type is model.L7POLICY:
        return {'rules': _ids(store.find(model.L7RULE, l7policy_id=row['id']))}
    if object_type is model.HEALTH_MONITOR:
        return {'pools': [{'id': row['pool_id']}]}
    return {}


def show(store, object_type, row):
    body = {f.name: row[f.name] for f in object_type.fields
            if f.visible and not (f.omitted_if_null and row[f.name] is None)}
    body.update(_relations(store, object_type, row))
    # Octavia still answers with the pre-Keystone-v3 name too.
    body['tenant_id'] = row['project_id']
    return body


def select_fields(body, fields):
    """The `fields=` query parameter: only the named keys, in the asked order."""
    if not fields:
        return body
    return {name: body[name] for name in fields if name in body}
