"""A read-only view of the store for answering many objects at once (a list).

Showing an object reads its relations (a load balancer's listeners and pools, the
listeners using a pool), one query each: listing N objects that way is N queries per
relation, under the store's one lock the worker needs too (a list of 500 load
balancers took 4 s). A snapshot reads each table it is asked about once, in one
transaction, and answers `get` and `find` from memory, so a list costs a query per
table whatever its length.
"""
import collections


class Snapshot:
    def __init__(self, store):
        self._store = store
        self._rows = {}         # object type -> [row], in the store's order
        self._index = {}        # (object type, field) -> {value: [row]}

    def _all(self, object_type):
        if object_type not in self._rows:
            self._rows[object_type] = self._store.find(object_type)
        return self._rows[object_type]

    def _by(self, object_type, field):
        key = (object_type, field)
        if key not in self._index:
            grouped = collections.defaultdict(list)
            for row in self._all(object_type):
                grouped[row[field]].append(row)
            self._index[key] = grouped
        return self._index[key]

    def get(self, object_type, object_id):
        found = self._by(object_type, 'id').get(object_id)
        return dict(found[0]) if found else None

    def find(self, object_type, **equal):
        if not equal:
            rows = self._all(object_type)
        else:
            (first, value), *rest = equal.items()
            rows = [r for r in self._by(object_type, first).get(value, ())
                    if all(r[name] == wanted for name, wanted in rest)]
        return [dict(r) for r in rows]
