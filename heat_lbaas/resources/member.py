"""LBaaS::Member: one backend server (address and port) of a pool."""

from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import translation

from heat_lbaas.resources import lifecycle_properties
from heat_lbaas.resources import octavia_object
from heat_lbaas.resources import property_schemas


class Member(octavia_object.OctaviaObject):
    """A member of a pool (property names follow OS::Octavia::PoolMember).

    `monitor_address` and `monitor_port` are updated in place (Octavia allows it), where
    OS::Octavia::PoolMember replaces the member and runs into a duplicate conflict.
    `subnet` is passed to Octavia as given, with no Neutron lookup.
    """

    OCTAVIA_KIND = 'Member'

    PROPERTIES = (
        POOL, ADDRESS, PROTOCOL_PORT, MONITOR_ADDRESS, MONITOR_PORT,
        WEIGHT, ADMIN_STATE_UP, SUBNET, TAGS, NAME, BACKUP,
    ) = (
        'pool', 'address', 'protocol_port', 'monitor_address', 'monitor_port',
        'weight', 'admin_state_up', 'subnet', 'tags', 'name', 'backup',
    )

    FIELD_OF_PROPERTY = {
        POOL: None,  # part of the URL, not of the body
        SUBNET: 'subnet_id',
    }

    ATTRIBUTES = (
        ADDRESS_ATTR, PROTOCOL_PORT_ATTR, POOL_ID_ATTR, WEIGHT_ATTR,
        PROVISIONING_STATUS_ATTR, OPERATING_STATUS_ATTR,
    ) = (
        'address', 'protocol_port', 'pool_id', 'weight',
        'provisioning_status', 'operating_status',
    )

    properties_schema = {
        POOL: properties.Schema(
            properties.Schema.STRING,
            _('Name or ID of the pool this member belongs to.'),
            required=True,
            constraints=[constraints.CustomConstraint('octavia.pool')],
        ),
        ADDRESS: properties.Schema(
            properties.Schema.STRING,
            _('IP address on which the member answers.'),
            required=True,
            constraints=[constraints.CustomConstraint('ip_addr')],
        ),
        PROTOCOL_PORT: properties.Schema(
            properties.Schema.INTEGER,
            _('Port on which the member answers.'),
            required=True,
            constraints=[constraints.Range(1, 65535)],
        ),
        MONITOR_ADDRESS: properties.Schema(
            properties.Schema.STRING,
            _('Address the health monitor checks instead of the member address.'),
            constraints=[constraints.CustomConstraint('ip_addr')],
            update_allowed=True,
        ),
        MONITOR_PORT: properties.Schema(
            properties.Schema.INTEGER,
            _('Port the health monitor checks instead of the member port.'),
            constraints=[constraints.Range(1, 65535)],
            update_allowed=True,
        ),
        WEIGHT: properties.Schema(
            properties.Schema.INTEGER,
            _('Share of the traffic relative to the other members; 0 takes no new '
              'connections.'),
            default=1,
            constraints=[constraints.Range(0, 256)],
            update_allowed=True,
        ),
        ADMIN_STATE_UP: properties.Schema(
            properties.Schema.BOOLEAN,
            _('The administrative state of the member.'),
            default=True,
            update_allowed=True,
        ),
        SUBNET: properties.Schema(
            properties.Schema.STRING,
            _('ID of the subnet on which the member is reached; passed to Octavia as '
              'subnet_id as given. By default the VIP subnet.'),
            constraints=[constraints.Length(min=1, max=255)],
        ),
        TAGS: property_schemas.tags('member'),
        NAME: property_schemas.name('member'),
        BACKUP: properties.Schema(
            properties.Schema.BOOLEAN,
            _('A backup member takes traffic only while no other member is healthy.'),
            default=False,
            update_allowed=True,
        ),
    }

    # The member's fields as the batch update and the load balancer tree take them:
    # everything but the pool, which is implied there.
    FIELDS_SCHEMA = property_schemas.without(properties_schema, POOL)

    # Readiness and drain steer this resource and are not member fields (not in
    # FIELDS_SCHEMA above); see lifecycle_properties.py.
    properties_schema = {**properties_schema, **lifecycle_properties.READINESS,
                         **lifecycle_properties.DRAIN}

    # The API cannot change these: a change deletes the member, then creates it anew.
    RECREATE_ON_CHANGE = (ADDRESS, PROTOCOL_PORT, SUBNET)

    attributes_schema = property_schemas.attributes_of({
        **property_schemas.common_attributes('member'),
        ADDRESS_ATTR: (property_schemas.STRING, _('IP address of the member.')),
        PROTOCOL_PORT_ATTR: (property_schemas.INTEGER, _('Port of the member.')),
        POOL_ID_ATTR: (property_schemas.STRING, _('ID of the pool of the member.')),
        WEIGHT_ATTR: (property_schemas.INTEGER, _('Weight of the member.')),
        'backup': (property_schemas.BOOLEAN, _('Whether the member is a backup.')),
        'subnet_id': (property_schemas.STRING, _('ID of the subnet of the member.')),
        'monitor_address': (property_schemas.STRING,
                            _('Address the health monitor checks.')),
        'monitor_port': (property_schemas.INTEGER, _('Port the health monitor checks.')),
        'vnic_type': (property_schemas.STRING, _('VNIC type of the member port.')),
    })

    def translation_rules(self, props):
        return [
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE, [self.POOL],
                client_plugin=self.client_plugin(), finder='get_pool'),
        ]

    def _pool_id(self):
        return self.properties[self.POOL]

    def _api_create(self, body):
        return self.client().member_create(
            self._pool_id(), json={'member': body})['member']

    def _api_update(self, body):
        self.client().member_set(self._pool_id(), self.resource_id, json={'member': body})

    def _api_delete(self):
        self.client().member_delete(self._pool_id(), self.resource_id)

    def _api_show(self):
        return self.client().member_show(self._pool_id(), self.resource_id)

    def _resolve_attribute(self, name):
        if name == self.POOL_ID_ATTR:
            return self._pool_id()
        return super()._resolve_attribute(name)
