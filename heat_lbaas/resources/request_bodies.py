"""Request bodies from a resource's properties: API field names (FIELD_OF_PROPERTY), no
local properties, the name Heat gives an unnamed object, and the owner tag."""

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import property_schemas


def _no_empty_id(field, value):
    """None for an id given as '': Heat reads a string property set to null (e.g.
    `{if: [condition, {get_param: lb_flavor}, null]}`) as '', and no object has an
    empty id, so '' means "none", never an id to look for."""
    return None if field.endswith('_id') and value == '' else value


class RequestBodies:
    """Mixin of OctaviaObject."""

    # MAP properties whose unset keys (None, as Heat fills them in) are left out of the
    # bodies (property_schemas.without_unset_map_keys).
    MAPS_WITHOUT_UNSET_KEYS = ()

    def _without_unset_map_keys(self, body):
        return property_schemas.without_unset_map_keys(body, *(
            self.FIELD_OF_PROPERTY.get(prop, prop) for prop in self.MAPS_WITHOUT_UNSET_KEYS))

    def _create_body(self):
        body = self._fields_of(self.properties)
        if 'name' in self.properties_schema and not body.get('name'):
            body['name'] = self.physical_resource_name()
        if self._is_owner_tagged():
            body['tags'] = lifecycle.with_owner_tag(body.get('tags'), self.uuid)
        return self._without_unset_map_keys(body)

    def _update_body(self, prop_diff):
        body = {}
        for prop, value in prop_diff.items():
            field = self.FIELD_OF_PROPERTY.get(prop, prop)
            if field is None or prop in self.LOCAL_PROPERTIES:
                continue
            if prop == 'name' and not value:
                # A name removed from the template falls back to the name Heat gave at
                # create, rather than leaving the object nameless.
                value = self.physical_resource_name()
            if prop == 'tags' and self._is_owner_tagged():
                value = lifecycle.with_owner_tag(value, self.uuid)
            # None is sent as null: Octavia's way to unset an optional field.
            body[field] = _no_empty_id(field, value)
        return self._without_unset_map_keys(body)

    def _fields_of(self, properties):
        fields = {}
        for prop, value in properties.items():
            field = self.FIELD_OF_PROPERTY.get(prop, prop)
            if field is None or prop in self.LOCAL_PROPERTIES:
                continue
            value = _no_empty_id(field, value)
            if value is not None:
                fields[field] = value
        return fields

    def _create_body_of(self, properties):
        """The create body for the template's new properties (Heat swaps them in only
        after the update; subclasses build bodies from self.properties)."""
        current = self.properties
        self.properties = properties
        try:
            return self._create_body()
        finally:
            self.properties = current
