"""The vocabulary of the lifecycle decisions (lifecycle.py): what a resource does next,
the actions it carries out, and the provisioning statuses the decisions read."""

import dataclasses
import enum


class Next(enum.Enum):
    """The step a resource takes after looking at an answer of the API."""

    DONE = 'done'    # the action is complete
    WAIT = 'wait'    # poll the object again
    RETRY = 'retry'  # repeat the same API request after a backoff delay
    FAIL = 'fail'    # fail the resource with `Decision.reason`
    SEND = 'send'    # the parent accepts changes: send the request now
    REPAIR_PARENT = 'repair_parent'  # fail the parent load balancer over first (ERROR)


@dataclasses.dataclass(frozen=True)
class Decision:
    next: Next
    reason: str = ''


ACTIONS = (CREATE, UPDATE, DELETE) = ('create', 'update', 'delete')

ACTIVE = 'ACTIVE'
ERROR = 'ERROR'
DELETED = 'DELETED'
PENDING_PREFIX = 'PENDING_'
