"""What Heat's database tells about a delete: whether the whole root stack is going.

Read from the database, not from the stack objects in memory: under convergence a
nested stack's parent_resource is a proxy that has no stack to walk up to.
"""

from heat.common import exception
from heat.objects import resource as resource_object
from heat.objects import stack as stack_object
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def whole_stack_is_deleted(context, stack):
    """Whether `stack` is being deleted as part of deleting its root stack (not a
    scale-in, nor an update that removes resources)."""
    if stack.action != stack.DELETE:
        return False
    try:
        root = stack_object.Stack.get_by_id(context, stack.root_stack_id())
    except exception.NotFound:
        root = None
    if root is None:
        LOG.warning('root stack of %s not found; counting it as not deleted', stack.name)
        return False
    return root.action == stack.DELETE


def is_resource_of_root_stack(context, stack, physical_id):
    """Whether an object `physical_id` is the physical resource of a resource of the same
    root stack as `stack` (e.g. the load balancer a member lives under)."""
    root_id = stack.root_stack_id()
    for found in resource_object.Resource.get_all_by_physical_resource_id(
            context, physical_id):
        if stack_object.Stack.get_root_id(context, found.stack_id) == root_id:
            return True
    return False
