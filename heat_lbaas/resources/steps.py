"""The step engine: runs an operation (operations.py) one Heat poll at a time.

Heat polls check_<action>_complete about once a second; each poll advances the current
step and, once it is done, the next ones. A step that sends a request waits for its turn
and its parent first (parent_load_balancer.py), sends once, then polls the object until
lifecycle says DONE; a request Octavia refused as busy is retried after a backoff delay,
whose deadline is kept in the operation so that no request is made before it. The engine
only carries out what lifecycle.py decides.
"""

import random
import time

from heat.common.i18n import _
from keystoneauth1 import exceptions as ksa_exceptions
from oslo_log import log as logging

from heat_lbaas.resources import api_errors
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import operations
from heat_lbaas.resources.lifecycle import Next

LOG = logging.getLogger(__name__)


class StepEngine:
    """Mixin of OctaviaObject."""

    # How long to wait between retries of a request Octavia refused as busy.
    backoff_policy = lifecycle.DEFAULT_BACKOFF

    # Whether an action is over, from the shown object's provisioning_status (a type whose
    # changes are changes of another object, as LBaaS::PoolMembers of its pool, differs).
    decide_on_status = staticmethod(lifecycle.decide_on_provisioning_status)

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
        if action == operations.DRAIN_WAIT:
            return lifecycle.drain_is_over(operation['began'], now, operation['body'])
        if action == operations.FAIL_OVER_PARENT:
            if not lifecycle.retry_is_due(operation['not_before'], now):
                return False
            return self._carry_out(operation, self._fail_over_parent(operation))
        if action == operations.WAIT_ONLINE:
            return self._wait_until_ready(operation, now)
        if not operation['requested']:
            if not lifecycle.retry_is_due(operation['not_before'], now):
                return False
            before = self._decide_before_request(operation)
            if before.next is Next.REPAIR_PARENT:
                self._give_back_turn(operation)
                operation.insert_step(operations.FAIL_OVER_PARENT, operation['load_balancer'])
                return self._advance_step(operation)
            if before.next is not Next.SEND:
                return self._carry_out(operation, before)
            try:
                self._send(operation)
            except Exception as ex:
                error = api_errors.api_error_of(ex)
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

    def _wait_until_ready(self, operation, now):
        """One poll of a readiness wait: look at the object only once the backed-off
        time of the next look has come (not on every Heat poll)."""
        if not lifecycle.retry_is_due(operation['not_before'], now):
            return False
        shown = self._api_show()
        timeout = operation['body']
        decision = lifecycle.decide_on_operating_status(
            shown.get('operating_status'), now - operation['began'], timeout,
            self._description(), admin_state_up=shown.get('admin_state_up', True))
        if decision.next is Next.WAIT:
            operation['not_before'] = lifecycle.next_readiness_check(
                operation['began'], now, operation['attempt'], timeout, random.random())
            operation['attempt'] += 1
        return self._carry_out(operation, decision)

    def _send(self, operation):
        """Send the request of the current step."""
        action = operation['action']
        if action == lifecycle.CREATE:
            if operation.get('answer_lost') and self._adopt_lost_object():
                return
            created = self._api_create(operation['body'])
            self.resource_id_set(created['id'])
        elif action == lifecycle.UPDATE:
            self._api_update(operation['body'])
        elif action == operations.FAIL_OVER:
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
        """True when the step is done, False to poll again; raises on FAIL."""
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
        raise api_errors.OctaviaRequestFailed(
            reason=_('%(action)s of %(kind)s failed: %(reason)s') % {
                # The failover of the parent is part of the object's delete.
                'action': (lifecycle.DELETE
                           if operation['action'] == operations.FAIL_OVER_PARENT
                           else operation['action']).capitalize(),
                'kind': self.OCTAVIA_KIND,
                'reason': decision.reason})
