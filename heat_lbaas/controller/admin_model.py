"""The operator's objects of Octavia's admin API, declared as controller/model.py
declares the load balancer's: flavor profiles and flavors, availability zone profiles
and availability zones (stored), and amphorae (computed from the running HAProxy
processes, never stored).

Unlike load balancer objects they have no project, no provisioning status and no
timestamps in Octavia's responses; the field lists are Octavia 19's response types
(octavia/api/v2/types/flavors.py, flavor_profile.py, availability_zones.py,
availability_zone_profile.py, amphora.py), in their order.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller.model import (BOOLEAN, CREATE_ONLY, INTEGER, IP, READ_ONLY,
                                         UUID, Field, ObjectType)

FLAVOR_PROFILE = ObjectType(
    'flavorprofile', 'flavorprofiles', 'Flavor Profile',
    (Field('id', UUID, READ_ONLY),
     Field('name', required=True),
     Field('provider_name', required=True),
     # A JSON object in a string, checked against the provider's flavor
     # capabilities (api/admin_capabilities.py).
     Field('flavor_data', required=True, max_length=4096)))

FLAVOR = ObjectType(
    'flavor', 'flavors', 'Flavor',
    (Field('id', UUID, READ_ONLY),
     Field('name', required=True),
     Field('description', default=''),
     Field('enabled', BOOLEAN, default=True),
     Field('flavor_profile_id', UUID, CREATE_ONLY, required=True)))

AVAILABILITY_ZONE_PROFILE = ObjectType(
    'availability_zone_profile', 'availability_zone_profiles',
    'Availability Zone Profile',
    (Field('id', UUID, READ_ONLY),
     Field('name', required=True),
     Field('provider_name', required=True),
     Field('availability_zone_data', required=True, max_length=4096)))

# An availability zone is named, not numbered: its name is its key in every path.
AVAILABILITY_ZONE = ObjectType(
    'availability_zone', 'availability_zones', 'Availability Zone',
    (Field('name', access=CREATE_ONLY, required=True),
     Field('description', default=''),
     Field('enabled', BOOLEAN, default=True),
     Field('availability_zone_profile_id', UUID, CREATE_ONLY, required=True)))

# What the API shows of each amphora (one HAProxy process per load balancer); all
# read-only, filled by api/amphorae.py from the load balancer and its process.
AMPHORA = ObjectType(
    'amphora', 'amphorae', 'Amphora',
    tuple(Field(name, kind, READ_ONLY) for name, kind in (
        ('id', UUID), ('loadbalancer_id', UUID), ('compute_id', UUID),
        ('lb_network_ip', IP), ('vrrp_ip', IP), ('ha_ip', IP),
        ('vrrp_port_id', UUID), ('ha_port_id', UUID),
        ('cert_expiration', model.STRING), ('cert_busy', BOOLEAN),
        ('role', model.STRING), ('status', model.STRING),
        ('vrrp_interface', model.STRING), ('vrrp_id', INTEGER),
        ('vrrp_priority', INTEGER), ('cached_zone', model.STRING),
        ('created_at', model.STRING), ('updated_at', model.STRING),
        ('image_id', UUID), ('compute_flavor', model.STRING))))

# The admin objects kept in the database (db/store.py, migration 0004).
STORED_TYPES = (FLAVOR_PROFILE, FLAVOR, AVAILABILITY_ZONE_PROFILE, AVAILABILITY_ZONE)
# The column each stored type is looked up by.
KEY_FIELD = {AVAILABILITY_ZONE: 'name'}
# Octavia's `<...>_links` key of each list (the profiles' is singular there).
LINKS_KEY = {FLAVOR_PROFILE: 'flavorprofile_links', FLAVOR: 'flavors_links',
             AVAILABILITY_ZONE_PROFILE: 'availability_zone_profile_links',
             AVAILABILITY_ZONE: 'availability_zones_links', AMPHORA: 'amphorae_links'}
