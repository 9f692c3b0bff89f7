"""List queries as openstacksdk and the octavia client send them: field filters,
tag filters, `fields`, sorting and `limit`/`marker` pagination with links."""
from heat_lbaas.controller.api import errors
from heat_lbaas.controller.api import views

CONTROL = {'fields', 'limit', 'marker', 'sort', 'sort_key', 'sort_dir',
           'page_reverse', 'tags', 'tags-any', 'not-tags', 'not-tags-any'}


def _as_text(value):
    if isinstance(value, bool):
        return str(value).lower()
    return '' if value is None else str(value)


def _tag_filters(params):
    def words(name):
        return {t for v in params.getall(name) for t in v.split(',') if t}
    want_all, want_any = words('tags'), words('tags-any')
    not_all, not_any = words('not-tags'), words('not-tags-any')

    def keep(body):
        tags = set(body.get('tags') or ())
        return ((not want_all or want_all <= tags)
                and (not want_any or want_any & tags)
                and (not not_all or not not_all <= tags)
                and (not not_any or not not_any & tags))
    return keep


def _sort_keys(params):
    keys = []
    for item in params.getall('sort'):
        for part in item.split(','):
            name, _, direction = part.partition(':')
            keys.append((name, direction or 'asc'))
    for name in params.getall('sort_key'):
        keys.append((name, params.get('sort_dir', 'asc')))
    return keys or [('created_at', 'asc'), ('id', 'asc')]


def _value(body, row, name):
    # Parent ids (a pool's loadbalancer_id) are filters too, though not shown.
    return body[name] if name in body else row.get(name)


def apply(request, object_type, items):
    """The page of bodies and its links; `items` are (body, stored row) pairs."""
    params = request.GET
    filters = {k: v for k, v in params.items() if k not in CONTROL}
    for name in filters:
        # Unknown names would silently match nothing; Octavia refuses them.
        if name not in object_type.field_map and name != 'tenant_id':
            raise errors.ApiError('Invalid filter argument: %s' % name)
    bodies = [body for body, row in items
              if all(_as_text(_value(body, row, k)) == v for k, v in filters.items())]
    bodies = [b for b in bodies if _tag_filters(params)(b)]
    for name, direction in reversed(_sort_keys(params)):
        if direction not in ('asc', 'desc'):
            raise errors.ApiError('Invalid sort direction: %s' % direction)
        bodies.sort(key=lambda b: _as_text(b.get(name)), reverse=direction == 'desc')

    links = []
    marker = params.get('marker')
    if marker:
        ids = [b['id'] for b in bodies]
        if marker not in ids:
            raise errors.NotFound(object_type.title, marker)
        bodies = bodies[ids.index(marker) + 1:]
    limit = params.get('limit')
    if limit:
        try:
            limit = int(limit)
        except ValueError:
            raise errors.ApiError('Invalid limit: %s' % limit)
        if limit > 0 and len(bodies) > limit:
            bodies = bodies[:limit]
            query = params.copy()
            query['marker'] = bodies[-1]['id']
            links.append({'rel': 'next', 'href': '%s?%s' % (
                request.path_url, '&'.join('%s=%s' % kv for kv in query.items()))})
    fields = params.getall('fields')
    return [views.select_fields(b, fields) for b in bodies], links
