"""The object tree, derived from the parents and references declared in model.py.

A load balancer is the root; every other type lives under its `parent`, whose id
its `parent_field` holds. Fields with `refers_to` point across the tree (a
listener's default pool, an L7 policy's redirect pool, a pool's health monitor).
From these alone follow the children of each type, the order in which a tree is
loaded (parents first) and removed (children first), the listeners that send
traffic to an object, and what a change of an object locks. Adding an object type
or a reference is a change of model.py only.

The first half is pure (types only); the second walks stored rows through any
store with get() and find() (db/store.py).
"""
import functools

from heat_lbaas.controller import model

ROOT = model.LOADBALANCER
# What sends traffic: the objects a change reaches through references are
# listeners (Octavia locks the listeners using a pool when the pool changes).
USER = model.LISTENER


# --- the type graph ------------------------------------------------------------

def children(object_type):
    """Types living directly under `object_type`, in declaration order."""
    return tuple(t for t in model.OBJECT_TYPES if t.parent is object_type)


def ancestors(object_type):
    """Types above `object_type`, nearest first, ending at the root."""
    chain = []
    parent = object_type.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return tuple(chain)


def descendant_types(object_type):
    """Types below `object_type`, each after its own children (the order a
    cascade removes them in)."""
    found = []
    for child in children(object_type):
        found += descendant_types(child)
        found.append(child)
    return tuple(found)


# Parents before children (loading), children before parents (removing).
DELETE_ORDER = descendant_types(ROOT) + (ROOT,)
LOAD_ORDER = tuple(reversed(DELETE_ORDER))


def references_to(object_type):
    """(referring type, field name) of every field naming an `object_type`."""
    return tuple((t, f.name) for t in model.OBJECT_TYPES for f in t.fields
                 if f.refers_to == object_type.collection)


def _within_user(object_type):
    return object_type is USER or USER in ancestors(object_type)


def used_through_references(object_type):
    """True if listeners reach objects of this type through references (pools)."""
    return any(_within_user(t) for t, _ in references_to(object_type))


def lock_types(object_type):
    """Types a change of an `object_type` object locks in PENDING_UPDATE: its
    ancestors, and the listeners using it or an ancestor through references."""
    locked = list(ancestors(object_type))
    if USER not in locked and any(used_through_references(t)
                                  for t in (object_type,) + ancestors(object_type)):
        locked.append(USER)
    return tuple(locked)


@functools.cache
def lock_depth(object_type):
    """0 for the root, else one more than the deepest type its change locks: a
    PENDING_UPDATE object at the deepest depth of a tree is the one changed, any
    shallower one was only locked for it."""
    return 1 + max((lock_depth(t) for t in lock_types(object_type)), default=-1)


def relation(object_type, name):
    """What the relation `name` of a response shows: 'parent', 'children' or
    'users' (the listeners sending traffic to the object)."""
    if object_type.parent is not None and name == object_type.parent.collection:
        return 'parent'
    if name in (c.collection for c in children(object_type)):
        return 'children'
    if name == USER.collection and used_through_references(object_type):
        return 'users'
    raise ValueError('%s has no relation %s' % (object_type.key, name))


def child_type(object_type, collection):
    return next(c for c in children(object_type) if c.collection == collection)


def single_children(object_type):
    """Child types an object has at most one of: those it names by a reference
    (a pool's healthmonitor_id)."""
    return tuple(c for c in children(object_type)
                 if (object_type, c.key + '_id') in references_to(c))


# --- stored rows -----------------------------------------------------------------

def ordered(object_type, rows):
    """Rows in the order the API shows them: by position where they have one."""
    if 'position' in object_type.field_map:
        return sorted(rows, key=lambda row: row['position'] or 0)
    return rows


def children_rows(store, child_type_, parent_id):
    return ordered(child_type_, store.find(child_type_,
                                           **{child_type_.parent_field: parent_id}))


def parent_row(store, object_type, row):
    return store.get(object_type.parent, row[object_type.parent_field])


def ancestor_rows(store, object_type, row):
    """[(type, row)] of the objects above `row`, nearest first, ending at its load
    balancer; a row missing on the way ends the list early."""
    found = []
    while object_type.parent is not None and row is not None:
        row, object_type = parent_row(store, object_type, row), object_type.parent
        if row is not None:
            found.append((object_type, row))
    return found


def descendant_rows(store, object_type, object_id):
    """[(type, row)] of every object below `object_id`, children before parents."""
    found = []
    for child in children(object_type):
        for row in children_rows(store, child, object_id):
            found += descendant_rows(store, child, row['id'])
            found.append((child, row))
    return found


def loadbalancer_id(store, object_type, row):
    """The id of the load balancer `row` (or values of a new object) lives under."""
    if object_type is ROOT:
        return row['id']
    if object_type.parent is ROOT:
        return row[object_type.parent_field]
    return ancestor_rows(store, object_type, row)[-1][1]['id']


def users(store, object_type, object_id):
    """Ids of the listeners sending traffic to the object through references (a
    pool: listeners with it as default pool, then those whose L7 policies
    redirect to it), each once."""
    found = []
    for referring, field in references_to(object_type):
        if not _within_user(referring):
            continue
        for row in store.find(referring, **{field: object_id}):
            user = row if referring is USER else dict(ancestor_rows(
                store, referring, row)).get(USER)
            if user is not None and user['id'] not in found:
                found.append(user['id'])
    return found


def clear_references(store, object_type, object_id):
    """Set to null every field naming the object, as Octavia does when it goes."""
    for referring, field in references_to(object_type):
        for row in store.find(referring, **{field: object_id}):
            store.update(referring, row['id'], {field: None})


def load(store, lb_id):
    """{type: [rows]} of the load balancer `lb_id` and everything under it, or
    None if there is no such load balancer. Call inside a transaction."""
    lb = store.get(ROOT, lb_id)
    if lb is None:
        return None
    rows = {ROOT: [lb]}
    for object_type in LOAD_ORDER[1:]:
        rows[object_type] = [
            row for parent in rows[object_type.parent]
            for row in store.find(object_type, **{object_type.parent_field: parent['id']})]
    return rows
