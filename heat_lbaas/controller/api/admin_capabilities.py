"""What a flavor or an availability zone profile may hold: the JSON schemas of
Octavia's amphora provider driver (its flavor_schema.py and
availability_zone_schema.py), with the same keys, types, values and descriptions.

A profile is checked against them and stored as Octavia stores it, whichever amphora
driver runs: Octavia's amphora provider with its noop compute, image and network
drivers accepts exactly this (as octavia-tempest-plugin expects). What the amphora
driver in use can carry out is a different question, answered when a load balancer
names the flavor or zone (api/profile_options.py): the haproxy driver refuses there,
with Octavia's 501, what it cannot serve, rather than accepting and ignoring it.

The same schemas answer GET /providers/{provider}/flavor_capabilities and
.../availability_zone_capabilities (their property descriptions), as Octavia's
get_supported_*_metadata() do.
"""
import json

import jsonschema

from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller import errors

# Octavia validates with JSON Schema draft 7.
DRAFT = 'http://json-schema.org/draft-07/schema#'

FLAVOR_SCHEMA = {
    '$schema': DRAFT,
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'loadbalancer_topology': {
            'type': 'string',
            'description': 'The load balancer topology. One of: SINGLE - One amphora '
                           'per load balancer. ACTIVE_STANDBY - Two amphora per load '
                           'balancer.',
            'enum': ['SINGLE', 'ACTIVE_STANDBY'],
        },
        'compute_flavor': {'type': 'string',
                           'description': 'The compute driver flavor ID.'},
        'amp_image_tag': {'type': 'string', 'description': 'The amphora image tag.'},
        'sriov_vip': {'type': 'boolean',
                      'description': 'When true, the VIP port will be created using an '
                                     'SR-IOV VF port.'},
        'allow_member_sriov': {'type': 'boolean',
                               'description': 'When true, users can request a member '
                                              'port be SR-IOV enabled at member '
                                              'creation time.'},
    },
}

AVAILABILITY_ZONE_SCHEMA = {
    '$schema': DRAFT,
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'compute_zone': {'type': 'string',
                         'description': 'The compute availability zone.'},
        'volume_zone': {'type': 'string',
                        'description': 'The volume availability zone.'},
        'management_network': {'type': 'string',
                               'description': 'The management network ID for the '
                                              'amphora.'},
        # Octavia does not type the items either.
        'valid_vip_networks': {
            'type': 'array',
            'description': 'List of network IDs that are allowed for VIP use. This '
                           'overrides/replaces the list of allowed networks '
                           'configured in `octavia.conf`.',
        },
    },
}


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
