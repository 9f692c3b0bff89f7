"""Bounds on objects under one parent and on tags ([limits] in the configuration).

Exceeding a count is a 409 in Octavia's words where Octavia has them ("Too many
rules on L7 policy <id>"), in the same shape otherwise.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller import errors

# object type -> ([limits] option, how the message names the children); the
# parent counted under is the type's parent (model.py).
PER_PARENT = {
    model.LISTENER: ('listeners_per_loadbalancer', 'listeners'),
    model.POOL: ('pools_per_loadbalancer', 'pools'),
    model.MEMBER: ('members_per_pool', 'members'),
    model.L7POLICY: ('l7policies_per_listener', 'L7 policies'),
    model.L7RULE: ('l7rules_per_l7policy', 'rules'),
}
TAG_MAX_LENGTH = 255    # Octavia's wtypes.StringType(max_length=255)


class TooMany(errors.Conflict):
    def __init__(self, children, parent_title, parent_id):
        # Octavia's TooManyL7RulesOnL7Policy reads "Too many rules on L7 policy <id>".
        if parent_title == model.L7POLICY.title:
            parent_title = 'L7 policy'
        super().__init__('Too many %s on %s %s' % (children, parent_title, parent_id))


def check_count(conf, store, object_type, values, adding=1):
    """Raise TooMany if the parent named in `values` cannot take `adding` more."""
    if object_type not in PER_PARENT:
        return
    option, children = PER_PARENT[object_type]
    parent_id = values.get(object_type.parent_field)
    if parent_id is None:
        return
    existing = len(store.find(object_type, **{object_type.parent_field: parent_id}))
    if existing + adding > getattr(conf.limits, option):
        raise TooMany(children, object_type.parent.title, parent_id)


def check_tags(conf, values):
    tags = values.get('tags')
    if not tags:
        return
    if len(tags) > conf.limits.tags_per_object:
        raise errors.InvalidInput('tags', tags, 'At most %d tags are allowed'
                                  % conf.limits.tags_per_object)
    for tag in tags:
        if isinstance(tag, str) and len(tag) > TAG_MAX_LENGTH:
            raise errors.InvalidInput(
                'tags', tags, 'Value should have a maximum character requirement '
                'of %d' % TAG_MAX_LENGTH)
