"""Bring one load balancer's amphora in line with the database.

PENDING_* objects become ACTIVE (or are removed, for PENDING_DELETE) once the
amphora serves the new configuration; if it refuses the configuration, the old
one keeps serving and the load balancer and its pending objects go to ERROR,
with the reason in the log.
"""
import logging

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import certificates
from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import render
from heat_lbaas.controller.db import l7_positions
from heat_lbaas.controller.db import store as store_module
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import rollup

LOG = logging.getLogger(__name__)
PENDING = ('PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE')


class Applier:
    def __init__(self, store, driver, failovers=None, certificate_store=None):
        self.store = store
        self.driver = driver
        # worker/failover.py: load balancers whose amphora is to be replaced.
        self.failovers = failovers
        self.certificates = certificate_store or certificates.CertificateStore(None)

    def __call__(self, lb_id):
        failover = self.failovers is not None and self.failovers.take(lb_id)
        tree = tree_module.load_tree(self.store, lb_id)
        if tree is None:
            return
        if tree.loadbalancer['provisioning_status'] == 'PENDING_DELETE':
            self._delete_loadbalancer(tree)
            return
        if not any(row['provisioning_status'] in PENDING for _, row in tree.objects()):
            return
        try:
            config_text = render.render(
                tree, self.driver.stats_socket_path(lb_id),
                self._stage_certificates(tree), self.driver.ping_command)
            if failover:
                LOG.info('Load balancer %s: failover, restarting its amphora', lb_id)
                self.driver.restart(lb_id, config_text)
            else:
                self.driver.apply(lb_id, config_text)
        except (driver_base.AmphoraError, certificates.CertificateError) as error:
            LOG.error('Load balancer %s: %s', lb_id, error)
            self._finish(tree, failed=True)
            return
        self._finish(tree, failed=False)

    def _stage_certificates(self, tree):
        """{(kind, container ref): path of its copy in the amphora} for what the
        configuration uses. Read here, with no database lock held."""
        paths = {}
        for kind, ref in render.certificate_refs(tree):
            pem = self.certificates.load(ref, kind)
            paths[kind, ref] = self.driver.stage_file(
                tree.loadbalancer['id'], certificates.staged_name(kind, pem), pem)
        return paths

    def _delete_loadbalancer(self, tree):
        self.driver.remove(tree.loadbalancer['id'])
        with self.store.transaction():
            for object_type, row in tree.objects():
                self.store.delete(object_type, row['id'])
        LOG.info('Load balancer %s deleted', tree.loadbalancer['id'])

    def _finish(self, tree, failed):
        now = store_module.utcnow()
        with self.store.transaction():
            for object_type, row in tree.objects():
                status = row['provisioning_status']
                if status not in PENDING:
                    continue
                if status == 'PENDING_DELETE' and not failed:
                    self._delete_child(object_type, row)
                    continue
                self.store.update(object_type, row['id'], {
                    'provisioning_status': 'ERROR' if failed else 'ACTIVE',
                    'updated_at': now})
            if failed:
                self.store.update(model.LOADBALANCER, tree.loadbalancer['id'],
                                  {'provisioning_status': 'ERROR', 'updated_at': now})
        rollup.refresh_from_configuration(self.store, tree.loadbalancer['id'])

    def _delete_child(self, object_type, row):
        self.store.delete(object_type, row['id'])
        # Drop references to what is gone, as Octavia does.
        if object_type is model.POOL:
            for listener in self.store.find(model.LISTENER, default_pool_id=row['id']):
                self.store.update(model.LISTENER, listener['id'],
                                  {'default_pool_id': None})
        elif object_type is model.HEALTH_MONITOR:
            pool = self.store.get(model.POOL, row['pool_id'])
            if pool and pool['healthmonitor_id'] == row['id']:
                self.store.update(model.POOL, pool['id'], {'healthmonitor_id': None})
        elif object_type is model.L7POLICY:
            # Positions close the gap, as Octavia renumbers them (1..n).
            l7_positions.renumber(self.store, model.L7POLICY,
                                  l7_positions.ordered_policy_ids(
                                      self.store, model.L7POLICY, row['listener_id']))
