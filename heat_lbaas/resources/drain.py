"""Drain (lifecycle_properties.py): an object leaving its pool is first set to weight 0,
so that its in-flight requests finish, for `drain_seconds` before its delete."""

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import operations


class DrainsBeforeDelete:
    """Mixin of OctaviaObject, for types with a `drain_seconds` property."""

    def _drain_steps(self):
        if 'drain_seconds' not in self.properties_schema:
            return []
        drain_seconds = self.properties['drain_seconds']
        if not lifecycle.drain_is_needed(self.properties.get('weight', 1), drain_seconds,
                                         self._whole_stack_is_deleted()):
            return []
        if self._current_provisioning_status() != lifecycle.ACTIVE:
            return []   # an object in ERROR takes no update, and serves nothing to drain
        return [(lifecycle.UPDATE, {'weight': 0}), (operations.DRAIN_WAIT, drain_seconds)]
