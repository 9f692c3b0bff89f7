"""/v2/lbaas/l7policies/{l7policy_id}/rules."""
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller.api import l7_validation


class L7Rules(base.NestedCollection):
    object_type = model.L7RULE
    parent_title = 'L7Policy'   # Octavia's wording for the parent in a rules path

    def check_rules(self, values, current=None):
        l7_validation.check_rule(dict(current or {}, **values))

    def create(self, policy_id, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            policy = self.parent(policy_id)
            live = [r for r in self.list(l7policy_id=policy_id)
                    if r['provisioning_status'] != 'PENDING_DELETE']
            if len(live) >= l7_validation.MAX_RULES_PER_POLICY:
                raise l7_validation.TooManyRules(policy_id)
            values['l7policy_id'] = policy_id
            self.lock_for_change(values)
            row = self.new_row(values, project_id or policy['project_id'])
        self.context.worker.submit(self.loadbalancer_id(row))
        return row

    def update(self, policy_id, rule_id, body):
        with self.store.transaction():
            changes, rule = self.validate_update(
                body, lambda: self.get_in_parent(policy_id, rule_id))
            self.require_mutable(rule)
            self.lock_for_change(rule)
            row = self.save_update(rule, changes)
        self.context.worker.submit(self.loadbalancer_id(rule))
        return row

    def delete(self, policy_id, rule_id):
        with self.store.transaction():
            rule = self.get_in_parent(policy_id, rule_id)
            self.require_mutable(rule)
            self.lock_for_change(rule)
            self.mark_deleted(rule)
        self.context.worker.submit(self.loadbalancer_id(rule))
