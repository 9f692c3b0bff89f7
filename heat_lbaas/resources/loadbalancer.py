"""LBaaS::LoadBalancer: an Octavia load balancer (a VIP served by an amphora)."""

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties

from heat_lbaas.resources import checked_properties
from heat_lbaas.resources import octavia_calls
from heat_lbaas.resources import octavia_object
from heat_lbaas.resources import property_rules
from heat_lbaas.resources import property_schemas


class LoadBalancer(checked_properties.ChecksPropertyRules,
            octavia_object.OctaviaObject):
    """A load balancer: the VIP address and the amphora behind it.

    Property names follow OS::Octavia::LoadBalancer. Unlike it, `vip_subnet` is passed to
    Octavia as given (a subnet id, or a name the load-balancer service itself accepts), with
    no Neutron lookup, so it also works where there is no Neutron. Delete is a cascade
    delete: children Heat did not create do not block it.
    """

    OCTAVIA_KIND = 'Load Balancer'
    # Cascade: listeners, pools or members made outside this stack must not keep the
    # load balancer (and so the stack) from being deleted.
    API = octavia_calls.OctaviaCalls('load_balancer', 'loadbalancer', 'loadbalancers',
                                     delete_options=(('cascade', True),))
    # An update repairs a load balancer in ERROR by failover: its children survive.
    CAN_FAIL_OVER = True

    PROPERTIES = (
        DESCRIPTION, NAME, PROVIDER, VIP_ADDRESS, VIP_SUBNET,
        ADMIN_STATE_UP, TENANT_ID, FLAVOR, AVAILABILITY_ZONE,
        VIP_NETWORK, VIP_PORT, VIP_QOS_POLICY, TAGS,
    ) = (
        'description', 'name', 'provider', 'vip_address', 'vip_subnet',
        'admin_state_up', 'tenant_id', 'flavor', 'availability_zone',
        'vip_network', 'vip_port', 'vip_qos_policy', 'tags',
    )

    FIELD_OF_PROPERTY = {
        VIP_SUBNET: 'vip_subnet_id',
        VIP_NETWORK: 'vip_network_id',
        VIP_PORT: 'vip_port_id',
        VIP_QOS_POLICY: 'vip_qos_policy_id',
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
        DESCRIPTION: property_schemas.description('load balancer'),
        NAME: property_schemas.name('load balancer'),
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
              'status` shows it; environments/devcloud.yaml sets it). Give this, '
              'vip_network or vip_port.'),
            constraints=[constraints.Length(min=1, max=255)],
        ),
        VIP_NETWORK: properties.Schema(
            properties.Schema.STRING,
            _('ID of the network on which to allocate the VIP (the service picks the '
              'subnet), passed to Octavia as vip_network_id.'),
            constraints=[constraints.Length(min=1, max=255)],
        ),
        VIP_PORT: properties.Schema(
            properties.Schema.STRING,
            _('ID of an existing port to use as the VIP, passed to Octavia as '
              'vip_port_id.'),
            constraints=[constraints.Length(min=1, max=255)],
        ),
        VIP_QOS_POLICY: properties.Schema(
            properties.Schema.STRING,
            _('ID of the QoS policy applied to the VIP port.'),
            constraints=[constraints.Length(max=255)],
            update_allowed=True,
        ),
        ADMIN_STATE_UP: property_schemas.admin_state_up('load balancer'),
        TENANT_ID: property_schemas.tenant_id('load balancer'),
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
        TAGS: property_schemas.tags('load balancer'),
    }

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('load balancer'),
        'description': (property_schemas.STRING, _('Description of the load balancer.')),
        VIP_ADDRESS_ATTR: (property_schemas.STRING,
                           _('The VIP address of the load balancer.')),
        VIP_PORT_ATTR: (property_schemas.STRING,
                        _('ID of the VIP port of the load balancer.')),
        VIP_SUBNET_ATTR: (property_schemas.STRING,
                          _('ID of the VIP subnet of the load balancer.')),
        VIP_NETWORK_ATTR: (property_schemas.STRING,
                           _('ID of the VIP network of the load balancer.')),
        POOLS_ATTR: (property_schemas.LIST,
                     _('Pools of this load balancer (a list of {"id": ...}).')),
        LISTENERS_ATTR: (property_schemas.LIST,
                         _('Listeners of this load balancer (a list of {"id": ...}).')),
        FLAVOR_ID_ATTR: (property_schemas.STRING,
                         _('ID of the flavor of the load balancer.')),
        'provider': (property_schemas.STRING, _('Provider driver of the load balancer.')),
        'availability_zone': (property_schemas.STRING,
                              _('Availability zone of the load balancer.')),
        'vip_qos_policy_id': (property_schemas.STRING,
                              _('ID of the QoS policy of the VIP port.')),
        'vip_sg_ids': (property_schemas.LIST,
                       _('Security groups of the VIP port.')),
        'additional_vips': (property_schemas.LIST,
                            _('Further VIPs of the load balancer.')),
        'vip_vnic_type': (property_schemas.STRING, _('VNIC type of the VIP port.')),
    })

    NAME_OR_ID_FINDERS = {FLAVOR: 'get_flavor'}

    def property_problem(self):
        return property_rules.load_balancer_problem(self.properties)
