"""List queries as openstacksdk and the octavia client send them: field filters,
tag filters, `fields`, sorting and `limit`/`marker` pagination with links.

The rules and messages are Octavia's (octavia/api/common/pagination.py): sort keys
default to `created_at, id` and `id` always ends them, so the order is total and a
marker names one exact place; a page that is full gets a `next` link, a page asked
for with a marker gets a `previous` link (marker = its first item, page_reverse=True).
"""
import json
import urllib.parse

from heat_lbaas.controller import model
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import views

PAGING = ('fields', 'limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'page_reverse')
TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
DEFAULT_SORT_KEYS = ('created_at', 'id')
# Octavia's [api_settings] pagination_max_limit default: a list without `limit` is one
# page of at most this many items.
PAGE_MAX_LIMIT = 1000


class InvalidFilter(errors.ApiError):
    def __init__(self):
        super().__init__('One or more arguments are either duplicate or invalid')


class InvalidSortKey(errors.ApiError):
    def __init__(self, key):
        super().__init__("Supplied sort key '%s' is not valid." % (key,))


class InvalidSortDirection(errors.ApiError):
    def __init__(self, direction):
        super().__init__("Supplied sort direction '%s' is not valid." % direction)


class InvalidMarker(errors.ApiError):
    def __init__(self, marker):
        super().__init__("Supplied pagination marker '%s' is not valid." % marker)


class InvalidLimit(errors.ApiError):
    def __init__(self, limit):
        super().__init__("Supplied pagination limit '%s' is not valid." % limit)


def queryable_fields(object_type):
    """Names a list can be filtered and sorted by: what a response shows, plus the
    parent ids it stores but shows as relations (a pool's loadbalancer_id)."""
    names = {f.name for f in object_type.fields
             if f.visible or f.name.endswith('_id')}
    return names | {'tenant_id'}


# --- filters -------------------------------------------------------------------

def _as_text(value):
    if isinstance(value, bool):
        return str(value).lower()
    return '' if value is None else str(value)


def _field_filter(object_type, params):
    wanted = {}
    for name, value in params.items():
        if name in PAGING or name in TAG_FILTERS:
            continue
        if name not in queryable_fields(object_type):
            # Unknown names would silently match nothing; Octavia refuses them.
            raise InvalidFilter()
        field = object_type.field_map.get(name)
        if field is not None and field.kind == model.BOOLEAN:
            value = value.lower()
        wanted.setdefault(name, set()).add(value)

    def keep(body, row):
        # Parent ids (a pool's loadbalancer_id) are filters too, though not shown.
        return all(_as_text(body[name] if name in body else row.get(name)) in values
                   for name, values in wanted.items())
    return keep


def _tag_filter(params):
    def words(name):
        return {t for v in params.getall(name) for t in v.split(',') if t}
    want_all, want_any = words('tags'), words('tags-any')
    not_all, not_any = words('not-tags'), words('not-tags-any')

    def keep(body, row):
        tags = set(body.get('tags') or ())
        return ((not want_all or want_all <= tags)
                and (not want_any or bool(want_any & tags))
                and (not not_all or not not_all <= tags)
                and (not not_any or not not_any & tags))
    return keep


# --- sorting ---------------------------------------------------------------------

def _direction(text):
    if text.lower() not in ('asc', 'desc'):
        raise InvalidSortDirection(text.lower())
    return text.lower()


def sort_keys(object_type, params):
    """[(name, 'asc'|'desc')]: `sort=a:desc,b` wins over `sort_key=a,b&sort_dir=..`."""
    keys = []
    if params.get('sort'):
        for part in params.get('sort').split(','):
            pieces = part.split(':')
            if len(pieces) > 2:
                raise InvalidSortKey(pieces)
            keys.append((pieces[0], _direction(pieces[1]) if len(pieces) == 2
                         else 'asc'))
    elif params.get('sort_key'):
        names = params.get('sort_key').split(',')
        directions = (params.get('sort_dir') or '').split(',')
        directions = [d for d in directions if d]
        directions += ['asc'] * (len(names) - len(directions))
        keys = [(n, _direction(d)) for n, d in zip(names, directions)]
    queryable = queryable_fields(object_type)
    for name, _ in keys:
        if name not in queryable:
            raise InvalidSortKey(name)
    named = {name for name, _ in keys}
    keys += [(name, 'asc') for name in DEFAULT_SORT_KEYS if name not in named]
    return keys


class _Descending:
    """Inverts the order of a sort value, so mixed directions sort in one pass."""
    __slots__ = ('value',)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


def _sortable(value):
    # None first (as MySQL sorts NULL), numbers as numbers, the rest as text.
    if value is None:
        return (0, 0, '')
    if isinstance(value, (bool, int, float)):
        return (1, value, '')
    if isinstance(value, (list, dict)):
        return (2, 0, json.dumps(value, sort_keys=True))
    return (2, 0, str(value))


def _sort_key(keys):
    def key(pair):
        body, row = pair
        values = []
        for name, direction in keys:
            value = _sortable(body[name] if name in body else row.get(name))
            values.append(_Descending(value) if direction == 'desc' else value)
        return values
    return key


# --- pagination -----------------------------------------------------------------

def page_limit(params):
    """The page size, or None for no limit (`limit` below 1 or 'infinite')."""
    text = params.get('limit')
    if text is None:
        return PAGE_MAX_LIMIT
    try:
        limit = None if text == 'infinite' else int(text)
    except ValueError:
        raise InvalidLimit(text)
    if limit is None or limit < 1:
        return None
    return min(limit, PAGE_MAX_LIMIT)


def _links(request, limit, page, marker):
    """Octavia's `<collection>_links`: previous (when asked with a marker) and next
    (when the page is full). Filters are left out, as Octavia does; clients keep their
    own query and take the marker from the link. sort_dir is kept, unlike Octavia,
    whose next page would otherwise come back in the default direction."""
    if not page or limit is None:
        return []
    params = request.GET
    common = [('limit', str(limit))]
    for name in ('sort', 'sort_key', 'sort_dir'):
        if params.get(name):
            common.append((name, params.get(name)))

    def href(extra):
        return '%s?%s' % (request.path_url,
                          urllib.parse.urlencode(common + extra, safe=':,'))
    links = []
    if marker:
        links.append({'rel': 'previous', 'href': href(
            [('marker', page[0]['id']), ('page_reverse', 'True')])})
    if len(page) >= limit:
        links.append({'rel': 'next', 'href': href([('marker', page[-1]['id'])])})
    return links


def apply(request, object_type, items):
    """The page of bodies and its links; `items` are (body, stored row) pairs of
    every object of the collection (a marker may name one the filters leave out)."""
    params = request.GET
    keep_fields = _field_filter(object_type, params)
    keep_tags = _tag_filter(params)
    limit = page_limit(params)
    ordered = sorted(items, key=_sort_key(sort_keys(object_type, params)))
    rank = {body['id']: place for place, (body, _) in enumerate(ordered)}
    selected = [body for body, row in ordered
                if keep_fields(body, row) and keep_tags(body, row)]

    marker = params.get('marker')
    if marker:
        if marker not in rank:
            raise InvalidMarker(marker)
        if params.get('page_reverse', '').lower() == 'true':
            # The page just before the marker, still in the asked order.
            before = [b for b in selected if rank[b['id']] < rank[marker]]
            selected = before[-limit:] if limit else before
        else:
            selected = [b for b in selected if rank[b['id']] > rank[marker]]
    page = selected[:limit] if limit else selected
    links = _links(request, limit, page, marker)
    fields = requested_fields(params)
    return [views.select_fields(b, fields) for b in page], links


def requested_fields(params):
    """The `fields` query parameter, repeated or comma-separated."""
    return [name for value in params.getall('fields') for name in value.split(',')
            if name]
