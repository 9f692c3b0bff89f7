"""LBaaS::Pool: a group of members that share a balancing algorithm."""

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import translation

from heat_lbaas.resources import octavia_object


class Pool(octavia_object.OctaviaObject):
    """A pool of a listener or load balancer (property names follow OS::Octavia::Pool)."""

    OCTAVIA_KIND = 'Pool'

    PROPERTIES = (
        ADMIN_STATE_UP, DESCRIPTION, SESSION_PERSISTENCE, NAME,
        LB_ALGORITHM, LISTENER, LOADBALANCER, PROTOCOL, TLS_ENABLED,
    ) = (
        'admin_state_up', 'description', 'session_persistence', 'name',
        'lb_algorithm', 'listener', 'loadbalancer', 'protocol', 'tls_enabled',
    )

    SESSION_PERSISTENCE_KEYS = (
        SESSION_PERSISTENCE_TYPE, SESSION_PERSISTENCE_COOKIE_NAME,
    ) = (
        'type', 'cookie_name',
    )

    SESSION_PERSISTENCE_TYPES = (
        SOURCE_IP, HTTP_COOKIE, APP_COOKIE,
    ) = (
        'SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE',
    )

    LB_ALGORITHMS = (
        'ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT',
    )

    # The protocols Octavia's API accepts for a pool (Heat's own type also lists
    # TERMINATED_HTTPS, which Octavia rejects for pools).
    PROTOCOLS = ('TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'UDP', 'SCTP')

    FIELD_OF_PROPERTY = {
        LISTENER: 'listener_id',
        LOADBALANCER: 'loadbalancer_id',
    }

    ATTRIBUTES = (
        HEALTHMONITOR_ID_ATTR, LISTENERS_ATTR, LOADBALANCERS_ATTR, MEMBERS_ATTR,
        PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'healthmonitor_id', 'listeners', 'loadbalancers', 'members',
        'provisioning_status', 'operating_status',
    )

    properties_schema = {
        ADMIN_STATE_UP: properties.Schema(
            properties.Schema.BOOLEAN,
            _('The administrative state of this pool.'),
            default=True,
            update_allowed=True,
        ),
        DESCRIPTION: properties.Schema(
            properties.Schema.STRING,
            _('Description of this pool.'),
            default='',
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
        SESSION_PERSISTENCE: properties.Schema(
            properties.Schema.MAP,
            _('Session persistence: which requests go to the same member.'),
            schema={
                SESSION_PERSISTENCE_TYPE: properties.Schema(
                    properties.Schema.STRING,
                    _('How requests are tied to a member.'),
                    required=True,
                    constraints=[constraints.AllowedValues(SESSION_PERSISTENCE_TYPES)],
                ),
                SESSION_PERSISTENCE_COOKIE_NAME: properties.Schema(
                    properties.Schema.STRING,
                    _('Name of the application cookie; required (only) with '
                      'APP_COOKIE.'),
                ),
            },
            update_allowed=True,
        ),
        NAME: properties.Schema(
            properties.Schema.STRING,
            _('Name of this pool; defaults to a name Heat makes up.'),
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
        LB_ALGORITHM: properties.Schema(
            properties.Schema.STRING,
            _('The algorithm that distributes requests among the members.'),
            required=True,
            constraints=[constraints.AllowedValues(LB_ALGORITHMS)],
            update_allowed=True,
        ),
        LISTENER: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the listener whose default pool this is. Give this or '
              'loadbalancer.'),
            constraints=[constraints.CustomConstraint('octavia.listener')],
        ),
        LOADBALANCER: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the load balancer this pool belongs to. Give this or '
              'listener.'),
            constraints=[constraints.CustomConstraint('octavia.loadbalancer')],
        ),
        PROTOCOL: properties.Schema(
            properties.Schema.STRING,
            _('Protocol spoken to the members.'),
            required=True,
            constraints=[constraints.AllowedValues(PROTOCOLS)],
        ),
        TLS_ENABLED: properties.Schema(
            properties.Schema.BOOLEAN,
            _('Whether traffic to the members is encrypted with TLS.'),
            default=False,
            update_allowed=True,
        ),
    }

    attributes_schema = {
        HEALTHMONITOR_ID_ATTR: attributes.Schema(
            _('ID of the health monitor of this pool.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        LISTENERS_ATTR: attributes.Schema(
            _('Listeners using this pool (a list of {"id": ...}).'),
            type=attributes.Schema.LIST,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        LOADBALANCERS_ATTR: attributes.Schema(
            _('Load balancers of this pool (a list of {"id": ...}).'),
            type=attributes.Schema.LIST,
        ),
        MEMBERS_ATTR: attributes.Schema(
            _('Members of this pool (a list of {"id": ...}).'),
            type=attributes.Schema.LIST,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        PROVISIONING_STATUS_ATTR: attributes.Schema(
            _('Provisioning status of the pool.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        OPERATING_STATUS_ATTR: attributes.Schema(
            _('Operating status of the pool (from its members\' health).'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
    }

    def translation_rules(self, props):
        return [
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE, [self.LISTENER],
                client_plugin=self.client_plugin(), finder='get_listener'),
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE, [self.LOADBALANCER],
                client_plugin=self.client_plugin(), finder='get_loadbalancer'),
        ]

    def validate(self):
        super().validate()
        if (self.properties[self.LISTENER] is None
                and self.properties[self.LOADBALANCER] is None):
            raise exception.PropertyUnspecifiedError(self.LISTENER, self.LOADBALANCER)
        persistence = self.properties[self.SESSION_PERSISTENCE]
        if persistence is None:
            return
        kind = persistence[self.SESSION_PERSISTENCE_TYPE]
        cookie_name = persistence.get(self.SESSION_PERSISTENCE_COOKIE_NAME)
        if kind == self.APP_COOKIE and not cookie_name:
            raise exception.StackValidationFailed(message=_(
                'Property %(cookie)s is required when %(sp)s type is %(app)s.') % {
                    'cookie': self.SESSION_PERSISTENCE_COOKIE_NAME,
                    'sp': self.SESSION_PERSISTENCE, 'app': self.APP_COOKIE})
        if kind != self.APP_COOKIE and cookie_name:
            raise exception.StackValidationFailed(message=_(
                'Property %(cookie)s is only allowed when %(sp)s type is %(app)s.') % {
                    'cookie': self.SESSION_PERSISTENCE_COOKIE_NAME,
                    'sp': self.SESSION_PERSISTENCE, 'app': self.APP_COOKIE})

    def _create_body(self):
        return self._without_unset_persistence_keys(super()._create_body())

    def _update_body(self, prop_diff):
        return self._without_unset_persistence_keys(super()._update_body(prop_diff))

    def _without_unset_persistence_keys(self, body):
        # Heat fills a map's absent keys with None; Octavia rejects cookie_name: null for
        # SOURCE_IP and HTTP_COOKIE.
        persistence = body.get(self.SESSION_PERSISTENCE)
        if persistence:
            body[self.SESSION_PERSISTENCE] = {
                key: value for key, value in persistence.items() if value is not None}
        return body

    def _api_create(self, body):
        return self.client().pool_create(json={'pool': body})['pool']

    def _api_update(self, body):
        self.client().pool_set(self.resource_id, json={'pool': body})

    def _api_delete(self):
        self.client().pool_delete(self.resource_id)

    def _api_show(self):
        return self.client().pool_show(self.resource_id)
