"""Property and attribute schemas that several LBaaS::* types share.

Octavia gives most objects the same handful of fields (name, description, admin state,
project, tags); they are declared here once so that every type describes and constrains
them the same way, and a type (or LBaaS::LoadBalancerTree, which nests the others) only
lists what is its own.
"""

from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties

# Octavia's limit on names, descriptions and tags.
MAX_TEXT = 255


def name(kind):
    return properties.Schema(
        properties.Schema.STRING,
        _('Name of this %s; defaults to a name Heat makes up.') % kind,
        constraints=[constraints.Length(max=MAX_TEXT)],
        update_allowed=True,
    )


def description(kind):
    return properties.Schema(
        properties.Schema.STRING,
        _('Description of this %s.') % kind,
        default='',
        constraints=[constraints.Length(max=MAX_TEXT)],
        update_allowed=True,
    )


def admin_state_up(kind):
    return properties.Schema(
        properties.Schema.BOOLEAN,
        _('The administrative state of this %s (false: configured but taking no '
          'traffic).') % kind,
        default=True,
        update_allowed=True,
    )


def tenant_id(kind):
    return properties.Schema(
        properties.Schema.STRING,
        _('ID of the project that owns the %s. Only administrative users can give a '
          'project other than their own.') % kind,
        constraints=[constraints.Length(max=MAX_TEXT)],
    )


def tags(kind):
    # Default [] rather than None: removing the tags from a template then clears them
    # with "tags": [] (Octavia has no null for a list of tags).
    return properties.Schema(
        properties.Schema.LIST,
        _('Simple strings attached to the %s (Octavia can filter lists by them).') % kind,
        default=[],
        update_allowed=True,
        schema=properties.Schema(
            properties.Schema.STRING,
            constraints=[constraints.Length(min=1, max=MAX_TEXT)],
        ),
    )


def string_list(text, update_allowed=True, item_constraints=()):
    return properties.Schema(
        properties.Schema.LIST,
        text,
        update_allowed=update_allowed,
        schema=properties.Schema(
            properties.Schema.STRING, constraints=list(item_constraints)),
    )


def without(schema, *names):
    """`schema` (a properties_schema) without `names`: for nesting a type's properties
    where the parent is implied (a listener inside a load balancer tree has no
    `loadbalancer`)."""
    return {key: value for key, value in schema.items() if key not in names}


def nested(schema):
    """A type's properties for use inside a MAP or LIST: Heat only updates top-level
    properties, so update_allowed has no meaning there."""
    copies = {}
    for key, value in schema.items():
        kwargs = dict(
            description=value.description, default=value.default,
            required=value.required, constraints=value.constraints,
            schema=value.schema)
        copies[key] = properties.Schema(value.type, **kwargs)
    return copies


def without_unset_map_keys(body, *names):
    """`body` with the None values removed from its maps `names`: Heat fills a MAP
    property's absent keys with None, and Octavia reads null as a value (or refuses
    it)."""
    for name in names:
        value = body.get(name)
        if value:
            body[name] = {key: item for key, item in value.items() if item is not None}
    return body


# Attributes: (type, description) per field; every field Octavia shows is one attribute,
# and Heat adds `show` (the whole object) to every type.
STRING, INTEGER, BOOLEAN, LIST, MAP = (
    attributes.Schema.STRING, attributes.Schema.INTEGER, attributes.Schema.BOOLEAN,
    attributes.Schema.LIST, attributes.Schema.MAP)

# Fields that change without Heat changing them (status, relations): never cached.
_LIVE_FIELDS = ('provisioning_status', 'operating_status', 'updated_at', 'listeners',
                'pools', 'members', 'l7policies', 'rules', 'default_pool_id',
                'healthmonitor_id', 'weight')


def attributes_of(fields):
    """attributes_schema for `fields`: {field name: (attribute type, description)}."""
    return {
        field: attributes.Schema(
            text, type=kind,
            cache_mode=(attributes.Schema.CACHE_NONE if field in _LIVE_FIELDS
                        else attributes.Schema.CACHE_LOCAL))
        for field, (kind, text) in fields.items()
    }


def common_attributes(kind):
    """Attributes of the fields every Octavia object has."""
    return {
        'id': (STRING, _('ID of the %s.') % kind),
        'name': (STRING, _('Name of the %s.') % kind),
        'project_id': (STRING, _('ID of the project of the %s.') % kind),
        'admin_state_up': (BOOLEAN, _('Administrative state of the %s.') % kind),
        'provisioning_status': (
            STRING, _('Provisioning status of the %s (ACTIVE, PENDING_*, ERROR).') % kind),
        'operating_status': (
            STRING, _('Operating status of the %s (ONLINE, DEGRADED, ERROR, OFFLINE, '
                      'NO_MONITOR, DRAINING).') % kind),
        'tags': (LIST, _('Tags of the %s.') % kind),
        'created_at': (STRING, _('When the %s was created.') % kind),
        'updated_at': (STRING, _('When the %s was last updated.') % kind),
    }


def name_or_id_rules(resource, props, finders):
    """Translation rules that resolve each property in `finders` (property -> finder
    of Heat's octavia client plugin, e.g. 'get_pool') from a name or id to an id."""
    from heat.engine import translation
    return [translation.TranslationRule(props, translation.TranslationRule.RESOLVE, [name],
                                        client_plugin=resource.client_plugin(),
                                        finder=finder)
            for name, finder in finders.items()]
