"""Which of Octavia's policy actions a request is, and in which project: Octavia's
controllers (octavia/api/v2/controllers/*.py) call `_auth_validate_action` with the
object's project (for members and L7 rules, their parent's), `_auth_get_all` for lists.

As in Octavia, an object that does not exist is not authorized here: the handler
answers 404 first. Another project's object is 403 PolicyForbidden, Octavia's answer.
A list is limited to the caller's project unless the caller may read globally
(get_all-global); asking for another project's list is 403.
"""
import json
import re

from oslo_utils import strutils

from heat_lbaas.controller import model
from heat_lbaas.controller.api import policy

PATH = re.compile(r'^/v2(?:\.0)?/lbaas/(.*?)/?$')
LIST_PROJECT_KEY = 'heat_lbaas.list_project'
# Octavia's RBAC object names (os_load-balancer_api:<name>:<action>).
RBAC_NAME = {model.LOADBALANCER: 'loadbalancer', model.LISTENER: 'listener',
             model.POOL: 'pool', model.MEMBER: 'member',
             model.HEALTH_MONITOR: 'healthmonitor', model.L7POLICY: 'l7policy',
             model.L7RULE: 'l7rule'}
NESTED = {('pools', 'members'): model.MEMBER, ('l7policies', 'rules'): model.L7RULE}
ONE_OBJECT_ACTIONS = {'GET': 'get_one', 'PUT': 'put', 'DELETE': 'delete'}
# /loadbalancers/{id}/<sub-resource> and /listeners/{id}/<sub-resource>.
SUB_RESOURCE_ACTIONS = {
    ('loadbalancers', 'GET', 'status'): 'get_status',
    ('loadbalancers', 'GET', 'stats'): 'get_stats',
    ('loadbalancers', 'PUT', 'failover'): 'put_failover',
    ('listeners', 'GET', 'stats'): 'get_stats',
}
QUOTA_ACTIONS = {'GET': 'get_one', 'PUT': 'put', 'DELETE': 'delete'}
# A create names its parent by these fields (a pool by its listener or load balancer).
PARENT_FIELDS = {'loadbalancer_id': model.LOADBALANCER, 'listener_id': model.LISTENER,
                 'pool_id': model.POOL}


class Authorization:
    def __init__(self, store, enforcer):
        self.store = store
        self.enforcer = enforcer

    def check(self, request):
        """Raise PolicyForbidden unless the caller may make `request`."""
        match = PATH.match(request.path_info)
        if not match:
            return      # the version document: open, as in Octavia
        segments = match.group(1).split('/')
        method = request.method
        head, rest = segments[0], segments[1:]
        if head == 'providers' and not rest:
            self.enforcer.authorize(request, 'provider', 'get_all',
                                    self.enforcer.context(request).project_id)
        elif head == 'quotas':
            self._check_quotas(request, method, rest)
        elif head in model.BY_COLLECTION:
            self._check_objects(request, method, model.BY_COLLECTION[head], rest)

    def list_project(self, request):
        """The project a list answering `request` is limited to (None: every one)."""
        return request.environ.get(LIST_PROJECT_KEY)

    # --- objects ---------------------------------------------------------------

    def _check_objects(self, request, method, object_type, rest):
        name = RBAC_NAME[object_type]
        if not rest:
            if method == 'GET':
                self._check_list(request, name)
            elif method == 'POST':
                self._check_create(request, object_type)
            return
        row = self.store.get(object_type, rest[0])
        if row is None:
            return      # the handler answers 404
        project_id = row['project_id']
        if len(rest) == 1:
            action = ONE_OBJECT_ACTIONS.get(method)
            if action:
                self.enforcer.authorize(request, name, action, project_id)
            if action == 'put' and 'vip_sg_ids' in _fields(request, object_type):
                self.enforcer.authorize(request, name, 'put:vip_sg_ids', project_id)
        elif (object_type.collection, rest[1]) in NESTED:
            self._check_children(request, method,
                                 NESTED[(object_type.collection, rest[1])],
                                 project_id, child_ids=rest[2:])
        elif len(rest) == 2:
            action = SUB_RESOURCE_ACTIONS.get((object_type.collection, method, rest[1]))
            if action:
                self.enforcer.authorize(request, name, action, project_id)

    def _check_children(self, request, method, child_type, project_id, child_ids):
        """Members and L7 rules: authorized in their parent's project, as Octavia
        authorizes them in their load balancer's."""
        name = RBAC_NAME[child_type]
        if child_ids:
            action = ONE_OBJECT_ACTIONS.get(method)
        else:
            action = {'GET': 'get_all', 'POST': 'post'}.get(method)
        if action:
            self.enforcer.authorize(request, name, action, project_id)
        elif method == 'PUT' and child_type is model.MEMBER and not child_ids:
            # A batch update creates, updates and (unless additive_only) deletes.
            actions = ['post', 'put']
            if not strutils.bool_from_string(request.GET.get('additive_only')):
                actions.append('delete')
            for action in actions:
                self.enforcer.authorize(request, name, action, project_id)

    def _check_list(self, request, name):
        requested = request.GET.get('project_id')
        if self.enforcer.allows(request, name, 'get_all-global', requested):
            return      # the project_id filter, if any, is applied as any other filter
        project_id = requested or self.enforcer.context(request).project_id
        if not project_id:
            raise policy.PolicyForbidden()
        self.enforcer.authorize(request, name, 'get_all', project_id)
        request.environ[LIST_PROJECT_KEY] = project_id

    def _check_create(self, request, object_type):
        """A load balancer is created in the body's project_id or the caller's; any
        other object in its parent's project, as Octavia does. A project_id in the body
        of any create must be writable too: the object is stored in that project
        (Octavia ignores it for children and uses the load balancer's)."""
        name = RBAC_NAME[object_type]
        fields = _fields(request, object_type)
        projects = {parent['project_id'] for parent in self._parents(fields)}
        named = fields.get('project_id')
        if not isinstance(named, str):
            named = None    # not a project id: validation answers 400
        if named or not projects:
            projects.add(named or self.enforcer.context(request).project_id)
        for project_id in projects:
            if not project_id:
                # A token scoped to no project (Octavia: 400 "Missing project ID").
                raise policy.PolicyForbidden()
            self.enforcer.authorize(request, name, 'post', project_id)
            if 'vip_sg_ids' in fields and object_type is model.LOADBALANCER:
                self.enforcer.authorize(request, name, 'post:vip_sg_ids', project_id)

    def _parents(self, fields):
        for field, parent_type in PARENT_FIELDS.items():
            parent_id = fields.get(field)
            if isinstance(parent_id, str):
                parent = self.store.get(parent_type, parent_id)
                if parent is not None:
                    yield parent

    # --- quotas ----------------------------------------------------------------

    def _check_quotas(self, request, method, rest):
        caller = self.enforcer.context(request).project_id
        if not rest and method == 'GET':
            self._check_list(request, 'quota')
        elif rest == ['defaults'] and method == 'GET':
            self.enforcer.authorize(request, 'quota', 'get_defaults', caller)
        elif len(rest) == 2 and rest[1] == 'default' and method == 'GET':
            self.enforcer.authorize(request, 'quota', 'get_defaults', rest[0])
        elif len(rest) == 1 and method in QUOTA_ACTIONS:
            self.enforcer.authorize(request, 'quota', QUOTA_ACTIONS[method], rest[0])


def _fields(request, object_type):
    """The create body's object, or {} when it is not one (the handler answers 400)."""
    try:
        body = json.loads(request.body or b'null')
    except ValueError:
        return {}
    fields = body.get(object_type.key) if isinstance(body, dict) else None
    return fields if isinstance(fields, dict) else {}
