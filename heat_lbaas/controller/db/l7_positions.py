"""Octavia's numbering of a listener's L7 policies: positions run 1..n without gaps.

Inserting at position N shifts N and later down by one; a position beyond the end
(or none) appends; deleting closes the gap.
"""


def place(ordered_ids, policy_id, position):
    """The ids in their new order once `policy_id` sits at `position` (1-based)."""
    others = [i for i in ordered_ids if i != policy_id]
    index = len(others) if position is None else min(position - 1, len(others))
    return others[:index] + [policy_id] + others[index:]


def renumber(store, policy_type, ordered_ids):
    """Write positions 1..n in the given order (only those that changed)."""
    for number, policy_id in enumerate(ordered_ids, start=1):
        row = store.get(policy_type, policy_id)
        if row is not None and row['position'] != number:
            store.update(policy_type, policy_id, {'position': number})


def ordered_policy_ids(store, policy_type, listener_id):
    rows = store.find(policy_type, listener_id=listener_id)
    # created_at breaks ties, for rows written before their renumbering.
    return [r['id'] for r in sorted(rows, key=lambda r: (r['position'] or 0,
                                                          r['created_at'] or ''))]
