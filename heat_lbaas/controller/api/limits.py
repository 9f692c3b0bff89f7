"""Bounds on objects under one parent and on tags ([limits] in the configuration).

Exceeding a count is a 409 in Octavia's words where Octavia has them ("Too many
rules on L7 policy <id>"), in the same shape otherwise.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import errors

# object type -> (the column naming its parent, the parent's type, [limits] option,
#                 how the message names the children)
PER_PARENT = {
    model.LISTENER: ('loadbalancer_id', model.LOADBALANCER,
                     'listeners_per_loadbalancer', 'listeners'),
    model.POOL: ('loadbalancer_id', model.LOADBALANCER,
                 'pools_per_loadbalancer', 'pools'),
    model.MEMBER: ('pool_id', model.POOL, 'members_per_pool', 'members'),
    model.L7POLICY: ('listener_id', model.LISTENER, 'l7policies_per_listener',
                     'L7 policies'),
    model.L7RULE: ('l7policy_id', model.L7POLICY, 'l7rules_per_l7policy', 'rules'),
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
    column, parent_type, option, children = PER_PARENT[object_type]
    parent_id = values.get(column)
    if parent_id is None:
        return
    existing = len(store.find(object_type, **{column: parent_id}))
    if existing + adding > getattr(conf.limits, option):
        raise TooMany(children, parent_type.title, parent_id)


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
