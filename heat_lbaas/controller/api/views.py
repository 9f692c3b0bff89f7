"""The JSON shape of each object: its visible fields, its relations and tenant_id."""
from heat_lbaas.controller import graph


def _ids(rows):
    return [{'id': r['id']} for r in rows]


def relation(store, object_type, row, name):
    """The references a relation of `row` shows (graph.relation says which)."""
    kind = graph.relation(object_type, name)
    if kind == 'parent':
        return [{'id': row[object_type.parent_field]}]
    if kind == 'children':
        return _ids(graph.children_rows(store, graph.child_type(object_type, name),
                                        row['id']))
    # As Octavia: listeners reaching a pool through an L7 policy count too.
    return [{'id': i} for i in graph.users(store, object_type, row['id'])]


def show(store, object_type, row):
    body = {f.name: row[f.name] for f in object_type.fields
            if f.visible and not (f.omitted_if_null and row[f.name] is None)}
    body.update({name: relation(store, object_type, row, name)
                 for name in object_type.relations})
    # Octavia still answers with the pre-Keystone-v3 name too.
    body['tenant_id'] = row['project_id']
    return body


def select_fields(body, fields):
    """The `fields=` query parameter: only the named keys, in the asked order."""
    if not fields:
        return body
    return {name: body[name] for name in fields if name in body}
