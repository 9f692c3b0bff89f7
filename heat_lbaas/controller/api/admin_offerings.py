"""Flavors and availability zones: what an operator offers users, each naming a
profile; `enabled` decides whether new load balancers may use it. One in use by a
load balancer cannot be deleted (409), as Octavia's foreign keys ensure."""
from heat_lbaas.controller import admin_model
from heat_lbaas.controller import model
from heat_lbaas.controller.api import admin_collections
from heat_lbaas.controller.api import admin_profiles
from heat_lbaas.controller.api import profile_options
from heat_lbaas.controller import errors


class Offerings(admin_collections.AdminCollection):
    profiles = None             # the admin_profiles.Profiles class of the profile
    profile_field = None
    loadbalancer_field = None   # the load balancer column naming the offering
    duplicate_title = None      # Octavia's name in "A <..> of <name> already exists."
    invalid_message = None      # Octavia's 400 for a load balancer naming an unknown one
    option_name = None          # Octavia's name in DisabledOption's message

    def check_unique_name(self, name, key_value=None):
        for row in self.store.find(self.object_type, name=name):
            if row[self.key] != key_value:
                raise admin_collections.DuplicateName(self.duplicate_title, name)

    def create(self, body):
        values = self.values_for_create(body)
        with self.store.transaction():
            self.profiles(self.context).get(values[self.profile_field])
            self.check_unique_name(values['name'])
            return self.insert(values)

    def update(self, key_value, body):
        values = self.values_for_update(body)
        with self.store.transaction():
            self.get(key_value)
            if 'name' in values:
                self.check_unique_name(values['name'], key_value)
            return self.write(key_value, values)

    def accepted_profile_data(self, key_value):
        """Octavia's checks of the offering a new load balancer names: it exists
        (400 invalid_message), is enabled (DisabledOption), and its profile is still
        accepted by the provider; then what the amphora driver in use cannot carry
        out of it is refused (501, api/profile_options.py). The data, parsed."""
        offering = self.find(key_value)
        if offering is None:
            raise errors.ValidationFailure(self.invalid_message)
        if not offering['enabled']:
            raise DisabledOption(self.option_name, key_value)
        profiles = self.profiles(self.context)
        profile = profiles.get(offering[self.profile_field])
        data = profiles.check_data(profile['provider_name'], profile[profiles.data_field])
        profile_options.check(self.context.served_profile_data, self.option_name, data)
        return data

    def check_unused(self, key_value):
        users = self.store.find(model.LOADBALANCER, **{self.loadbalancer_field: key_value})
        if any(lb['provisioning_status'] != 'DELETED' for lb in users):
            raise admin_collections.ObjectInUse(self.object_type.title, key_value)


class Flavors(Offerings):
    object_type = admin_model.FLAVOR
    profiles = admin_profiles.FlavorProfiles
    profile_field = 'flavor_profile_id'
    loadbalancer_field = 'flavor_id'
    duplicate_title = 'flavor'
    invalid_message = 'Invalid flavor_id.'
    option_name = 'flavor'


class AvailabilityZones(Offerings):
    object_type = admin_model.AVAILABILITY_ZONE
    profiles = admin_profiles.AvailabilityZoneProfiles
    profile_field = 'availability_zone_profile_id'
    loadbalancer_field = 'availability_zone'
    duplicate_title = 'availability zone'
    invalid_message = 'Invalid availability zone.'
    option_name = 'availability_zone'


def check_loadbalancer(context, values):
    """Octavia's checks of a new load balancer's flavor_id and availability_zone:
    each must exist (400 'Invalid ...') and be enabled (400 DisabledOption), and its
    profile must still be accepted by the provider and served by the driver.
    (flavor data, availability zone data), each {} when none is named."""
    flavor_data, zone_data = {}, {}
    if values.get('flavor_id'):
        flavor_data = Flavors(context).accepted_profile_data(values['flavor_id'])
    if values.get('availability_zone'):
        zone_data = AvailabilityZones(context).accepted_profile_data(
            values['availability_zone'])
    return flavor_data, zone_data


def check_vip_network(zone_data, values):
    """An availability zone's valid_vip_networks must hold the network the VIP was
    placed on (`values` after the VIP network placed it)."""
    allowed = [str(n).lower() for n in zone_data.get('valid_vip_networks') or ()]
    if allowed and values['vip_network_id'].lower() not in allowed:
        raise errors.ValidationFailure(
            'Supplied VIP network_id is not allowed by the configuration of '
            'this deployment.')


class DisabledOption(errors.ApiError):
    def __init__(self, option, value):
        super().__init__('The selected %s is not allowed in this deployment: %s'
                         % (option, value))
