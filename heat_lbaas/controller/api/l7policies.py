"""/v2/lbaas/l7policies."""
from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import l7_validation
from heat_lbaas.controller.api import listeners
from heat_lbaas.controller.db import l7_positions

REDIRECT_FIELDS = ('redirect_pool_id', 'redirect_url', 'redirect_prefix',
                   'redirect_http_code')


def _inferred_action(changes):
    # Octavia: a new redirect_pool_id or redirect_url alone switches the action.
    if changes.get('redirect_pool_id'):
        return 'REDIRECT_TO_POOL'
    if changes.get('redirect_url'):
        return 'REDIRECT_TO_URL'
    return None


class L7Policies(base.Collection):
    object_type = model.L7POLICY

    def check_rules(self, values, current=None):
        if current is None:
            l7_validation.sanitize_policy(values)
            return
        if 'action' not in values and _inferred_action(values):
            values['action'] = _inferred_action(values)
        merged = l7_validation.sanitize_policy(dict(current, **values))
        values.update({name: merged[name] for name in REDIRECT_FIELDS})

    def _listener(self, listener_id):
        listener = self.store.get(model.LISTENER, listener_id)
        if listener is None or listener['provisioning_status'] == 'DELETED':
            raise errors.NotFound(model.LISTENER.title, listener_id)
        listeners.check_may_have_children(listener['protocol'])
        capabilities.check_l7_listener(listener['protocol'])
        return listener

    def _check_redirect_pool(self, policy, listener):
        pool_id = policy.get('redirect_pool_id')
        if not pool_id:
            return
        pool = self.store.get(model.POOL, pool_id)
        if pool is None or pool['loadbalancer_id'] != listener['loadbalancer_id']:
            raise errors.NotFound(model.POOL.title, pool_id)
        listeners.check_protocols(listener['protocol'], pool['protocol'])

    def create(self, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            listener = self._listener(values['listener_id'])
            self._check_redirect_pool(values, listener)
            self.lock_for_change(values)
            wanted = values['position']
            values['position'] = octavia.MAX_L7POLICY_POSITION
            row = self.new_row(values, project_id or listener['project_id'])
            self._reorder(listener['id'], row['id'], wanted)
            row = self.store.get(model.L7POLICY, row['id'])
        self.context.worker.submit(listener['loadbalancer_id'])
        return row

    def _reorder(self, listener_id, policy_id, position):
        ordered = l7_positions.ordered_policy_ids(self.store, model.L7POLICY,
                                                  listener_id)
        l7_positions.renumber(self.store, model.L7POLICY,
                              l7_positions.place(ordered, policy_id, position))

    def update(self, policy_id, body):
        with self.store.transaction():
            changes, policy = self.validate_update(body, lambda: self.get(policy_id))
            self.require_mutable(policy)
            listener = self.store.get(model.LISTENER, policy['listener_id'])
            self._check_redirect_pool(dict(policy, **changes), listener)
            self.lock_for_change(policy)
            position = changes.pop('position', policy['position'])
            self.save_update(policy, changes)
            self._reorder(listener['id'], policy_id, position)
            row = self.store.get(model.L7POLICY, policy_id)
        self.context.worker.submit(listener['loadbalancer_id'])
        return row

    def delete(self, policy_id):
        with self.store.transaction():
            policy = self.get(policy_id)
            self.require_mutable(policy)
            listener = self.store.get(model.LISTENER, policy['listener_id'])
            self.lock_for_change(policy)
            # Its rules go with it.
            self.mark_deleted(policy)
        self.context.worker.submit(listener['loadbalancer_id'])
