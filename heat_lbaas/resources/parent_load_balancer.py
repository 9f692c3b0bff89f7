"""The load balancer an object lives under: finding it, taking turns at it, waiting for it
to accept changes (lifecycle rule 1), and failing it over before removing a child from it
while it is in ERROR.

Each type declares its PARENTS: the properties that may name its parent, in order, and
the Octavia kind each names; the first one set leads to the load balancer.
"""

import dataclasses
import time

from oslo_log import log as logging

from heat_lbaas.resources import api_errors
from heat_lbaas.resources import lifecycle
from heat_lbaas.resources import load_balancer_turns
from heat_lbaas.resources.lifecycle import Next

LOG = logging.getLogger(__name__)

LOAD_BALANCER = 'Load Balancer'


@dataclasses.dataclass(frozen=True)
class Parent:
    """A property naming the object's parent, and the parent's kind as Octavia spells it
    ('Load Balancer': the property holds the load balancer's id itself)."""

    property: str
    kind: str


class UnderParentLoadBalancer:
    """Mixin of OctaviaObject: the parent load balancer's side of each request."""

    # The properties that may name the parent, in order (none for a load balancer).
    PARENTS = ()

    def _parent_load_balancer_id(self):
        """ID of the load balancer this object lives under (None for a load balancer, or
        when it cannot be found out: then the request itself decides)."""
        properties = getattr(self, 'properties', None)
        if properties is None:
            return None
        try:
            for parent in self.PARENTS:
                if properties[parent.property]:
                    if parent.kind == LOAD_BALANCER:
                        return properties[parent.property]
                    return self._load_balancer_of(parent.kind, properties[parent.property])
        except Exception as ex:
            if api_errors.api_error_of(ex) is None and not isinstance(ex, (KeyError, TypeError)):
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
            lifecycle.ImmutableObject(kind=LOAD_BALANCER, id=lb_id))
        # A drain update before a delete is part of the removal.
        action = lifecycle.DELETE if operation.get('removing') else operation['action']
        whole_stack_deleted = (action == lifecycle.DELETE and status == lifecycle.ERROR
                               and self._whole_stack_is_deleted())
        return lifecycle.decide_on_parent_status(
            action, status, '%s %s' % (LOAD_BALANCER, lb_id), whole_stack_deleted)

    def _give_back_turn(self, operation):
        lb_id = operation.get('load_balancer')
        if lb_id is not None:
            load_balancer_turns.give_back(lb_id, operation['token'])

    def _fail_over_parent(self, operation):
        """One poll of the failover of the parent load balancer `operation['body']`."""
        lb_id = operation['body']
        description = '%s %s' % (LOAD_BALANCER, lb_id)
        status = self._provisioning_status_of(
            lifecycle.ImmutableObject(kind=LOAD_BALANCER, id=lb_id))
        decision = lifecycle.decide_on_parent_repair(
            status, operation['requested'], description)
        if decision.next is not Next.SEND:
            return decision
        LOG.info('%s: failing over %s to remove %s from it', self.name, description,
                 self._description())
        try:
            self.client().load_balancer_failover(lb_id)
        except Exception as ex:
            error = api_errors.api_error_of(ex)
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

    def _provisioning_status_of(self, named_object):
        """provisioning_status of another object (a parent, or the one a 409 names);
        None when it cannot be read."""
        show_by_kind = {
            LOAD_BALANCER: self.client().load_balancer_show,
            'Listener': self.client().listener_show,
            'Pool': self.client().pool_show,
        }
        show = show_by_kind.get(named_object.kind)
        if show is None:
            return None
        try:
            return show(named_object.id).get('provisioning_status')
        except Exception as ex:
            if api_errors.api_error_of(ex) is None:
                raise
            # Not knowing the parent's state is no reason to fail: keep retrying.
            return None
