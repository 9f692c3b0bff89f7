"""LBaaS::HealthMonitor: how the load balancer checks that a pool's members are alive."""

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


class HealthMonitor(checked_properties.ChecksPropertyRules,
            octavia_object.OctaviaObject):
    """The health monitor of a pool (property names follow OS::Octavia::HealthMonitor)."""

    OCTAVIA_KIND = 'Health Monitor'
    API = octavia_calls.OctaviaCalls('health_monitor', 'healthmonitor', 'healthmonitors')
    PARENTS = (parent_load_balancer.Parent('pool', 'Pool'),)

    PROPERTIES = (
        ADMIN_STATE_UP, DELAY, EXPECTED_CODES, HTTP_METHOD,
        MAX_RETRIES, POOL, TIMEOUT, TYPE, URL_PATH, TENANT_ID,
        NAME, MAX_RETRIES_DOWN, HTTP_VERSION, DOMAIN_NAME, TAGS,
    ) = (
        'admin_state_up', 'delay', 'expected_codes', 'http_method',
        'max_retries', 'pool', 'timeout', 'type', 'url_path', 'tenant_id',
        'name', 'max_retries_down', 'http_version', 'domain_name', 'tags',
    )

    FIELD_OF_PROPERTY = {
        POOL: 'pool_id',
        TENANT_ID: 'project_id',
    }

    ATTRIBUTES = (
        POOLS_ATTR, PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'pools', 'provisioning_status', 'operating_status',
    )

    properties_schema = {
        ADMIN_STATE_UP: property_schemas.admin_state_up('health monitor'),
        DELAY: properties.Schema(
            properties.Schema.INTEGER,
            _('Seconds between two checks of a member.'),
            required=True,
            constraints=[constraints.Range(min=0)],
            update_allowed=True,
        ),
        EXPECTED_CODES: properties.Schema(
            properties.Schema.STRING,
            _('HTTP status codes that mean healthy: a single value (200), a list '
              '(200, 202) or a range (200-204). Octavia\'s default is 200.'),
            update_allowed=True,
        ),
        HTTP_METHOD: properties.Schema(
            properties.Schema.STRING,
            _('HTTP method of the check request (HTTP and HTTPS monitors).'),
            constraints=[constraints.AllowedValues(octavia.HTTP_METHODS)],
            update_allowed=True,
        ),
        MAX_RETRIES: properties.Schema(
            properties.Schema.INTEGER,
            _('Number of successful checks before a member is ONLINE again, and of '
              'failed checks before it is ERROR.'),
            required=True,
            constraints=[constraints.Range(min=1, max=10)],
            update_allowed=True,
        ),
        POOL: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the pool whose members are checked.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.pool')],
        ),
        TIMEOUT: properties.Schema(
            properties.Schema.INTEGER,
            _('Seconds a check waits for an answer; must not exceed delay.'),
            required=True,
            constraints=[constraints.Range(min=0)],
            update_allowed=True,
        ),
        TYPE: properties.Schema(
            properties.Schema.STRING,
            _('Kind of check.'),
            required=True,
            constraints=[constraints.AllowedValues(octavia.HEALTH_MONITOR_TYPES)],
        ),
        URL_PATH: properties.Schema(
            properties.Schema.STRING,
            _('Path of the check request (HTTP and HTTPS monitors); starts with /.'),
            constraints=[constraints.AllowedPattern('^/.*')],
            update_allowed=True,
        ),
        TENANT_ID: property_schemas.tenant_id('health monitor'),
        NAME: property_schemas.name('health monitor'),
        MAX_RETRIES_DOWN: properties.Schema(
            properties.Schema.INTEGER,
            _('Number of failed checks before a member is ERROR (Octavia\'s default '
              'is 3).'),
            constraints=[constraints.Range(min=1, max=10)],
            update_allowed=True,
        ),
        HTTP_VERSION: properties.Schema(
            properties.Schema.NUMBER,
            _('HTTP version of the check request (HTTP and HTTPS monitors): 1.0 or '
              '1.1; 1.1 is needed for domain_name.'),
            constraints=[constraints.AllowedValues(octavia.HTTP_VERSIONS)],
            update_allowed=True,
        ),
        DOMAIN_NAME: properties.Schema(
            properties.Schema.STRING,
            _('Host header of the check request (HTTP and HTTPS monitors, '
              'http_version 1.1).'),
            constraints=[
                constraints.Length(max=255),
                constraints.AllowedPattern(octavia.DOMAIN_NAME_PATTERN),
            ],
            update_allowed=True,
        ),
        TAGS: property_schemas.tags('health monitor'),
    }

    # The monitor's fields inside a pool of LBaaS::LoadBalancerTree.
    FIELDS_SCHEMA = property_schemas.without(properties_schema, POOL, TENANT_ID)

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('health monitor'),
        POOLS_ATTR: (property_schemas.LIST,
                     _('Pools checked by this monitor (a list of {"id": ...}).')),
        **{field: (kind, _('%s of the health monitor.') % field) for field, kind in (
            (TYPE, property_schemas.STRING), (DELAY, property_schemas.INTEGER),
            (TIMEOUT, property_schemas.INTEGER), (MAX_RETRIES, property_schemas.INTEGER),
            (MAX_RETRIES_DOWN, property_schemas.INTEGER),
            (HTTP_METHOD, property_schemas.STRING), (URL_PATH, property_schemas.STRING),
            (EXPECTED_CODES, property_schemas.STRING),
            (HTTP_VERSION, property_schemas.STRING),
            (DOMAIN_NAME, property_schemas.STRING))},
    })

    # The API cannot change the type: a change deletes the monitor, then creates it anew
    # (a pool has at most one monitor, so the reverse order would be refused).
    RECREATE_ON_CHANGE = (TYPE,)

    NAME_OR_ID_FINDERS = {POOL: 'get_pool'}

    def property_problem(self):
        return property_rules.health_monitor_problem(self.properties)
