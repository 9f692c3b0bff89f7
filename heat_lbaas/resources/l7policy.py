"""LBaaS::L7Policy: what a listener does with the requests its L7 rules match."""

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


class L7Policy(checked_properties.ChecksPropertyRules,
            octavia_object.OctaviaObject):
    """An L7 policy of a listener (property names follow OS::Octavia::L7Policy).

    Adds what OS::Octavia::L7Policy lacks: the REDIRECT_PREFIX action with
    `redirect_prefix`, `redirect_http_code` and `tags`. A request is acted on when all
    rules of the policy match; policies are tried in `position` order.
    """

    OCTAVIA_KIND = 'L7 Policy'
    API = octavia_calls.OctaviaCalls('l7policy', 'l7policy', 'l7policies')
    PARENTS = (parent_load_balancer.Parent('listener', 'Listener'),)

    PROPERTIES = (
        NAME, DESCRIPTION, ADMIN_STATE_UP, ACTION, REDIRECT_POOL, REDIRECT_URL,
        POSITION, LISTENER, REDIRECT_PREFIX, REDIRECT_HTTP_CODE, TAGS,
    ) = (
        'name', 'description', 'admin_state_up', 'action', 'redirect_pool',
        'redirect_url', 'position', 'listener', 'redirect_prefix', 'redirect_http_code',
        'tags',
    )

    FIELD_OF_PROPERTY = {
        LISTENER: 'listener_id',
        REDIRECT_POOL: 'redirect_pool_id',
    }

    properties_schema = {
        NAME: property_schemas.name('L7 policy'),
        DESCRIPTION: property_schemas.description('L7 policy'),
        ADMIN_STATE_UP: property_schemas.admin_state_up('L7 policy'),
        ACTION: properties.Schema(
            properties.Schema.STRING,
            _('What to do with a request all rules of this policy match: REJECT it, '
              'send it to redirect_pool (REDIRECT_TO_POOL), redirect the client to '
              'redirect_url (REDIRECT_TO_URL) or to redirect_prefix followed by the '
              'request path (REDIRECT_PREFIX).'),
            required=True,
            constraints=[constraints.AllowedValues(octavia.L7POLICY_ACTIONS)],
            update_allowed=True,
        ),
        REDIRECT_POOL: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the pool for REDIRECT_TO_POOL.'),
            constraints=[constraints.CustomConstraint('octavia.pool')],
            update_allowed=True,
        ),
        REDIRECT_URL: properties.Schema(
            properties.Schema.STRING,
            _('URL (http or https) for REDIRECT_TO_URL.'),
            constraints=[constraints.AllowedPattern(r'^https?://\S+$')],
            update_allowed=True,
        ),
        REDIRECT_PREFIX: properties.Schema(
            properties.Schema.STRING,
            _('URL prefix (http or https) for REDIRECT_PREFIX; the request path is '
              'appended to it.'),
            constraints=[constraints.AllowedPattern(r'^https?://\S+$')],
            update_allowed=True,
        ),
        REDIRECT_HTTP_CODE: properties.Schema(
            properties.Schema.INTEGER,
            _('HTTP status of the redirect for REDIRECT_TO_URL and REDIRECT_PREFIX '
              '(Octavia\'s default is 302).'),
            constraints=[constraints.AllowedValues(octavia.REDIRECT_HTTP_CODES)],
            update_allowed=True,
        ),
        POSITION: properties.Schema(
            properties.Schema.INTEGER,
            _('Position of this policy among the listener\'s policies, from 1; by '
              'default after the last one.'),
            constraints=[constraints.Range(1, octavia.MAX_L7POLICY_POSITION)],
            update_allowed=True,
        ),
        LISTENER: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the listener this policy belongs to.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.listener')],
        ),
        TAGS: property_schemas.tags('L7 policy'),
    }

    # The policy's fields inside a listener of LBaaS::LoadBalancerTree (redirect_pool is
    # a pool's name there).
    FIELDS_SCHEMA = property_schemas.without(properties_schema, LISTENER, REDIRECT_POOL)

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('L7 policy'),
        'description': (property_schemas.STRING, _('Description of the L7 policy.')),
        'rules': (property_schemas.LIST,
                  _('L7 rules of this policy (a list of {"id": ...}).')),
        'listener_id': (property_schemas.STRING, _('ID of the listener of the policy.')),
        'redirect_pool_id': (property_schemas.STRING,
                             _('ID of the pool of a REDIRECT_TO_POOL policy.')),
        **{field: (kind, _('%s of the L7 policy.') % field) for field, kind in (
            (ACTION, property_schemas.STRING), (REDIRECT_URL, property_schemas.STRING),
            (REDIRECT_PREFIX, property_schemas.STRING),
            (REDIRECT_HTTP_CODE, property_schemas.INTEGER),
            (POSITION, property_schemas.INTEGER))},
    })

    NAME_OR_ID_FINDERS = {LISTENER: 'get_listener', REDIRECT_POOL: 'get_pool'}

    def property_problem(self):
        return property_rules.l7_policy_problem(self.properties)
