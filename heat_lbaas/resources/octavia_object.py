"""Base class of the LBaaS::* resources: one Octavia object, created, updated and deleted
through Heat's `octavia` client plugin (python-octaviaclient's OctaviaAPI).

A type declares what it is; this class does the rest. The declarations:
- OCTAVIA_KIND, the kind as Octavia names it in messages;
- API (octavia_calls.OctaviaCalls): the client methods of the kind, and URL_PARENT, the
  property whose id is part of the URL (a member's pool);
- PARENTS (parent_load_balancer.Parent): the properties naming its parent;
- CAN_FAIL_OVER: whether an update repairs an object in ERROR by failover (keeping
  its id and children) rather than by deleting and creating it again;
- NAME_OR_ID_FINDERS, the properties given by name or id;
- FIELD_OF_PROPERTY, MAPS_WITHOUT_UNSET_KEYS, RECREATE_ON_CHANGE and properties_schema.

Heat's handlers here only start operations (operations.py) with what lifecycle.py
decides; the step engine (steps.py) runs them. Request bodies, the parent load balancer,
ownership, drain, readiness and live state are the mixins' own modules.
"""

from heat.common.i18n import _
from heat.engine import resource
from heat.engine import support

from heat_lbaas.resources import api_errors
from heat_lbaas.resources import drain
from heat_lbaas.resources import heat_db
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import live_state
from heat_lbaas.resources import operations
from heat_lbaas.resources import ownership
from heat_lbaas.resources import parent_load_balancer
from heat_lbaas.resources import property_schemas
from heat_lbaas.resources import readiness
from heat_lbaas.resources import request_bodies
from heat_lbaas.resources import steps
from heat_lbaas.resources.operations import Operation


class OctaviaObject(steps.StepEngine, parent_load_balancer.UnderParentLoadBalancer,
                    ownership.OwnerTagged, drain.DrainsBeforeDelete,
                    request_bodies.RequestBodies, live_state.LiveState, resource.Resource):
    """An Octavia object of the kind its subclass declares."""

    default_client_name = 'octavia'

    support_status = support.SupportStatus(version='0.1.0')

    # Octavia's name of the kind in messages ("Load Balancer", "Listener", ...).
    OCTAVIA_KIND = None

    # The client methods of the kind (octavia_calls.OctaviaCalls).
    API = None

    # The property whose id is part of the object's URL (a member's pool, an L7 rule's
    # policy); None for objects at the top of the API.
    URL_PARENT = None

    # Whether an object in ERROR is repaired by failover (a load balancer: its children
    # survive) rather than deleted and created again (lifecycle.decide_how_to_update).
    CAN_FAIL_OVER = False

    # Properties given by name or id: property -> finder of Heat's octavia client plugin
    # that resolves it to the id (e.g. 'get_pool'), as Heat's translation rules.
    NAME_OR_ID_FINDERS = {}

    # Property names whose API field has another name, e.g. {'loadbalancer':
    # 'loadbalancer_id'}; properties not sent in the body (e.g. a member's pool, which is
    # part of the URL) map to None.
    FIELD_OF_PROPERTY = {}

    # Properties the API cannot update: changing one deletes the object and creates it
    # again, inside the update of the same Heat resource (lifecycle.decide_how_to_update).
    RECREATE_ON_CHANGE = ()

    # After a failed `stack check`, Heat would replace the resource create-before-delete
    # (a duplicate member or monitor); needs_replace_failed decides instead.
    always_replace_on_check_failed = False

    # Properties that steer the resource itself and are never sent to the API
    # (lifecycle_properties.py: readiness and drain).
    LOCAL_PROPERTIES = ('wait_for_online', 'online_timeout', 'drain_seconds')

    def translation_rules(self, props):
        return property_schemas.name_or_id_rules(self, props, self.NAME_OR_ID_FINDERS)

    # --- the API calls, as API declares them ---------------------------------------------

    def _url_parent_id(self):
        return None if self.URL_PARENT is None else self.properties[self.URL_PARENT]

    def _api_create(self, body):
        """Send the create request; return the created object (a dict)."""
        return self.API.create(self.client(), self._url_parent_id(), body)

    def _api_update(self, body):
        self.API.update(self.client(), self._url_parent_id(), self.resource_id, body)

    def _api_delete(self):
        self.API.delete(self.client(), self._url_parent_id(), self.resource_id)

    def _api_show(self):
        """Return the object (a dict); raise the client's 404 if it is gone."""
        return self.API.show(self.client(), self._url_parent_id(), self.resource_id)

    def _api_list_tagged(self, tag):
        """The objects of this kind (under this resource's parent) that carry `tag`."""
        return self.API.list_tagged(self.client(), self._url_parent_id(), tag)

    def _description(self):
        """How failure messages name the object, e.g. "Listener 1d2c... (resource web_lsnr)"."""
        return '%s %s (resource %s)' % (self.OCTAVIA_KIND, self.resource_id, self.name)

    def _current_provisioning_status(self):
        """The object's provisioning_status now; None when it does not exist."""
        if self.resource_id is None:
            return None
        try:
            return self._api_show().get('provisioning_status')
        except Exception as ex:
            if not self.client_plugin().is_not_found(ex):
                raise
            return None

    # --- Heat's handlers -----------------------------------------------------------------

    def handle_create(self):
        return Operation.start(lifecycle.CREATE, self._create_body(),
                               then=self._readiness_steps(self.properties))

    def check_create_complete(self, operation):
        return self._advance(operation)

    def calc_update_allowed(self, props):
        # RECREATE_ON_CHANGE properties reach handle_update (as prop_diff) instead of
        # making Heat replace the resource create-before-delete.
        return super().calc_update_allowed(props) | set(self.RECREATE_ON_CHANGE)

    def _prepare_update_props(self, after, before):
        # Heat's update replaces a resource without physical id before asking
        # needs_replace_failed or handle_update when it observes live state
        # (observe_on_update, --converge): adopt the object of a lost create first.
        if self.resource_id is None:
            self._adopt_lost_object()
        return super()._prepare_update_props(after, before)

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        if self.resource_id is None:
            self._adopt_lost_object()
        api_diff = {prop: value for prop, value in prop_diff.items()
                    if prop not in self.LOCAL_PROPERTIES}
        plan = lifecycle.decide_how_to_update(
            self._current_provisioning_status(), api_diff, self.RECREATE_ON_CHANGE,
            can_fail_over=self.CAN_FAIL_OVER)
        new_properties = None
        if plan is lifecycle.UpdatePlan.RECREATE or 'wait_for_online' in self.properties_schema:
            new_properties = json_snippet.properties(self.properties_schema, self.context)
            self.translate_properties(new_properties)
        if plan is lifecycle.UpdatePlan.RECREATE:
            update_steps = [(lifecycle.DELETE, None)] if self.resource_id else []
            update_steps.append((lifecycle.CREATE, self._create_body_of(new_properties)))
        elif plan is lifecycle.UpdatePlan.FAIL_OVER:
            update_steps = [(operations.FAIL_OVER, None)]
            if api_diff:
                update_steps.append((lifecycle.UPDATE, self._update_body(api_diff)))
        elif plan is lifecycle.UpdatePlan.IN_PLACE:
            update_steps = [(lifecycle.UPDATE, self._update_body(api_diff))]
        else:
            update_steps = []
        return Operation.of_steps(update_steps + self._readiness_steps(new_properties))

    def check_update_complete(self, operation):
        if operation is None:
            return True
        return self._advance(operation)

    def _needs_update(self, after, before, after_props, before_props, prev_resource,
                      check_init_complete=True):
        # Heat only updates resources whose template changed; an object that went to
        # ERROR or vanished out of band is recovered by the next stack update anyway.
        if super()._needs_update(after, before, after_props, before_props, prev_resource,
                                 check_init_complete):
            return True
        return lifecycle.unchanged_resource_needs_update(
            self.status == self.FAILED, self._current_provisioning_status())

    def needs_replace_failed(self):
        # Heat replaces a FAILED resource create-before-delete, and the new object would
        # clash with the old one: while that one exists, the update recovers it instead.
        if self.resource_id is None and not self._adopt_lost_object():
            return True
        return lifecycle.replace_failed_resource_by_heat(
            self._current_provisioning_status() is not None)

    def handle_delete(self):
        if self.resource_id is None:
            return None
        return Operation.of_steps(self._drain_steps() + [(lifecycle.DELETE, None)],
                                  removing=True)

    def check_delete_complete(self, operation):
        if operation is None:
            return True
        return self._advance(operation)

    def _cancel(self, operation):
        """Heat stopped the action between two polls (its stack failed or was cancelled):
        the load balancer's turn goes back now instead of when its lease ends (60 s),
        which held up every sibling's request (a failed stack's delete waited a minute)."""
        if operation is not None:
            self._give_back_turn(operation)

    # Heat calls handle_<action>_cancel(handler data) when it stops an action's polls.
    handle_create_cancel = handle_update_cancel = handle_delete_cancel = _cancel

    def handle_check(self):
        """`openstack stack check`: the object exists and is not in ERROR."""
        status = self._current_provisioning_status()
        if status is None:
            raise api_errors.OctaviaRequestFailed(
                reason=_('%s does not exist any more') % self._description())
        if status == lifecycle.ERROR:
            raise api_errors.OctaviaRequestFailed(
                reason=_('%s is in provisioning_status ERROR') % self._description())

    def _readiness_steps(self, properties):
        return readiness.readiness_steps(self.properties_schema, properties)

    # --- the delete of the whole stack (Heat's database) ---------------------------------

    def _whole_stack_is_deleted(self):
        """Whether this delete is part of deleting the root stack (not a scale-in, nor a
        resource an update removes)."""
        return heat_db.whole_stack_is_deleted(self.context, self.stack)

    def _load_balancer_is_deleted_with_stack(self):
        """Whether the whole stack is being deleted together with this object's load
        balancer (a resource of the same root stack, deleted with cascade): then removing
        the object first only costs a provisioning cycle."""
        if not self._whole_stack_is_deleted():
            return False
        lb_id = self._parent_load_balancer_id()
        if lb_id is None:
            return False
        return heat_db.is_resource_of_root_stack(self.context, self.stack, lb_id)


# Where these lived before the base was split; kept importable from here for code that
# names them through the base (e.g. a plugin of another project subclassing it).
OctaviaRequestFailed = api_errors.OctaviaRequestFailed
api_error_of = api_errors.api_error_of
