"""Which Octavia object belongs to which resource: the owner tag every created object
carries (lifecycle.owner_tag), and the adoption of an object whose create answer was
lost (connection cut, engine killed mid-request) instead of creating a second one."""

from oslo_log import log as logging

from heat_lbaas.resources import lifecycle

LOG = logging.getLogger(__name__)


class OwnerTagged:
    """Mixin of OctaviaObject: types with a `tags` property carry the owner tag."""

    def _is_owner_tagged(self):
        """Whether the objects of this type carry the owner tag (lifecycle.owner_tag)."""
        return 'tags' in self.properties_schema

    def _find_lost_object(self):
        """The object this resource created without getting the answer, else None."""
        if not self._is_owner_tagged():
            return None
        try:
            listed = self._api_list_tagged(lifecycle.owner_tag(self.uuid))
        except Exception as ex:
            if not self.client_plugin().is_not_found(ex):
                raise   # not knowing is no reason to create a second one
            return None   # its parent is gone: nothing can have been created under it
        return lifecycle.lost_object(listed, self.uuid)

    def _adopt_lost_object(self):
        """Take over the object a create whose answer was lost made all the same; False
        when there is none."""
        found = self._find_lost_object()
        if found is None:
            return False
        LOG.info('%s: adopting %s %s, created before its answer was lost',
                 self.name, self.OCTAVIA_KIND, found['id'])
        self.resource_id_set(found['id'])
        return True
