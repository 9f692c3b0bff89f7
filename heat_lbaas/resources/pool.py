"""LBaaS::Pool: a group of members that share a balancing algorithm."""

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


class Pool(checked_properties.ChecksPropertyRules,
            octavia_object.OctaviaObject):
    """A pool of a listener or load balancer (property names follow OS::Octavia::Pool)."""

    OCTAVIA_KIND = 'Pool'
    API = octavia_calls.OctaviaCalls('pool', 'pool', 'pools')
    PARENTS = (
        parent_load_balancer.Parent('loadbalancer', parent_load_balancer.LOAD_BALANCER),
        parent_load_balancer.Parent('listener', 'Listener'))

    PROPERTIES = (
        ADMIN_STATE_UP, DESCRIPTION, SESSION_PERSISTENCE, NAME,
        LB_ALGORITHM, LISTENER, LOADBALANCER, PROTOCOL, TLS_ENABLED,
        TLS_CONTAINER_REF, CA_TLS_CONTAINER_REF, CRL_CONTAINER_REF, TLS_CIPHERS,
        TLS_VERSIONS, ALPN_PROTOCOLS, TAGS, TENANT_ID,
    ) = (
        'admin_state_up', 'description', 'session_persistence', 'name',
        'lb_algorithm', 'listener', 'loadbalancer', 'protocol', 'tls_enabled',
        'tls_container_ref', 'ca_tls_container_ref', 'crl_container_ref', 'tls_ciphers',
        'tls_versions', 'alpn_protocols', 'tags', 'tenant_id',
    )

    SESSION_PERSISTENCE_KEYS = (
        SESSION_PERSISTENCE_TYPE, SESSION_PERSISTENCE_COOKIE_NAME,
    ) = (
        'type', 'cookie_name',
    )

    FIELD_OF_PROPERTY = {
        LISTENER: 'listener_id',
        LOADBALANCER: 'loadbalancer_id',
        TENANT_ID: 'project_id',
    }

    ATTRIBUTES = (
        HEALTHMONITOR_ID_ATTR, LISTENERS_ATTR, LOADBALANCERS_ATTR, MEMBERS_ATTR,
        PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'healthmonitor_id', 'listeners', 'loadbalancers', 'members',
        'provisioning_status', 'operating_status',
    )

    properties_schema = {
        ADMIN_STATE_UP: property_schemas.admin_state_up('pool'),
        DESCRIPTION: property_schemas.description('pool'),
        SESSION_PERSISTENCE: properties.Schema(
            properties.Schema.MAP,
            _('Session persistence: which requests go to the same member.'),
            schema={
                SESSION_PERSISTENCE_TYPE: properties.Schema(
                    properties.Schema.STRING,
                    _('How requests are tied to a member.'),
                    required=True,
                    constraints=[constraints.AllowedValues(
                        octavia.SESSION_PERSISTENCE_TYPES)],
                ),
                SESSION_PERSISTENCE_COOKIE_NAME: properties.Schema(
                    properties.Schema.STRING,
                    _('Name of the application cookie; required (only) with '
                      'APP_COOKIE.'),
                ),
            },
            update_allowed=True,
        ),
        NAME: property_schemas.name('pool'),
        LB_ALGORITHM: properties.Schema(
            properties.Schema.STRING,
            _('The algorithm that distributes requests among the members.'),
            required=True,
            constraints=[constraints.AllowedValues(octavia.LB_ALGORITHMS)],
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
            # The protocols Octavia's API accepts for a pool (Heat's own type also
            # lists TERMINATED_HTTPS, which Octavia rejects for pools).
            constraints=[constraints.AllowedValues(octavia.POOL_PROTOCOLS)],
        ),
        TLS_ENABLED: properties.Schema(
            properties.Schema.BOOLEAN,
            _('Whether traffic to the members is encrypted with TLS.'),
            default=False,
            update_allowed=True,
        ),
        TLS_CONTAINER_REF: properties.Schema(
            properties.Schema.STRING,
            _('Reference of the key manager secret with the client certificate the '
              'load balancer presents to the members (with tls_enabled).'),
            update_allowed=True,
        ),
        CA_TLS_CONTAINER_REF: properties.Schema(
            properties.Schema.STRING,
            _('Reference of the key manager secret with the CA certificates that the '
              'members\' certificates are checked against (with tls_enabled).'),
            update_allowed=True,
        ),
        CRL_CONTAINER_REF: properties.Schema(
            properties.Schema.STRING,
            _('Reference of the key manager secret with the revocation list of the '
              'members\' certificates (needs ca_tls_container_ref).'),
            update_allowed=True,
        ),
        TLS_CIPHERS: properties.Schema(
            properties.Schema.STRING,
            _('OpenSSL cipher string for TLS to the members (with tls_enabled).'),
            constraints=[constraints.Length(max=2048)],
            update_allowed=True,
        ),
        TLS_VERSIONS: property_schemas.string_list(
            _('TLS versions used towards the members (with tls_enabled).'),
            item_constraints=[constraints.AllowedValues(octavia.TLS_VERSIONS)]),
        ALPN_PROTOCOLS: property_schemas.string_list(
            _('Protocols offered by ALPN to the members (with tls_enabled).'),
            item_constraints=[constraints.AllowedValues(octavia.ALPN_PROTOCOLS)]),
        TAGS: property_schemas.tags('pool'),
        TENANT_ID: property_schemas.tenant_id('pool'),
    }

    # The pool's fields inside LBaaS::LoadBalancerTree (which adds its members and
    # health monitor).
    FIELDS_SCHEMA = property_schemas.without(
        properties_schema, LISTENER, LOADBALANCER, TENANT_ID)

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('pool'),
        'description': (property_schemas.STRING, _('Description of the pool.')),
        HEALTHMONITOR_ID_ATTR: (property_schemas.STRING,
                                _('ID of the health monitor of this pool.')),
        LISTENERS_ATTR: (property_schemas.LIST,
                         _('Listeners using this pool (a list of {"id": ...}).')),
        LOADBALANCERS_ATTR: (property_schemas.LIST,
                             _('Load balancers of this pool (a list of {"id": ...}).')),
        MEMBERS_ATTR: (property_schemas.LIST,
                       _('Members of this pool (a list of {"id": ...}).')),
        **{field: (kind, _('%s of the pool.') % field) for field, kind in (
            (PROTOCOL, property_schemas.STRING), (LB_ALGORITHM, property_schemas.STRING),
            (SESSION_PERSISTENCE, property_schemas.MAP),
            (TLS_ENABLED, property_schemas.BOOLEAN),
            (TLS_CONTAINER_REF, property_schemas.STRING),
            (CA_TLS_CONTAINER_REF, property_schemas.STRING),
            (CRL_CONTAINER_REF, property_schemas.STRING),
            (TLS_CIPHERS, property_schemas.STRING), (TLS_VERSIONS, property_schemas.LIST),
            (ALPN_PROTOCOLS, property_schemas.LIST))},
    })

    # The API cannot change these: a change deletes the pool (and with it its members
    # and monitor), then creates it anew inside the update (a new default pool of the
    # same listener would be refused while the old one exists).
    RECREATE_ON_CHANGE = (LISTENER, LOADBALANCER, PROTOCOL)

    MAPS_WITHOUT_UNSET_KEYS = (SESSION_PERSISTENCE,)

    NAME_OR_ID_FINDERS = {LISTENER: 'get_listener', LOADBALANCER: 'get_loadbalancer'}

    def property_problem(self):
        return property_rules.pool_problem(self.properties)
