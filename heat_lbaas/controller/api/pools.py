"""/v2/lbaas/pools."""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller.api import errors
from heat_lbaas.controller.api import l7_validation
from heat_lbaas.controller.api import listeners
from heat_lbaas.controller.api import provisioning

PERSISTENCE_TYPES = ('SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE')


def normalise_persistence(value):
    """Check session_persistence and give it Octavia's full shape."""
    if value is None:
        return None
    unknown = set(value) - {'type', 'cookie_name', 'persistence_timeout',
                            'persistence_granularity'}
    if unknown:
        raise errors.InvalidInput('session_persistence', value,
                                  'Unknown attribute: %s' % ', '.join(sorted(unknown)))
    kind = value.get('type')
    if kind not in PERSISTENCE_TYPES:
        raise errors.InvalidInput('type', kind, 'Value should be one of: %s'
                                  % ', '.join(PERSISTENCE_TYPES))
    cookie = value.get('cookie_name')
    if kind == 'APP_COOKIE' and not cookie:
        raise errors.ValidationFailure(
            "Field 'cookie_name' must be specified when using the 'APP_COOKIE' "
            "session persistence type.")
    if kind != 'APP_COOKIE' and cookie:
        raise errors.ValidationFailure(
            "Field 'cookie_name' should not be specified when using the '%s' "
            "session persistence type." % kind)
    if cookie and not model.matches(model.COOKIE_NAME_PATTERN, cookie):
        raise errors.InvalidInput('cookie_name', cookie, 'Value should match the '
                                  'pattern %s' % model.COOKIE_NAME_PATTERN)
    return {'type': kind, 'cookie_name': cookie,
            'persistence_timeout': value.get('persistence_timeout'),
            'persistence_granularity': value.get('persistence_granularity')}


class Pools(base.Collection):
    object_type = model.POOL
    supported = {'protocol': ('HTTP', 'HTTPS', 'TCP', 'PROXY', 'PROXYV2'),
                 'lb_algorithm': model.LB_ALGORITHMS}

    def create(self, body, project_id):
        values = self.validate_create(body)
        values['session_persistence'] = normalise_persistence(
            values['session_persistence'])
        with self.store.transaction():
            lb_id, listener = self._parents(values)
            provisioning.lock_for_child_change(
                self.store, lb_id, listener_ids=[listener['id']] if listener else ())
            values['loadbalancer_id'] = lb_id
            row = self.new_row(values, project_id)
            if listener:
                self.store.update(model.LISTENER, listener['id'],
                                  {'default_pool_id': row['id']})
        self.context.worker.submit(lb_id)
        return row

    def _parents(self, values):
        listener_id, lb_id = values.get('listener_id'), values.get('loadbalancer_id')
        if not (listener_id or lb_id):
            raise errors.ValidationFailure(
                'loadbalancer_id or listener_id must be specified.')
        listener = None
        if listener_id:
            listener = self.store.get(model.LISTENER, listener_id)
            if listener is None:
                raise errors.NotFound(model.LISTENER.title, listener_id)
            if lb_id and lb_id != listener['loadbalancer_id']:
                raise errors.ValidationFailure(
                    'The provided listener does not belong to load balancer %s.' % lb_id)
            if listener['default_pool_id']:
                raise errors.Conflict('This listener already has a default pool')
            listeners.check_protocols(listener['protocol'], values['protocol'])
            lb_id = listener['loadbalancer_id']
        if self.store.get(model.LOADBALANCER, lb_id) is None:
            raise errors.NotFound(model.LOADBALANCER.title, lb_id)
        return lb_id, listener

    def _lock(self, pool_id):
        """The pool, once it and its parents are locked for a change of it."""
        pool = self.get(pool_id)
        self.require_mutable(pool)
        provisioning.lock_for_child_change(
            self.store, pool['loadbalancer_id'],
            listener_ids=provisioning.listeners_using_pool(self.store, pool_id))
        return pool

    def update(self, pool_id, body):
        values = self.validate_update(body)
        if 'session_persistence' in values:
            values['session_persistence'] = normalise_persistence(
                values['session_persistence'])
        with self.store.transaction():
            pool = self._lock(pool_id)
            row = self.save_update(pool, values)
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def delete(self, pool_id):
        with self.store.transaction():
            for policy in self.store.find(model.L7POLICY, redirect_pool_id=pool_id):
                if policy['provisioning_status'] != 'PENDING_DELETE':
                    raise l7_validation.PoolInUseByPolicy(pool_id, policy['id'])
            pool = self._lock(pool_id)
            for child_type in (model.MEMBER, model.HEALTH_MONITOR):
                for child in self.store.find(child_type, pool_id=pool_id):
                    provisioning.set_status(self.store, child_type, child,
                                            'PENDING_DELETE')
            self.mark_deleted(pool)
        self.context.worker.submit(pool['loadbalancer_id'])
