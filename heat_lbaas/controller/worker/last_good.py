"""Objects in ERROR are rendered as the amphora last accepted them.

A change the amphora refused leaves its object in ERROR with the refused values in
the database. Rendering those values again would make every later change of the same
load balancer fail too (and a failover would rebuild the refused configuration). So
each load balancer's tree is remembered as of its last successful apply, and an
object in ERROR is rendered from there: as it was then, or not at all if the amphora
never served it (a create that failed). Updating the object (its PUT is accepted in
ERROR, as in Octavia) makes its new values pending and rendered again.

The memory lives in the process: after a controller restart the stored values are
rendered as they are, as before this module existed.
"""
import dataclasses
import threading

from heat_lbaas.controller import graph

# What a remembered row's status must be for the amphora to have served it.
SERVED = ('ACTIVE', 'PENDING_CREATE', 'PENDING_UPDATE', 'ERROR')
# The tree's lists (db/tree.py names each by its type's collection).
LISTS = tuple(t.collection for t in graph.LOAD_ORDER if t is not graph.ROOT)


def effective_tree(tree, accepted):
    """`tree` with each ERROR object replaced by its row in `accepted` (or left out
    when it is not there). The load balancer row itself is always the stored one."""
    if accepted is None:
        return tree
    good = {row['id']: row for _, row in accepted.tree.objects()}
    replaced = {}
    for name in LISTS:
        rows = []
        for row in getattr(tree, name):
            if row['provisioning_status'] != 'ERROR':
                rows.append(row)
            elif good.get(row['id'], {}).get('provisioning_status') in SERVED:
                rows.append(dict(good[row['id']], provisioning_status='ERROR'))
        replaced[name] = rows
    return dataclasses.replace(tree, **replaced)


@dataclasses.dataclass(frozen=True)
class Accepted:
    """What the amphora last accepted: the tree rendered and the staged copies of
    its certificates ({container ref: path in the amphora})."""
    tree: object
    certificate_paths: dict


def reusable_certificates(accepted, refs_of_changeable):
    """{ref: staged path} of certificates only objects in ERROR use, as staged when
    the amphora accepted them: a certificate that turned bad must not fail every
    later change (the listeners being changed still load theirs afresh)."""
    if accepted is None:
        return {}
    return {ref: path for ref, path in accepted.certificate_paths.items()
            if ref not in refs_of_changeable}


class LastGoodTrees:
    """{load balancer id: Accepted as of its last successful apply}, thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._trees = {}

    def get(self, lb_id):
        with self._lock:
            return self._trees.get(lb_id)

    def remember(self, tree, certificate_paths):
        with self._lock:
            self._trees[tree.loadbalancer['id']] = Accepted(tree,
                                                            dict(certificate_paths))

    def forget(self, lb_id):
        with self._lock:
            self._trees.pop(lb_id, None)


