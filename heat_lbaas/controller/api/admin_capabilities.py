"""What a flavor or an availability zone can ask of this controller's provider, as
JSON schemas in the shape of Octavia's amphora driver (flavor_schema.py,
availability_zone_schema.py), cut down to what this controller really carries out.

Flavor: only `loadbalancer_topology`: SINGLE (one HAProxy process per load balancer),
and ACTIVE_STANDBY (two amphorae with keepalived, amphora/active_standby.py) where
amphorae run in network namespaces; with loopback amphorae it is refused rather than
accepted and ignored. Octavia's other keys
(compute_flavor, amp_image_tag, sriov_vip, allow_member_sriov) name Nova, Glance and
Neutron features that have no meaning for a local process, so they are not offered.
Availability zone: only `valid_vip_networks`, which restricts the VIP network of the
load balancers created in the zone exactly as in Octavia; compute_zone, volume_zone
and management_network do not apply.

The same schema answers GET /providers/{provider}/flavor_capabilities (its property
descriptions) and validates flavor_data, as Octavia's driver does.
"""
import json

import jsonschema

from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller import errors

FLAVOR_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'loadbalancer_topology': {
            'type': 'string',
            'description': 'The load balancer topology. One of: SINGLE - One '
                           'amphora per load balancer.',
            'enum': ['SINGLE'],
        },
    },
}

AVAILABILITY_ZONE_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'valid_vip_networks': {
            'type': 'array',
            'items': {'type': 'string'},
            'description': 'List of network IDs that are allowed for VIP use. This '
                           'overrides/replaces the list of allowed networks '
                           'configured in `octavia.conf`.',
        },
    },
}


ACTIVE_STANDBY_DESCRIPTION = ('The load balancer topology. One of: SINGLE - One '
                              'amphora per load balancer. ACTIVE_STANDBY - Two amphora '
                              'per load balancer.')


def flavor_schema(conf):
    """FLAVOR_SCHEMA, with ACTIVE_STANDBY where this controller serves it: the haproxy
    amphora driver with amphorae in network namespaces (VRRP needs an interface)."""
    if (conf.controller.amphora_driver != 'haproxy'
            or conf.controller.amphora_network != 'namespace'):
        return FLAVOR_SCHEMA
    topology = dict(FLAVOR_SCHEMA['properties']['loadbalancer_topology'],
                    description=ACTIVE_STANDBY_DESCRIPTION,
                    enum=['SINGLE', 'ACTIVE_STANDBY'])
    return dict(FLAVOR_SCHEMA, properties={'loadbalancer_topology': topology})


def availability_zone_schema(conf):
    return AVAILABILITY_ZONE_SCHEMA


def check_provider(provider):
    """Octavia's driver_factory.get_driver: an unknown provider is a 400."""
    # Imported here: api/loadbalancers.py checks flavors through this module.
    from heat_lbaas.controller.api import loadbalancers
    if provider not in loadbalancers.PROVIDERS:
        raise errors.ApiError("Provider '%s' is not enabled." % provider)


def described(schema):
    """{capability: description}, Octavia's get_supported_*_metadata()."""
    return {name: spec['description'] for name, spec in schema['properties'].items()}


def parse(text, option, schema):
    """The JSON object in `text` (flavor_data, availability_zone_data) after the
    provider's check, or Octavia's error: 400 for text that is no JSON, the
    provider's refusal naming the key for what it does not support."""
    try:
        data = json.loads(text)
    except ValueError:
        raise errors.ApiError('%s is not a valid option for %s' % (text, option))
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as error:
        where = '%s ' % error.relative_path[0] if error.relative_path else ''
        raise errors.ProviderUnsupported(capabilities.PROVIDER, where + error.message)
    return data
