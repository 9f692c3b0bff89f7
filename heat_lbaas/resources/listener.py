"""LBaaS::Listener: a protocol and port on which a load balancer accepts traffic."""

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


def _timeout_ms(description):
    return properties.Schema(
        properties.Schema.INTEGER, description,
        constraints=[constraints.Range(0, octavia.MAX_TIMEOUT_MS)], update_allowed=True)


class Listener(checked_properties.ChecksPropertyRules, octavia_object.OctaviaObject):
    """A listener of a load balancer (property names follow OS::Octavia::Listener)."""

    OCTAVIA_KIND = 'Listener'
    API = octavia_calls.OctaviaCalls('listener', 'listener', 'listeners')
    PARENTS = (
        parent_load_balancer.Parent('loadbalancer', parent_load_balancer.LOAD_BALANCER),)

    PROPERTIES = (
        PROTOCOL_PORT, PROTOCOL, LOADBALANCER, DEFAULT_POOL, NAME,
        ADMIN_STATE_UP, DESCRIPTION, DEFAULT_TLS_CONTAINER_REF,
        SNI_CONTAINER_REFS, CONNECTION_LIMIT, TENANT_ID, ALLOWED_CIDRS,
        TIMEOUT_CLIENT_DATA, TIMEOUT_MEMBER_CONNECT, TIMEOUT_MEMBER_DATA,
        TIMEOUT_TCP_INSPECT, INSERT_HEADERS, CLIENT_CA_TLS_CONTAINER_REF,
        CLIENT_AUTHENTICATION, CLIENT_CRL_CONTAINER_REF, TLS_CIPHERS, TLS_VERSIONS,
        ALPN_PROTOCOLS, HSTS_MAX_AGE, HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD, TAGS,
    ) = (
        'protocol_port', 'protocol', 'loadbalancer', 'default_pool', 'name',
        'admin_state_up', 'description', 'default_tls_container_ref',
        'sni_container_refs', 'connection_limit', 'tenant_id', 'allowed_cidrs',
        'timeout_client_data', 'timeout_member_connect', 'timeout_member_data',
        'timeout_tcp_inspect', 'insert_headers', 'client_ca_tls_container_ref',
        'client_authentication', 'client_crl_container_ref', 'tls_ciphers', 'tls_versions',
        'alpn_protocols', 'hsts_max_age', 'hsts_include_subdomains', 'hsts_preload', 'tags',
    )

    FIELD_OF_PROPERTY = {
        LOADBALANCER: 'loadbalancer_id',
        DEFAULT_POOL: 'default_pool_id',
        TENANT_ID: 'project_id',
    }

    ATTRIBUTES = (
        LOADBALANCERS_ATTR, DEFAULT_POOL_ID_ATTR,
        PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'loadbalancers', 'default_pool_id',
        'provisioning_status', 'operating_status',
    )

    properties_schema = {
        PROTOCOL_PORT: properties.Schema(
            properties.Schema.INTEGER,
            _('TCP or UDP port on which to listen for client traffic.'),
            required=True,
            constraints=[constraints.Range(1, 65535)],
        ),
        PROTOCOL: properties.Schema(
            properties.Schema.STRING,
            _('Protocol on which to listen for client traffic.'),
            required=True,
            # The protocols Octavia's API accepts for a listener (Heat's own type
            # also lists PROXY, which Octavia rejects for listeners).
            constraints=[constraints.AllowedValues(octavia.LISTENER_PROTOCOLS)],
        ),
        LOADBALANCER: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the load balancer this listener belongs to.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.loadbalancer')],
        ),
        DEFAULT_POOL: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the pool that gets the traffic no L7 policy takes.'),
            update_allowed=True,
            constraints=[constraints.CustomConstraint('octavia.pool')],
        ),
        NAME: property_schemas.name('listener'),
        ADMIN_STATE_UP: property_schemas.admin_state_up('listener'),
        DESCRIPTION: property_schemas.description('listener'),
        DEFAULT_TLS_CONTAINER_REF: properties.Schema(
            properties.Schema.STRING,
            _('Reference of the key manager secret with the certificate for '
              'TERMINATED_HTTPS.'),
            update_allowed=True,
        ),
        SNI_CONTAINER_REFS: properties.Schema(
            properties.Schema.LIST,
            _('References of key manager secrets with further certificates, chosen by '
              'SNI.'),
            update_allowed=True,
        ),
        CONNECTION_LIMIT: properties.Schema(
            properties.Schema.INTEGER,
            _('The maximum number of connections permitted for this listener; -1 '
              'means no limit.'),
            default=-1,
            constraints=[constraints.Range(min=-1)],
            update_allowed=True,
        ),
        TENANT_ID: property_schemas.tenant_id('listener'),
        ALLOWED_CIDRS: properties.Schema(
            properties.Schema.LIST,
            _('CIDRs (IPv4, IPv6 or both) allowed to connect. By default all are '
              'allowed; with a list, everything else is denied.'),
            update_allowed=True,
            schema=properties.Schema(
                properties.Schema.STRING,
                constraints=[constraints.CustomConstraint('net_cidr')],
            ),
        ),
        TIMEOUT_CLIENT_DATA: _timeout_ms(_(
            'How long a client may stay inactive (default 50000), in milliseconds.')),
        TIMEOUT_MEMBER_CONNECT: _timeout_ms(_(
            'How long to wait for a member to accept a connection (default 5000), in '
            'milliseconds.')),
        TIMEOUT_MEMBER_DATA: _timeout_ms(_(
            'How long a member may stay inactive (default 50000), in milliseconds.')),
        TIMEOUT_TCP_INSPECT: _timeout_ms(_(
            'How long to wait for more TCP data before choosing a pool by content '
            '(default 0), in milliseconds.')),
        INSERT_HEADERS: properties.Schema(
            properties.Schema.MAP,
            _('Headers added to the requests passed to the members, each set to the '
              'string "true" (e.g. {X-Forwarded-For: "true"}); HTTP and '
              'TERMINATED_HTTPS listeners only.'),
            update_allowed=True,
            schema={
                header: properties.Schema(
                    properties.Schema.STRING,
                    _('"true" to add the %s header.') % header,
                    constraints=[constraints.AllowedValues(['true', 'false', 'True',
                                                            'False'])])
                # Headers Octavia can add to requests passed to the members.
                for header in octavia.FORWARDED_HEADERS + octavia.SSL_CLIENT_HEADERS
            },
        ),
        CLIENT_CA_TLS_CONTAINER_REF: properties.Schema(
            properties.Schema.STRING,
            _('Reference of the key manager secret with the CA certificates that sign '
              'client certificates (TERMINATED_HTTPS).'),
            update_allowed=True,
        ),
        CLIENT_AUTHENTICATION: properties.Schema(
            properties.Schema.STRING,
            _('Whether clients must present a certificate (TERMINATED_HTTPS; OPTIONAL '
              'and MANDATORY need client_ca_tls_container_ref).'),
            default='NONE',
            constraints=[constraints.AllowedValues(octavia.CLIENT_AUTH_MODES)],
            update_allowed=True,
        ),
        CLIENT_CRL_CONTAINER_REF: properties.Schema(
            properties.Schema.STRING,
            _('Reference of the key manager secret with the revocation list of client '
              'certificates.'),
            update_allowed=True,
        ),
        TLS_CIPHERS: properties.Schema(
            properties.Schema.STRING,
            _('OpenSSL cipher string for TLS termination (e.g. '
              'ECDHE-ECDSA-AES256-GCM-SHA384:...); defaults to the service\'s.'),
            constraints=[constraints.Length(max=2048)],
            update_allowed=True,
        ),
        TLS_VERSIONS: property_schemas.string_list(
            _('TLS versions accepted from clients; defaults to the service\'s.'),
            item_constraints=[constraints.AllowedValues(octavia.TLS_VERSIONS)]),
        ALPN_PROTOCOLS: property_schemas.string_list(
            _('Protocols offered by ALPN during the TLS handshake.'),
            item_constraints=[constraints.AllowedValues(octavia.ALPN_PROTOCOLS)]),
        HSTS_MAX_AGE: properties.Schema(
            properties.Schema.INTEGER,
            _('Seconds browsers should remember to use HTTPS only (sends '
              'Strict-Transport-Security; TERMINATED_HTTPS).'),
            constraints=[constraints.Range(min=0)],
            update_allowed=True,
        ),
        HSTS_INCLUDE_SUBDOMAINS: properties.Schema(
            properties.Schema.BOOLEAN,
            _('Add includeSubDomains to the HSTS header (needs hsts_max_age).'),
            default=False,
            update_allowed=True,
        ),
        HSTS_PRELOAD: properties.Schema(
            properties.Schema.BOOLEAN,
            _('Add preload to the HSTS header (needs hsts_max_age).'),
            default=False,
            update_allowed=True,
        ),
        TAGS: property_schemas.tags('listener'),
    }

    # The listener's fields inside LBaaS::LoadBalancerTree (default_pool is a pool's
    # name there, declared by the tree).
    FIELDS_SCHEMA = property_schemas.without(
        properties_schema, LOADBALANCER, DEFAULT_POOL, TENANT_ID)

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('listener'),
        'description': (property_schemas.STRING, _('Description of the listener.')),
        LOADBALANCERS_ATTR: (property_schemas.LIST, _(
            'Load balancers this listener belongs to (a list of {"id": ...}).')),
        DEFAULT_POOL_ID_ATTR: (property_schemas.STRING,
                               _('ID of the default pool of this listener.')),
        'l7policies': (property_schemas.LIST,
                       _('L7 policies of this listener (a list of {"id": ...}).')),
        **{field: (kind, _('%s of the listener.') % field) for field, kind in (
            (PROTOCOL, property_schemas.STRING), (PROTOCOL_PORT, property_schemas.INTEGER),
            (CONNECTION_LIMIT, property_schemas.INTEGER),
            (DEFAULT_TLS_CONTAINER_REF, property_schemas.STRING),
            (SNI_CONTAINER_REFS, property_schemas.LIST),
            (ALLOWED_CIDRS, property_schemas.LIST),
            (TIMEOUT_CLIENT_DATA, property_schemas.INTEGER),
            (TIMEOUT_MEMBER_CONNECT, property_schemas.INTEGER),
            (TIMEOUT_MEMBER_DATA, property_schemas.INTEGER),
            (TIMEOUT_TCP_INSPECT, property_schemas.INTEGER),
            (INSERT_HEADERS, property_schemas.MAP),
            (CLIENT_CA_TLS_CONTAINER_REF, property_schemas.STRING),
            (CLIENT_AUTHENTICATION, property_schemas.STRING),
            (CLIENT_CRL_CONTAINER_REF, property_schemas.STRING),
            (TLS_CIPHERS, property_schemas.STRING), (TLS_VERSIONS, property_schemas.LIST),
            (ALPN_PROTOCOLS, property_schemas.LIST),
            (HSTS_MAX_AGE, property_schemas.INTEGER),
            (HSTS_INCLUDE_SUBDOMAINS, property_schemas.BOOLEAN),
            (HSTS_PRELOAD, property_schemas.BOOLEAN))},
    })

    # The API cannot change these: a change deletes the listener, then creates it anew
    # inside the update (a new listener on the same port would be refused as a
    # duplicate while the old one exists).
    RECREATE_ON_CHANGE = (PROTOCOL, PROTOCOL_PORT, LOADBALANCER)

    MAPS_WITHOUT_UNSET_KEYS = (INSERT_HEADERS,)

    NAME_OR_ID_FINDERS = {LOADBALANCER: 'get_loadbalancer', DEFAULT_POOL: 'get_pool'}

    def property_problem(self):
        return property_rules.listener_problem(self.properties)
