"""Base class of the LBaaS::* resources: one Octavia object, created, updated and deleted
through Heat's `octavia` client plugin (python-octaviaclient's OctaviaAPI).

It only carries out what heat_lbaas.resources.lifecycle decides. Each action runs as an
"operation": handle_<action> prepares it and check_<action>_complete sends the request and
then polls the object until the lifecycle says DONE, retrying a busy refusal after a backoff
delay. Heat polls check_* about once a second; a retry's deadline is kept in the operation
so that no API request is made before it.
"""

import random
import time

from heat.common import exception
from heat.common.i18n import _
from heat.engine import resource
from heat.engine import support
from osc_lib import exceptions as osc_exceptions
from octaviaclient.api.v2 import octavia as octavia_api

from heat_lbaas.resources import lifecycle
from heat_lbaas.resources.lifecycle import Next


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
    def start(cls, action, body=None):
        return cls(action=action, body=body, requested=False, attempt=0, not_before=0.0)


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

    # --- request bodies ----------------------------------------------------------------

    def _create_body(self):
        body = self._fields_of(self.properties)
        if 'name' in self.properties_schema and not body.get('name'):
            body['name'] = self.physical_resource_name()
        return body

    def _update_body(self, prop_diff):
        body = {}
        for prop, value in prop_diff.items():
            field = self.FIELD_OF_PROPERTY.get(prop, prop)
            if field is None:
                continue
            if prop == 'name' and not value:
                # A name removed from the template falls back to the name Heat gave at
                # create, rather than leaving the object nameless.
                value = self.physical_resource_name()
            # None is sent as null: Octavia's way to unset an optional field.
            body[field] = value
        return body

    def _fields_of(self, properties):
        fields = {}
        for prop, value in properties.items():
            field = self.FIELD_OF_PROPERTY.get(prop, prop)
            if field is None or value is None:
                continue
            fields[field] = value
        return fields

    def _description(self):
        """How failure messages name the object, e.g. "Listener 1d2c... (resource web_lsnr)"."""
        return '%s %s (resource %s)' % (self.OCTAVIA_KIND, self.resource_id, self.name)

    # --- Heat's handlers -----------------------------------------------------------------

    def handle_create(self):
        return Operation.start(lifecycle.CREATE, self._create_body())

    def check_create_complete(self, operation):
        return self._advance(operation)

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        if not prop_diff:
            return None
        # Heat only puts update_allowed properties that changed into prop_diff (any other
        # change replaces the resource), so the body carries exactly those.
        return Operation.start(lifecycle.UPDATE, self._update_body(prop_diff))

    def check_update_complete(self, operation):
        if operation is None:
            return True
        return self._advance(operation)

    def handle_delete(self):
        if self.resource_id is None:
            return None
        return Operation.start(lifecycle.DELETE)

    def check_delete_complete(self, operation):
        if operation is None:
            return True
        return self._advance(operation)

    # --- the operation loop ------------------------------------------------------------

    def _advance(self, operation):
        """One poll of an operation: send its request when due, else look at the object."""
        if not operation['requested']:
            if not lifecycle.retry_is_due(operation['not_before'], time.monotonic()):
                return False
            try:
                self._send(operation)
            except Exception as ex:
                error = api_error_of(ex)
                if error is None:
                    raise
                decision = self._decide_on_api_error(operation['action'], *error)
                return self._carry_out(operation, decision)
            operation['requested'] = True
        return self._carry_out(operation, self._decide_on_current_status(operation['action']))

    def _send(self, operation):
        action = operation['action']
        if action == lifecycle.CREATE:
            created = self._api_create(operation['body'])
            self.resource_id_set(created['id'])
        elif action == lifecycle.UPDATE:
            self._api_update(operation['body'])
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

    def _decide_on_current_status(self, action):
        try:
            shown = self._api_show()
        except Exception as ex:
            if not self.client_plugin().is_not_found(ex):
                raise
            return lifecycle.decide_on_missing_object(action, self._description())
        return lifecycle.decide_on_provisioning_status(
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
                'action': operation['action'].capitalize(),
                'kind': self.OCTAVIA_KIND,
                'reason': decision.reason})

    # --- attributes ----------------------------------------------------------------------

    def _show_resource(self):
        return self._api_show()

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        return self._api_show().get(name)
