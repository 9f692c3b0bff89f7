"""Octavia's quota API (/v2/lbaas/quotas) and the quota check of every create.

Quotas are per project and per kind of object; -1 is unlimited, a project without
its own value gets `[quotas] default_<resource>_quota`. Responses carry both of
Octavia's spellings (load_balancer/loadbalancer, health_monitor/healthmonitor), and
PUT accepts either. Unlike Octavia under noauth, quotas are enforced: the
X-Project-Id of a request (or [controller] default_project_id) is the project.
In use is counted from the stored objects, so a deleted object frees its quota.
"""
from heat_lbaas.controller import config
from heat_lbaas.controller import model
from heat_lbaas.controller import errors
from heat_lbaas.controller.db import quotas as quota_store

RESOURCE_OF_TYPE = {model.LOADBALANCER: 'load_balancer', model.LISTENER: 'listener',
                    model.POOL: 'pool', model.HEALTH_MONITOR: 'health_monitor',
                    model.MEMBER: 'member', model.L7POLICY: 'l7policy',
                    model.L7RULE: 'l7rule'}
# Octavia's older spellings, still in its responses and accepted in PUT.
ALIASES = {'loadbalancer': 'load_balancer', 'healthmonitor': 'health_monitor'}
MIN_QUOTA, MAX_QUOTA = -1, 2000000000
UNLIMITED = -1


class QuotaExceeded(errors.ApiError):
    status = 403

    def __init__(self, title):
        super().__init__('Quota has been met for resources: %s' % title)


def defaults(conf):
    return {resource: getattr(conf.quotas, 'default_%s_quota' % resource)
            for resource in config.QUOTA_RESOURCES}


def effective(conf, store, project_id):
    """The project's quotas: its own values, the defaults for the rest."""
    own = quota_store.get(store, project_id) or {}
    return {resource: own.get(resource) if own.get(resource) is not None
            else default for resource, default in defaults(conf).items()}


def view(values, project_id=None):
    body = dict(values)
    for alias, resource in ALIASES.items():
        body[alias] = body[resource]
    if project_id is not None:
        body['project_id'] = project_id
    return body


def check(conf, store, object_type, project_id, adding=1):
    """Raise QuotaExceeded if the project cannot have `adding` more objects."""
    quota = effective(conf, store, project_id)[RESOURCE_OF_TYPE[object_type]]
    if quota == UNLIMITED:
        return
    in_use = len(store.find(object_type, project_id=project_id))
    if in_use + adding > quota:
        raise QuotaExceeded(object_type.title)


def parse_update(body):
    """{resource: value or None} from a PUT body {"quota": {...}}."""
    if not isinstance(body, dict) or not isinstance(body.get('quota'), dict):
        raise errors.ApiError('Missing argument: "quota"')
    values = {}
    for name, value in body['quota'].items():
        resource = ALIASES.get(name, name)
        if resource not in config.QUOTA_RESOURCES:
            raise errors.ApiError('Unknown attribute for argument quota: %s' % name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise errors.InvalidInput(name, value, 'Value should be an integer')
        if value is not None and not MIN_QUOTA <= value <= MAX_QUOTA:
            raise errors.InvalidInput(
                name, value, 'Value should be between %d and %d'
                % (MIN_QUOTA, MAX_QUOTA))
        values[resource] = value
    return values


class Quotas:
    def __init__(self, context):
        self.conf = context.conf
        self.store = context.store

    def list(self, project_id=None):
        """Projects with their own quotas, as stored (null: the default)."""
        rows = quota_store.projects(self.store)
        if project_id:
            rows = [r for r in rows if r['project_id'] == project_id]
        return [view({r: row[r] for r in config.QUOTA_RESOURCES}, row['project_id'])
                for row in rows]

    def show(self, project_id):
        return view(effective(self.conf, self.store, project_id), project_id)

    def show_defaults(self):
        return view(defaults(self.conf))

    def update(self, project_id, body):
        quota_store.set_values(self.store, project_id, parse_update(body))
        return self.show(project_id)

    def reset(self, project_id):
        quota_store.delete(self.store, project_id)
