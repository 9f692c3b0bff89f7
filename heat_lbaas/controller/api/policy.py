"""Octavia's RBAC: who may do what, through oslo.policy and Octavia's own rule names.

The caller comes from the request as keystonemiddleware's auth_token leaves it
(X-Project-Id, X-Roles, X-User-Id, ...), read by oslo.context as Octavia does. Under
[api_settings] auth_strategy = noauth every caller is an administrator, as in Octavia,
and its project is X-Project-Id or [controller] default_project_id. Operators override
the defaults with a policy file ([oslo_policy] policy_file), as in Octavia.
"""
import functools
import logging
import time

from oslo_context import context as oslo_context
from oslo_policy import policy as oslo_policy

from heat_lbaas.controller import errors
from heat_lbaas.controller.api import policy_rules

LOG = logging.getLogger(__name__)
NOAUTH = 'noauth'
ENVIRON_KEY = 'heat_lbaas.context'


class PolicyForbidden(errors.ApiError):
    """Octavia's exceptions.PolicyForbidden."""
    status = 403

    def __init__(self):
        super().__init__('Policy does not allow this request to be performed.')


class _ThrottledEnforcer(oslo_policy.Enforcer):
    """oslo.policy's Enforcer, looking for a changed policy file at most once a
    second instead of on every check: oslo.policy searches the configuration
    directories for the file (and policy.d) each time, a third of a check's cost."""
    RELOAD_INTERVAL = 1.0
    _next_load = 0.0

    def load_rules(self, force_reload=False):
        now = time.monotonic()
        if force_reload or now >= self._next_load:
            self._next_load = now + self.RELOAD_INTERVAL
            super().load_rules(force_reload)


class Enforcer:
    def __init__(self, conf):
        self.conf = conf

    # Made on first use (oslo.policy reads the policy file then too), so an
    # Application is built without a configuration for its route table alone.
    @functools.cached_property
    def enforcer(self):
        enforcer = _ThrottledEnforcer(self.conf)
        enforcer.register_defaults(policy_rules.list_rules())
        return enforcer

    @property
    def noauth(self):
        return self.conf.api_settings.auth_strategy == NOAUTH

    def context(self, request):
        """The caller of `request` (an oslo.context RequestContext), made once."""
        context = request.environ.get(ENVIRON_KEY)
        if context is None:
            context = oslo_context.RequestContext.from_environ(request.environ)
            if self.noauth:
                context.project_id = (context.project_id or
                                      self.conf.controller.default_project_id)
                context.is_admin = True
            else:
                context.is_admin = self._allows('context_is_admin', {}, context)
            request.environ[ENVIRON_KEY] = context
        return context

    def allows(self, request, object_type, action, project_id):
        return self.allows_rule(request, policy_rules.action_name(object_type, action),
                                project_id)

    def allows_rule(self, request, rule, project_id):
        return self._allows(rule, {'project_id': project_id}, self.context(request))

    def authorize(self, request, object_type, action, project_id):
        """Raise PolicyForbidden unless the caller may do `action` in `project_id`."""
        if not self.allows(request, object_type, action, project_id):
            raise PolicyForbidden()

    def authorize_rule(self, request, rule):
        """Raise PolicyForbidden unless the caller may do what `rule` (a full rule
        name) guards in its own project: the admin API's actions (flavors,
        availability zones, amphorae), which belong to no project."""
        if not self.allows_rule(request, rule, self.context(request).project_id):
            raise PolicyForbidden()

    def _allows(self, rule, target, context):
        # A plain dict: oslo.context's warns on is_admin, which Octavia's rules use.
        credentials = dict(context.to_policy_values())
        # The `is_admin:True` check of load-balancer:admin: every noauth caller, and
        # under keystone whoever context_is_admin allows.
        credentials['is_admin'] = bool(context.is_admin)
        try:
            return bool(self.enforcer.authorize(rule, target, credentials))
        except oslo_policy.InvalidScope:
            # A system-scoped token on these project-scoped rules.
            LOG.debug('Policy %s: token scope not allowed', rule)
            return False
