"""/v2/lbaas/healthmonitors."""
from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.api import base
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import lvs_rules

# Octavia's defaults for HTTP(S) monitors; other types must leave these unset.
HTTP_DEFAULTS = {'http_method': 'GET', 'url_path': '/', 'expected_codes': '200'}


def check_http_options(monitor_type, values):
    for name, default in HTTP_DEFAULTS.items():
        if monitor_type in octavia.HTTP_MONITOR_TYPES:
            if values.get(name) is None and name in values:
                values[name] = default
        elif values.get(name) is not None:
            raise errors.ValidationFailure(
                '%s is not a valid option for health monitors of type %s'
                % (name, monitor_type))


class HealthMonitors(base.Collection):
    object_type = model.HEALTH_MONITOR

    def check_rules(self, values, current=None):
        monitor_type = (current or values)['type']
        pool = self.store.get(model.POOL, (current or values)['pool_id'])
        # Octavia checks the pool's protocol before the HTTP options on create,
        # after them on update. (No pool: a 404 once the body passed its checks.)
        if pool is not None and current is None:
            self.check_for_pool(values, pool['protocol'])
        check_http_options(monitor_type, values)
        if pool is not None and current is not None:
            self.check_for_pool(values, pool['protocol'], current)

    def check_for_pool(self, values, pool_protocol, current=None):
        """The monitor types and delays a pool of `pool_protocol` takes."""
        lvs_rules.check_monitor(
            (current or values)['type'], values.get('delay'), pool_protocol,
            self.context.conf.api_settings.udp_connect_min_interval_health_monitor)

    def create(self, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            pool = self.store.get(model.POOL, values['pool_id'])
            if pool is None:
                raise errors.NotFound(model.POOL.title, values['pool_id'])
            if self.list(pool_id=pool['id']):
                raise errors.Conflict('This pool already has a health monitor')
            self.lock_for_change(values)
            row = self.new_row(values, project_id or pool['project_id'])
            self.store.update(model.POOL, pool['id'], {'healthmonitor_id': row['id']})
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def update(self, hm_id, body):
        with self.store.transaction():
            values, hm = self.validate_update(body, lambda: self.get(hm_id))
            self.require_mutable(hm)
            self.lock_for_change(hm)
            row = self.save_update(hm, values)
        self.context.worker.submit(self.loadbalancer_id(hm))
        return row

    def delete(self, hm_id):
        with self.store.transaction():
            hm = self.get(hm_id)
            self.require_mutable(hm)
            self.lock_for_change(hm)
            self.mark_deleted(hm)
        self.context.worker.submit(self.loadbalancer_id(hm))
