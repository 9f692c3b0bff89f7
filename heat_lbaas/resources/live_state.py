"""The object as Heat sees it: live state for `stack update --converge` (observe_on_update)
and attributes, with API field names mapped back and the owner tag hidden."""

from heat_lbaas.resources import lifecycle


class LiveState:
    """Mixin of OctaviaObject."""

    def parse_live_resource_data(self, resource_properties, resource_data):
        """The updatable properties as the API shows them (API field names mapped back),
        for those the template sets (lifecycle.live_values_to_compare)."""
        live = {}
        for prop in self._update_allowed_properties:
            field = self.FIELD_OF_PROPERTY.get(prop, prop)
            if field is None or prop in self.LOCAL_PROPERTIES or field not in resource_data:
                continue
            live[prop] = resource_data[field]
            if prop == 'tags':
                live[prop] = lifecycle.without_owner_tags(live[prop])
        return lifecycle.live_values_to_compare(
            {prop: resource_properties.get(prop) for prop in live}, live)

    def _show_resource(self):
        shown = self._api_show()
        if 'tags' in shown:
            shown = dict(shown, tags=lifecycle.without_owner_tags(shown['tags']))
        return shown

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        return self._show_resource().get(name)
