"""Base class of the LBaaS::* resources: one Octavia object, created, updated and deleted
through Heat's `octavia` client plugin (python-octaviaclient's OctaviaAPI).

It only carries out what heat_lbaas.resources.lifecycle decides. Each action runs as an
"operation": handle_<action> prepares it and check_<action>_complete sends the request and
then polls the object until the lifecycle says DONE, retrying a busy refusal after a backoff
delay. Heat polls check_* about once a second; a retry's deadline is kept in the operation
so that no API request is made before it.

An operation is a short list of steps run in order: an update that the API cannot do in
place is "delete, then create" (never the reverse: the new object would clash with the
old one); a member's delete is "weight 0, drain time, delete"; a create may end with
"wait until health checks pass".
"""

import random
import time
import uuid

from heat.common import exception
from heat.common.i18n import _
from heat.engine import resource
from heat.engine import support
from heat.objects import resource as resource_object
from heat.objects import stack as stack_object
from keystoneauth1 import exceptions as ksa_exceptions
from osc_lib import exceptions as osc_exceptions
from octaviaclient.api.v2 import octavia as octavia_api
from oslo_log import log as logging

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import load_balancer_turns
from heat_lbaas.resources.lifecycle import Next

LOG = logging.getLogger(__name__)

# Steps of an operation besides the API actions of lifecycle.ACTIONS.
FAIL_OVER = 'fail_over'      # PUT .../loadbalancers/{id}/failover, then wait for ACTIVE
DRAIN_WAIT = 'drain_wait'    # let in-flight requests of a weight-0 member finish
WAIT_ONLINE = 'wait_online'  # wait until the object's health checks pass
# PUT .../loadbalancers/{body}/failover of the PARENT load balancer in ERROR, before a
# child is removed from it (lifecycle.decide_on_parent_repair), then wait for ACTIVE.
FAIL_OVER_PARENT = 'fail_over_parent'


class OctaviaRequestFailed(exception.HeatException):
    msg_fmt = _('%(reason)s')


def api_error_of(ex):
    """(HTTP status, faultstring) of a failed client call, or None if it was no API answer.

    OctaviaAPI wraps most errors into OctaviaClientException (message = the faultstring),
    but a 404 from a show (osc_lib's find) arrives as osc_lib's NotFound.
    """
    if isinstance(ex, octavia_api.OctaviaClientException):
        return ex.code, ex.message
    if isinstance(ex, osc_exceptions.ClientException):
        return ex.http_status, ex.message
    return None


class Operation(dict):
    """State of one create/update/delete between polls: handler data Heat hands back to us.

    A dict (not an object with attributes) so Heat can store and log it like any handler data.
    """

    @classmethod
    def start(cls, action, body=None, then=(), removing=False):
        """An operation whose first step is `action`; `then` lists (action, body) steps
        that follow, each begun once the one before is done. `removing`: it removes the
        object (a delete, with its drain steps)."""
        operation = cls(token=uuid.uuid4().hex, then=[list(step) for step in then],
                        removing=removing)
        operation._begin(action, body)
        return operation

    def insert_step(self, action, body):
        """Run `action` now, then the current step again from its start."""
        self['then'].insert(0, [self['action'], self['body']])
        self._begin(action, body)

    def _begin(self, action, body):
        self.update(action=action, body=body, requested=False, attempt=0,
                    not_before=0.0, began=None)

    def begin_next_step(self):
        """Move on to the next step; False when there is none."""
        if not self['then']:
            return False
        action, body = self['then'].pop(0)
        self._begin(action, body)
        return True


class OctaviaObject(resource.Resource):
    """An Octavia object: subclasses say how to send requests and how to build bodies."""

    default_client_name = 'octavia'

    support_status = support.SupportStatus(version='0.1.0')

    # Octavia's name of the kind in messages ("Load Balancer", "Listener", ...).
    OCTAVIA_KIND = None

    # Property names whose API field has another name, e.g. {'loadbalancer':
    # 'loadbalancer_id'}; properties not sent in the body (e.g. a member's pool, which is
    # part of the URL) map to None.
    FIELD_OF_PROPERTY = {}

    # How long to wait between retries of a request Octavia refused as busy.
    backoff_policy = lifecycle.DEFAULT_BACKOFF

    # Properties the API cannot update: changing one deletes the object and creates it
    # again, inside the update of the same Heat resource (lifecycle.decide_how_to_update).
    RECREATE_ON_CHANGE = ()

    # After a failed `stack check`, Heat would replace the resource create-before-delete
    # (a duplicate member or monitor); needs_replace_failed decides instead.
    always_replace_on_check_failed = False

    # Properties that steer the resource itself and are never sent to the API
    # (lifecycle_properties.py: readiness and drain).
    LOCAL_PROPERTIES = ('wait_for_online', 'online_timeout', 'drain_seconds')

    # --- what subclasses provide -------------------------------------------------------

    def _api_create(self, body):
        """Send the create request; return the created object (a dict)."""
        raise NotImplementedError

    def _api_update(self, body):
        raise NotImplementedError

    def _api_delete(self):
        raise NotImplementedError

    def _api_show(self):
        """Return the object (a dict); raise the client's 404 if it is gone."""
        raise NotImplementedError

    def _api_list_tagged(self, tag):
        """The objects of this kind (under this resource's parent) that carry `tag`."""
        raise NotImplementedError

    # --- request bodies ----------------------------------------------------------------

    def _create_body(self):
        body = self._fields_of(self.properties)
        if 'name' in self.properties_schema and not body.get('name'):
            body['name'] = self.physical_resource_name()
        if self._is_owner_tagged():
            body['tags'] = lifecycle.with_owner_tag(body.get('tags'), self.uuid)
        return body

    def _is_owner_tagged(self):
        """Whether the objects of this type carry the owner tag (lifecycle.owner_tag)."""
        return 'tags' in self.properties_schema

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
            body[field] = value
        return body

    def _fields_of(self, properties):
        fields = {}
        for prop, value in properties.items():
            field = self.FIELD_OF_PROPERTY.get(prop, prop)
            if field is None or value is None or prop in self.LOCAL_PROPERTIES:
                continue
            fields[field] = value
        return fields

    def _description(self):
        """How failure messages name the object, e.g. "Listener 1d2c... (resource web_lsnr)"."""
        return '%s %s (resource %s)' % (self.OCTAVIA_KIND, self.resource_id, self.name)

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
            can_fail_over=self.OCTAVIA_KIND == 'Load Balancer')
        new_properties = None
        if plan is lifecycle.UpdatePlan.RECREATE or 'wait_for_online' in self.properties_schema:
            new_properties = json_snippet.properties(self.properties_schema, self.context)
            self.translate_properties(new_properties)
        if plan is lifecycle.UpdatePlan.RECREATE:
            steps = [(lifecycle.DELETE, None)] if self.resource_id else []
            steps.append((lifecycle.CREATE, self._create_body_of(new_properties)))
        elif plan is lifecycle.UpdatePlan.FAIL_OVER:
            steps = [(FAIL_OVER, None)]
            if api_diff:
                steps.append((lifecycle.UPDATE, self._update_body(api_diff)))
        elif plan is lifecycle.UpdatePlan.IN_PLACE:
            steps = [(lifecycle.UPDATE, self._update_body(api_diff))]
        else:
            steps = []
        steps += self._readiness_steps(new_properties)
        if not steps:
            return None
        return Operation.start(*steps[0], then=steps[1:])

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
        steps = self._drain_steps() + [(lifecycle.DELETE, None)]
        return Operation.start(*steps[0], then=steps[1:], removing=True)

    def check_delete_complete(self, operation):
        if operation is None:
            return True
        return self._advance(operation)

    def handle_check(self):
        """`openstack stack check`: the object exists and is not in ERROR."""
        status = self._current_provisioning_status()
        if status is None:
            raise OctaviaRequestFailed(
                reason=_('%s does not exist any more') % self._description())
        if status == lifecycle.ERROR:
            raise OctaviaRequestFailed(
                reason=_('%s is in provisioning_status ERROR') % self._description())

    # --- live state (stack update --converge, observe_on_update) --------------------------

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

    # --- readiness and drain (lifecycle_properties.py) ----------------------------------

    def _create_body_of(self, properties):
        """The create body for the template's new properties (Heat swaps them in only
        after the update; subclasses build bodies from self.properties)."""
        current = self.properties
        self.properties = properties
        try:
            return self._create_body()
        finally:
            self.properties = current

    def _readiness_steps(self, properties):
        if 'wait_for_online' not in self.properties_schema:
            return []
        if not properties['wait_for_online']:
            return []
        return [(WAIT_ONLINE, properties['online_timeout'])]

    def _drain_steps(self):
        if 'drain_seconds' not in self.properties_schema:
            return []
        drain_seconds = self.properties['drain_seconds']
        if not lifecycle.drain_is_needed(self.properties.get('weight', 1), drain_seconds,
                                         self._whole_stack_is_deleted()):
            return []
        if self._current_provisioning_status() != lifecycle.ACTIVE:
            return []   # an object in ERROR takes no update, and serves nothing to drain
        return [(lifecycle.UPDATE, {'weight': 0}), (DRAIN_WAIT, drain_seconds)]

    def _whole_stack_is_deleted(self):
        """Whether this delete is part of deleting the root stack (not a scale-in, nor a
        resource an update removes). Read from the database: under convergence a nested
        stack's parent_resource is a proxy that has no stack to walk up to."""
        stack = self.stack
        if stack.action != stack.DELETE:
            return False
        try:
            root = stack_object.Stack.get_by_id(self.context, stack.root_stack_id())
        except exception.NotFound:
            root = None
        if root is None:
            LOG.warning('%s: root stack of %s not found; draining', self.name, stack.name)
            return False
        return root.action == stack.DELETE

    def _load_balancer_is_deleted_with_stack(self):
        """Whether the whole stack is being deleted together with this object's load
        balancer (a resource of the same root stack, deleted with cascade): then removing
        the object first only costs a provisioning cycle."""
        if not self._whole_stack_is_deleted():
            return False
        lb_id = self._parent_load_balancer_id()
        if lb_id is None:
            return False
        root_id = self.stack.root_stack_id()
        for found in resource_object.Resource.get_all_by_physical_resource_id(
                self.context, lb_id):
            if stack_object.Stack.get_root_id(self.context, found.stack_id) == root_id:
                return True
        return False

    # --- the operation loop ------------------------------------------------------------

    def _advance(self, operation):
        """One poll of an operation: advance its current step, then the next ones."""
        while True:
            try:
                step_done = self._advance_step(operation)
            except Exception:
                self._give_back_turn(operation)
                raise
            if not step_done:
                return False
            self._give_back_turn(operation)
            if not operation.begin_next_step():
                return True

    def _advance_step(self, operation):
        action = operation['action']
        now = time.monotonic()
        if operation['began'] is None:
            operation['began'] = now
        if action == DRAIN_WAIT:
            return lifecycle.drain_is_over(operation['began'], now, operation['body'])
        if action == FAIL_OVER_PARENT:
            if not lifecycle.retry_is_due(operation['not_before'], now):
                return False
            return self._carry_out(operation, self._fail_over_parent(operation))
        if action == WAIT_ONLINE:
            shown = self._api_show()
            return self._carry_out(operation, lifecycle.decide_on_operating_status(
                shown.get('operating_status'), now - operation['began'],
                operation['body'], self._description(),
                admin_state_up=shown.get('admin_state_up', True)))
        if not operation['requested']:
            if not lifecycle.retry_is_due(operation['not_before'], now):
                return False
            before = self._decide_before_request(operation)
            if before.next is Next.REPAIR_PARENT:
                self._give_back_turn(operation)
                operation.insert_step(FAIL_OVER_PARENT, operation['load_balancer'])
                return self._advance_step(operation)
            if before.next is not Next.SEND:
                return self._carry_out(operation, before)
            try:
                self._send(operation)
            except Exception as ex:
                error = api_error_of(ex)
                transport_failed = isinstance(ex, ksa_exceptions.ConnectionError)
                if action == lifecycle.CREATE and lifecycle.create_answer_may_be_lost(
                        transport_failed, error):
                    LOG.warning('%s: the answer to its create was lost (%s); looking for '
                                'the object before sending it again', self.name, ex)
                    operation['answer_lost'] = True
                    return self._carry_out(operation, lifecycle.decide_on_lost_create(
                        operation['attempt'], self._description()))
                if error is None:
                    raise
                decision = self._decide_on_api_error(action, *error)
                return self._carry_out(operation, decision)
            operation['requested'] = True
        return self._carry_out(operation, self._decide_on_current_status(action))

    def _decide_before_request(self, operation):
        """Wait for this engine's turn at the parent load balancer, then for it to be
        ACTIVE (lifecycle rule 1)."""
        lb_id = self._parent_load_balancer_id()
        if lb_id is None:
            return lifecycle.Decision(Next.SEND)
        operation['load_balancer'] = lb_id
        if not load_balancer_turns.try_take(lb_id, operation['token'], time.monotonic()):
            return lifecycle.Decision(Next.WAIT)
        status = self._provisioning_status_of(
            lifecycle.ImmutableObject(kind='Load Balancer', id=lb_id))
        # A drain update before a delete is part of the removal.
        action = lifecycle.DELETE if operation.get('removing') else operation['action']
        whole_stack_deleted = (action == lifecycle.DELETE and status == lifecycle.ERROR
                               and self._whole_stack_is_deleted())
        return lifecycle.decide_on_parent_status(
            action, status, 'Load Balancer %s' % lb_id, whole_stack_deleted)

    def _fail_over_parent(self, operation):
        """One poll of the failover of the parent load balancer `operation['body']`."""
        lb_id = operation['body']
        description = 'Load Balancer %s' % lb_id
        status = self._provisioning_status_of(
            lifecycle.ImmutableObject(kind='Load Balancer', id=lb_id))
        decision = lifecycle.decide_on_parent_repair(
            status, operation['requested'], description)
        if decision.next is not Next.SEND:
            return decision
        LOG.info('%s: failing over %s to remove %s from it', self.name, description,
                 self._description())
        try:
            self.client().load_balancer_failover(lb_id)
        except Exception as ex:
            error = api_error_of(ex)
            if error is None:
                raise
            decision = lifecycle.decide_on_api_error(lifecycle.UPDATE, *error)
            if decision.next is Next.FAIL:
                return lifecycle.Decision(Next.FAIL, '%s is in provisioning_status ERROR '
                                          'and its failover, needed to remove the object '
                                          'from it, was refused: %s'
                                          % (description, decision.reason))
            return decision
        operation['requested'] = True
        return lifecycle.Decision(Next.WAIT)

    def _give_back_turn(self, operation):
        lb_id = operation.get('load_balancer')
        if lb_id is not None:
            load_balancer_turns.give_back(lb_id, operation['token'])

    def _parent_load_balancer_id(self):
        """ID of the load balancer this object lives under (None for a load balancer, or
        when it cannot be found out: then the request itself decides)."""
        properties = getattr(self, 'properties', None)
        if properties is None or self.OCTAVIA_KIND == 'Load Balancer':
            return None
        try:
            for prop, kind in (('loadbalancer', None), ('listener', 'Listener'),
                               ('pool', 'Pool'), ('l7policy', 'L7 Policy')):
                if prop in self.properties_schema and properties[prop]:
                    if kind is None:
                        return properties[prop]
                    return self._load_balancer_of(kind, properties[prop])
        except Exception as ex:
            if api_error_of(ex) is None and not isinstance(ex, (KeyError, TypeError)):
                raise
        return None

    def _load_balancer_of(self, kind, object_id):
        known = load_balancer_turns.remembered_load_balancer_of(kind, object_id)
        if known is not None:
            return known
        if kind == 'L7 Policy':
            return self._load_balancer_of(
                'Listener', self.client().l7policy_show(object_id)['listener_id'])
        show = {'Listener': self.client().listener_show,
                'Pool': self.client().pool_show}[kind]
        load_balancers = show(object_id).get('loadbalancers') or []
        if not load_balancers:
            return None
        lb_id = load_balancers[0]['id']
        load_balancer_turns.remember_load_balancer_of(kind, object_id, lb_id)
        return lb_id

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
        """Take over the object a create whose answer was lost (connection cut, engine
        killed mid-request) made all the same; False when there is none."""
        found = self._find_lost_object()
        if found is None:
            return False
        LOG.info('%s: adopting %s %s, created before its answer was lost',
                 self.name, self.OCTAVIA_KIND, found['id'])
        self.resource_id_set(found['id'])
        return True

    def _send(self, operation):
        action = operation['action']
        if action == lifecycle.CREATE:
            if operation.get('answer_lost') and self._adopt_lost_object():
                return
            created = self._api_create(operation['body'])
            self.resource_id_set(created['id'])
        elif action == lifecycle.UPDATE:
            self._api_update(operation['body'])
        elif action == FAIL_OVER:
            self.client().load_balancer_failover(self.resource_id)
        else:
            self._api_delete()

    def _decide_on_api_error(self, action, status_code, faultstring):
        decision = lifecycle.decide_on_api_error(action, status_code, faultstring)
        if decision.next is not Next.RETRY:
            return decision
        busy = lifecycle.immutable_object_named_in(faultstring)
        if busy is None:
            return decision
        # "X is immutable" also means "X is in ERROR": ask X, so that a broken parent fails
        # the resource now instead of at the stack timeout.
        status = self._provisioning_status_of(busy)
        if status is None:
            return decision
        return lifecycle.decide_on_busy_object_status(
            busy.kind, busy.id, status, faultstring)

    def _provisioning_status_of(self, named_object):
        show_by_kind = {
            'Load Balancer': self.client().load_balancer_show,
            'Listener': self.client().listener_show,
            'Pool': self.client().pool_show,
        }
        show = show_by_kind.get(named_object.kind)
        if show is None:
            return None
        try:
            return show(named_object.id).get('provisioning_status')
        except Exception as ex:
            if api_error_of(ex) is None:
                raise
            # Not knowing the parent's state is no reason to fail: keep retrying.
            return None

    # Whether an action is over, from the shown object's provisioning_status (a type whose
    # changes are changes of another object, as LBaaS::PoolMembers of its pool, differs).
    decide_on_status = staticmethod(lifecycle.decide_on_provisioning_status)

    def _decide_on_current_status(self, action):
        try:
            shown = self._api_show()
        except Exception as ex:
            if not self.client_plugin().is_not_found(ex):
                raise
            return lifecycle.decide_on_missing_object(action, self._description())
        return self.decide_on_status(
            action, shown.get('provisioning_status'), self._description())

    def _carry_out(self, operation, decision):
        if decision.next is Next.DONE:
            return True
        if decision.next is Next.WAIT:
            return False
        if decision.next is Next.RETRY:
            delay = lifecycle.retry_delay(
                operation['attempt'], random.random(), self.backoff_policy)
            operation['attempt'] += 1
            operation['not_before'] = time.monotonic() + delay
            return False
        raise OctaviaRequestFailed(
            reason=_('%(action)s of %(kind)s failed: %(reason)s') % {
                # The failover of the parent is part of the object's delete.
                'action': (lifecycle.DELETE if operation['action'] == FAIL_OVER_PARENT
                           else operation['action']).capitalize(),
                'kind': self.OCTAVIA_KIND,
                'reason': decision.reason})

    # --- attributes ----------------------------------------------------------------------

    def _show_resource(self):
        shown = self._api_show()
        if 'tags' in shown:
            shown = dict(shown, tags=lifecycle.without_owner_tags(shown['tags']))
        return shown

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        return self._show_resource().get(name)
