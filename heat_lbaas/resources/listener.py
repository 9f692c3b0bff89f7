"""LBaaS::Listener: a protocol and port on which a load balancer accepts traffic."""

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import translation

from heat_lbaas.resources import octavia_object


class Listener(octavia_object.OctaviaObject):
    """A listener of a load balancer (property names follow OS::Octavia::Listener)."""

    OCTAVIA_KIND = 'Listener'

    PROPERTIES = (
        PROTOCOL_PORT, PROTOCOL, LOADBALANCER, DEFAULT_POOL, NAME,
        ADMIN_STATE_UP, DESCRIPTION, DEFAULT_TLS_CONTAINER_REF,
        SNI_CONTAINER_REFS, CONNECTION_LIMIT, TENANT_ID, ALLOWED_CIDRS,
    ) = (
        'protocol_port', 'protocol', 'loadbalancer', 'default_pool', 'name',
        'admin_state_up', 'description', 'default_tls_container_ref',
        'sni_container_refs', 'connection_limit', 'tenant_id', 'allowed_cidrs',
    )

    FIELD_OF_PROPERTY = {
        LOADBALANCER: 'loadbalancer_id',
        DEFAULT_POOL: 'default_pool_id',
        TENANT_ID: 'project_id',
    }

    # The protocols Octavia's API accepts for a listener (Heat's own type also lists PROXY,
    # which Octavia rejects for listeners).
    PROTOCOLS = (
        TCP, HTTP, HTTPS, TERMINATED_HTTPS, UDP, SCTP, PROMETHEUS,
    ) = (
        'TCP', 'HTTP', 'HTTPS', 'TERMINATED_HTTPS', 'UDP', 'SCTP', 'PROMETHEUS',
    )

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
            constraints=[constraints.AllowedValues(PROTOCOLS)],
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
        NAME: properties.Schema(
            properties.Schema.STRING,
            _('Name of this listener; defaults to a name Heat makes up.'),
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
        ADMIN_STATE_UP: properties.Schema(
            properties.Schema.BOOLEAN,
            _('The administrative state of this listener.'),
            default=True,
            update_allowed=True,
        ),
        DESCRIPTION: properties.Schema(
            properties.Schema.STRING,
            _('Description of this listener.'),
            default='',
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
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
        TENANT_ID: properties.Schema(
            properties.Schema.STRING,
            _('ID of the project that owns the listener.'),
            constraints=[constraints.Length(max=255)],
        ),
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
    }

    attributes_schema = {
        LOADBALANCERS_ATTR: attributes.Schema(
            _('Load balancers this listener belongs to (a list of {"id": ...}).'),
            type=attributes.Schema.LIST,
        ),
        DEFAULT_POOL_ID_ATTR: attributes.Schema(
            _('ID of the default pool of this listener.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        PROVISIONING_STATUS_ATTR: attributes.Schema(
            _('Provisioning status of the listener.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        OPERATING_STATUS_ATTR: attributes.Schema(
            _('Operating status of the listener.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
    }

    def translation_rules(self, props):
        return [
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE, [self.LOADBALANCER],
                client_plugin=self.client_plugin(), finder='get_loadbalancer'),
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE, [self.DEFAULT_POOL],
                client_plugin=self.client_plugin(), finder='get_pool'),
        ]

    def validate(self):
        super().validate()
        if (self.properties[self.PROTOCOL] == self.TERMINATED_HTTPS
                and self.properties[self.DEFAULT_TLS_CONTAINER_REF] is None):
            raise exception.StackValidationFailed(message=_(
                'Property %(ref)s is required when protocol is %(term)s.') % {
                    'ref': self.DEFAULT_TLS_CONTAINER_REF,
                    'term': self.TERMINATED_HTTPS})

    def _api_create(self, body):
        return self.client().listener_create(json={'listener': body})['listener']

    def _api_update(self, body):
        self.client().listener_set(self.resource_id, json={'listener': body})

    def _api_delete(self):
        self.client().listener_delete(self.resource_id)

    def _api_show(self):
        return self.client().listener_show(self.resource_id)
