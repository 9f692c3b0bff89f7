"""LBaaS::LoadBalancer: an Octavia load balancer (a VIP served by an amphora)."""

from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import translation

from heat_lbaas.resources import octavia_object


class LoadBalancer(octavia_object.OctaviaObject):
    """A load balancer: the VIP address and the amphora behind it.

    Property names follow OS::Octavia::LoadBalancer. Unlike it, `vip_subnet` is passed to
    Octavia as given (a subnet id, or a name the load-balancer service itself accepts), with
    no Neutron lookup, so it also works where there is no Neutron. Delete is a cascade
    delete: children Heat did not create do not block it.
    """

    OCTAVIA_KIND = 'Load Balancer'

    PROPERTIES = (
        DESCRIPTION, NAME, PROVIDER, VIP_ADDRESS, VIP_SUBNET,
        ADMIN_STATE_UP, TENANT_ID, FLAVOR, AVAILABILITY_ZONE,
    ) = (
        'description', 'name', 'provider', 'vip_address', 'vip_subnet',
        'admin_state_up', 'tenant_id', 'flavor', 'availability_zone',
    )

    FIELD_OF_PROPERTY = {
        VIP_SUBNET: 'vip_subnet_id',
        TENANT_ID: 'project_id',
        FLAVOR: 'flavor_id',
    }

    ATTRIBUTES = (
        VIP_ADDRESS_ATTR, VIP_PORT_ATTR, VIP_SUBNET_ATTR, VIP_NETWORK_ATTR,
        POOLS_ATTR, LISTENERS_ATTR, FLAVOR_ID_ATTR,
        PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'vip_address', 'vip_port_id', 'vip_subnet_id', 'vip_network_id',
        'pools', 'listeners', 'flavor_id',
        'provisioning_status', 'operating_status',
    )

    properties_schema = {
        DESCRIPTION: properties.Schema(
            properties.Schema.STRING,
            _('Description of this load balancer.'),
            default='',
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
        NAME: properties.Schema(
            properties.Schema.STRING,
            _('Name of this load balancer; defaults to a name Heat makes up.'),
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
        PROVIDER: properties.Schema(
            properties.Schema.STRING,
            _('Octavia provider driver for this load balancer (e.g. amphora); '
              'defaults to the service default.'),
            constraints=[constraints.Length(max=64)],
        ),
        VIP_ADDRESS: properties.Schema(
            properties.Schema.STRING,
            _('IP address for the VIP; by default the service picks a free address of '
              'the VIP subnet.'),
            constraints=[constraints.CustomConstraint('ip_addr')],
        ),
        VIP_SUBNET: properties.Schema(
            properties.Schema.STRING,
            _('ID of the subnet on which to allocate the VIP address, passed to '
              'Octavia as vip_subnet_id (on the devcloud: `heat-lbaas-devcloud '
              'status` shows it; environments/devcloud.yaml sets it).'),
            required=True,
            constraints=[constraints.Length(min=1, max=255)],
        ),
        ADMIN_STATE_UP: properties.Schema(
            properties.Schema.BOOLEAN,
            _('The administrative state of this load balancer.'),
            default=True,
            update_allowed=True,
        ),
        TENANT_ID: properties.Schema(
            properties.Schema.STRING,
            _('ID of the project that owns the load balancer. Only administrative '
              'users can give a project other than their own.'),
            constraints=[constraints.Length(max=255)],
        ),
        FLAVOR: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the Octavia flavor of the load balancer.'),
            constraints=[constraints.CustomConstraint('octavia.flavor')],
        ),
        AVAILABILITY_ZONE: properties.Schema(
            properties.Schema.STRING,
            _('The Octavia availability zone of the load balancer.'),
            constraints=[constraints.CustomConstraint('octavia.availabilityzone')],
        ),
    }

    attributes_schema = {
        VIP_ADDRESS_ATTR: attributes.Schema(
            _('The VIP address of the load balancer.'),
            type=attributes.Schema.STRING,
        ),
        VIP_PORT_ATTR: attributes.Schema(
            _('ID of the VIP port of the load balancer.'),
            type=attributes.Schema.STRING,
        ),
        VIP_SUBNET_ATTR: attributes.Schema(
            _('ID of the VIP subnet of the load balancer.'),
            type=attributes.Schema.STRING,
        ),
        VIP_NETWORK_ATTR: attributes.Schema(
            _('ID of the VIP network of the load balancer.'),
            type=attributes.Schema.STRING,
        ),
        POOLS_ATTR: attributes.Schema(
            _('Pools of this load balancer (a list of {"id": ...}).'),
            type=attributes.Schema.LIST,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        LISTENERS_ATTR: attributes.Schema(
            _('Listeners of this load balancer (a list of {"id": ...}).'),
            type=attributes.Schema.LIST,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        FLAVOR_ID_ATTR: attributes.Schema(
            _('ID of the flavor of the load balancer.'),
            type=attributes.Schema.STRING,
        ),
        PROVISIONING_STATUS_ATTR: attributes.Schema(
            _('Provisioning status of the load balancer (ACTIVE, PENDING_*, ERROR).'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        OPERATING_STATUS_ATTR: attributes.Schema(
            _('Operating status of the load balancer (ONLINE, DEGRADED, ERROR, ...).'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
    }

    def translation_rules(self, props):
        return [
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE, [self.FLAVOR],
                client_plugin=self.client_plugin(), finder='get_flavor'),
        ]

    def _api_create(self, body):
        return self.client().load_balancer_create(
            json={'loadbalancer': body})['loadbalancer']

    def _api_update(self, body):
        self.client().load_balancer_set(self.resource_id, json={'loadbalancer': body})

    def _api_delete(self):
        # Cascade: listeners, pools or members made outside this stack must not keep the
        # load balancer (and so the stack) from being deleted.
        self.client().load_balancer_delete(self.resource_id, cascade=True)

    def _api_show(self):
        return self.client().load_balancer_show(self.resource_id)
