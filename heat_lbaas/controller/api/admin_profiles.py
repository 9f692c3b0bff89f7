"""Flavor profiles and availability zone profiles: a provider name and that
provider's settings as a JSON string, checked against its capabilities
(api/admin_capabilities.py) on every write, as Octavia's profile controllers do."""
from heat_lbaas.controller import admin_model
from heat_lbaas.controller.api import admin_capabilities
from heat_lbaas.controller.api import admin_collections
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import validation


class Profiles(admin_collections.AdminCollection):
    data_field = None       # flavor_data, availability_zone_data
    schema = None
    user_type = None        # the type whose objects name a profile
    user_field = None       # ... in this column
    in_use_title = None     # Octavia's name for the profile in ObjectInUse

    def check_data(self, provider, text):
        # Octavia parses the JSON before it looks up the provider.
        data = admin_capabilities.parse(text, self.data_field, self.schema)
        admin_capabilities.check_provider(provider)
        return data

    def create(self, body):
        values = self.values_for_create(body)
        self.check_data(values['provider_name'], values[self.data_field])
        return self.insert(values)

    def in_use(self, profile_id):
        return bool(self.store.find(self.user_type, **{self.user_field: profile_id}))

    def update(self, profile_id, body):
        given = validation.unwrap(self.object_type, body)
        for name in ('name', 'provider_name', self.data_field):
            if name in given and given[name] is None:
                # Octavia's wording: these three can be changed, never cleared.
                raise errors.ApiError('None is not a valid option for %s' % name)
        values = self.values_for_update(body)
        with self.store.transaction():
            profile = self.get(profile_id)
            if ({'provider_name', self.data_field} & set(values)
                    and self.in_use(profile_id)):
                # What the profile offers cannot change under its users.
                raise admin_collections.ObjectInUse(self.in_use_title, profile_id)
            if {'provider_name', self.data_field} & set(values):
                self.check_data(values.get('provider_name', profile['provider_name']),
                                values.get(self.data_field, profile[self.data_field]))
            return self.write(profile_id, values)

    def check_unused(self, profile_id):
        if self.in_use(profile_id):
            raise admin_collections.ObjectInUse(self.in_use_title, profile_id)


class FlavorProfiles(Profiles):
    object_type = admin_model.FLAVOR_PROFILE
    delete_title = in_use_title = 'Flavor profile'
    data_field = 'flavor_data'
    schema = admin_capabilities.FLAVOR_SCHEMA
    user_type = admin_model.FLAVOR
    user_field = 'flavor_profile_id'


class AvailabilityZoneProfiles(Profiles):
    object_type = admin_model.AVAILABILITY_ZONE_PROFILE
    delete_title = in_use_title = 'Availability Zone Profile'
    data_field = 'availability_zone_data'
    schema = admin_capabilities.AVAILABILITY_ZONE_SCHEMA
    user_type = admin_model.AVAILABILITY_ZONE
    user_field = 'availability_zone_profile_id'
