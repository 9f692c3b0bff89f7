"""LBaaS::L7Rule: one condition of an L7 policy (all of a policy's rules must match)."""

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.resources import checked_properties
from heat_lbaas.resources import octavia_calls
from heat_lbaas.resources import octavia_object
from heat_lbaas.resources import parent_load_balancer
from heat_lbaas.resources import property_rules
from heat_lbaas.resources import property_schemas


class L7Rule(checked_properties.ChecksPropertyRules,
            octavia_object.OctaviaObject):
    """An L7 rule (property names follow OS::Octavia::L7Rule).

    Adds the SSL_* rule types (client certificate checks) and `tags`. Octavia gives rules
    neither a name nor a description.
    """

    OCTAVIA_KIND = 'L7 Rule'
    API = octavia_calls.OctaviaCalls('l7rule', 'rule', 'rules',
                                     parent_id=octavia_calls.LAST)
    URL_PARENT = 'l7policy'
    PARENTS = (parent_load_balancer.Parent('l7policy', 'L7 Policy'),)

    PROPERTIES = (
        ADMIN_STATE_UP, L7POLICY, TYPE, COMPARE_TYPE, INVERT, KEY, VALUE, TAGS,
    ) = (
        'admin_state_up', 'l7policy', 'type', 'compare_type', 'invert', 'key', 'value',
        'tags',
    )

    FIELD_OF_PROPERTY = {
        L7POLICY: None,  # part of the URL, not of the body
    }

    properties_schema = {
        ADMIN_STATE_UP: property_schemas.admin_state_up('L7 rule'),
        L7POLICY: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the L7 policy this rule belongs to.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.l7policy')],
        ),
        TYPE: properties.Schema(
            properties.Schema.STRING,
            _('What part of the request is compared: HOST_NAME, PATH, FILE_TYPE (the '
              'path\'s extension), HEADER or COOKIE (named by key), or the client '
              'certificate (SSL_CONN_HAS_CERT, SSL_VERIFY_RESULT, SSL_DN_FIELD).'),
            required=True,
            constraints=[constraints.AllowedValues(octavia.L7RULE_TYPES)],
            update_allowed=True,
        ),
        COMPARE_TYPE: properties.Schema(
            properties.Schema.STRING,
            _('How value is compared (FILE_TYPE: REGEX or EQUAL_TO; SSL_CONN_HAS_CERT '
              'and SSL_VERIFY_RESULT: EQUAL_TO).'),
            required=True,
            constraints=[constraints.AllowedValues(octavia.L7RULE_COMPARE_TYPES)],
            update_allowed=True,
        ),
        INVERT: properties.Schema(
            properties.Schema.BOOLEAN,
            _('Whether the rule matches when the comparison fails.'),
            default=False,
            update_allowed=True,
        ),
        KEY: properties.Schema(
            properties.Schema.STRING,
            _('Header or cookie name (HEADER, COOKIE) or distinguished name field '
              '(SSL_DN_FIELD); required for these types, refused for the others.'),
            constraints=[constraints.Length(min=1, max=255)],
            update_allowed=True,
        ),
        VALUE: properties.Schema(
            properties.Schema.STRING,
            _('Value to compare with.'),
            required=True,
            constraints=[constraints.Length(min=1, max=255)],
            update_allowed=True,
        ),
        TAGS: property_schemas.tags('L7 rule'),
    }

    # The rule's fields inside a policy of LBaaS::LoadBalancerTree.
    FIELDS_SCHEMA = property_schemas.without(properties_schema, L7POLICY)

    attributes_schema = property_schemas.attributes_of({
        **{key: value for key, value in property_schemas.common_attributes(
            'L7 rule').items() if key != 'name'},
        **{field: (kind, _('%s of the L7 rule.') % field) for field, kind in (
            (TYPE, property_schemas.STRING), (COMPARE_TYPE, property_schemas.STRING),
            (INVERT, property_schemas.BOOLEAN), (KEY, property_schemas.STRING),
            (VALUE, property_schemas.STRING))},
        'l7policy_id': (property_schemas.STRING, _('ID of the L7 policy of the rule.')),
    })

    NAME_OR_ID_FINDERS = {L7POLICY: 'get_l7policy'}

    def property_problem(self):
        return property_rules.l7_rule_problem(self.properties)

    def _policy_id(self):
        return self.properties[self.L7POLICY]

    def _resolve_attribute(self, name):
        if name == 'l7policy_id':
            return self._policy_id()
        return super()._resolve_attribute(name)
