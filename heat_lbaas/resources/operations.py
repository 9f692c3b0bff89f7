"""The state of one create, update or delete between Heat's polls, and its kinds of step.

An operation is a short list of steps run in order: an update that the API cannot do in
place is "delete, then create" (never the reverse: the new object would clash with the
old one); a member's delete is "weight 0, drain time, delete"; a create may end with
"wait until health checks pass". Besides the API actions of lifecycle.ACTIONS:
"""

import uuid

FAIL_OVER = 'fail_over'      # PUT .../loadbalancers/{id}/failover, then wait for ACTIVE
DRAIN_WAIT = 'drain_wait'    # let in-flight requests of a weight-0 member finish
WAIT_ONLINE = 'wait_online'  # wait until the object's health checks pass
# PUT .../loadbalancers/{body}/failover of the PARENT load balancer in ERROR, before a
# child is removed from it (lifecycle.decide_on_parent_repair), then wait for ACTIVE.
FAIL_OVER_PARENT = 'fail_over_parent'


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

    @classmethod
    def of_steps(cls, steps, removing=False):
        """An operation running `steps` ((action, body) pairs) in order; None if none."""
        if not steps:
            return None
        return cls.start(*steps[0], then=steps[1:], removing=removing)

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
