"""Bring one load balancer's amphora in line with the database.

PENDING_* objects become ACTIVE (or are removed, for PENDING_DELETE) once the
amphora serves the new configuration. If anything goes wrong on the way (HAProxy
refuses the configuration, its binary is missing, the disk is full, the process
ran out of file descriptors...), the old configuration keeps serving, the reason
goes to the log, and the change ends as Octavia's revert tasks end it
(status_transitions.after_failure): the changed objects go to ERROR, the objects only locked for
it go back to ACTIVE. Nothing stays PENDING_*.
"""
import dataclasses
import logging
import os

from heat_lbaas.controller import graph
from heat_lbaas.controller import model
from heat_lbaas.controller import certificates
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import render
from heat_lbaas.controller.db import l7_positions
from heat_lbaas.controller.db import topologies
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import rollup
from heat_lbaas.controller.worker import last_good

LOG = logging.getLogger(__name__)


class Applier:
    def __init__(self, store, driver, failovers=None, certificate_store=None,
                 operating_statuses=rollup.refresh_after_change, udp=None):
        self.store = store
        # amphora/udp_dataplane.UdpDataplane, where the driver serves UDP listeners.
        self.udp = udp
        self.driver = driver
        # operating_statuses(store, changed tree), called once a change is finished.
        self.operating_statuses = operating_statuses
        # worker/failover.py: load balancers whose amphora is to be replaced.
        self.failovers = failovers
        self.certificates = certificate_store or certificates.CertificateStore(None)
        self.last_good = last_good.LastGoodTrees()

    def __call__(self, lb_id):
        failover = self.failovers is not None and self.failovers.take(lb_id)
        tree = tree_module.load_tree(self.store, lb_id)
        if tree is None:
            return
        if tree.loadbalancer['provisioning_status'] == 'PENDING_DELETE':
            self._delete_loadbalancer(tree)
            return
        if not status_transitions.has_pending(tree.objects()):
            return
        self.driver.use_topology(lb_id, topologies.of_loadbalancer(self.store,
                                                                   tree.loadbalancer))
        accepted = self.last_good.get(lb_id)
        served = last_good.effective_tree(tree, accepted)
        try:
            certificate_paths = self._stage_certificates(served, accepted)
            config_text = render.render(
                served, self.driver.stats_socket_path(lb_id),
                certificate_paths, self.driver.ping_command)
            self.driver.place_vip(lb_id, served.loadbalancer['vip_address'])
            if self.udp is not None:
                # First: the namespace of a load balancer with UDP listeners only is
                # kept for its ruleset when HAProxy is given nothing to serve.
                self.udp.serve(served)
            if failover:
                LOG.info('Load balancer %s: failover, restarting its amphora', lb_id)
                self.driver.restart(lb_id, config_text)
            else:
                self.driver.apply(lb_id, config_text)
        except (driver_base.AmphoraError, certificates.CertificateError) as error:
            LOG.error('Load balancer %s: %s', lb_id, error)
            self._restore_udp(lb_id, accepted)
            self._finish(tree, failed=True, failover=failover)
            return
        except Exception as error:
            # Whatever broke (OSError of a full disk, a missing binary, no file
            # descriptor left...), the change must end rather than stay PENDING_*.
            LOG.exception('Load balancer %s: applying the change failed: %s',
                          lb_id, error)
            self._restore_udp(lb_id, accepted)
            self._finish(tree, failed=True, failover=failover)
            return
        self.last_good.remember(served, certificate_paths)
        self._finish(tree, failed=False)

    def _restore_udp(self, lb_id, accepted):
        """HAProxy refused what the UDP ruleset already serves: the ruleset goes back
        to the last accepted tree (none: no ruleset), as the HAProxy configuration
        does."""
        if self.udp is None:
            return
        try:
            if accepted is None:
                self.udp.withdraw(lb_id)
            else:
                self.udp.serve(accepted.tree)
        except Exception:
            LOG.exception('Load balancer %s: restoring the UDP ruleset failed', lb_id)

    def _stage_certificates(self, tree, accepted):
        """{(kind, container ref): path of its copy in the amphora} for what the
        configuration uses. Read here, with no database lock held. What only objects
        in ERROR use is the copy staged when the amphora last accepted them."""
        changeable = render.certificate_refs(dataclasses.replace(
            tree, listeners=[listener for listener in tree.listeners
                             if listener['provisioning_status'] != 'ERROR'],
            pools=[pool for pool in tree.pools if pool['provisioning_status'] != 'ERROR']))
        reusable = last_good.reusable_certificates(accepted, changeable)
        paths = {}
        for kind, ref in render.certificate_refs(tree):
            reused = reusable.get((kind, ref))
            if reused and os.path.exists(reused):
                paths[kind, ref] = reused
                continue
            pem = self.certificates.load(ref, kind)
            paths[kind, ref] = self.driver.stage_file(
                tree.loadbalancer['id'], certificates.staged_name(kind, pem), pem)
        return paths

    def _delete_loadbalancer(self, tree):
        lb_id = tree.loadbalancer['id']
        try:
            self.driver.remove(lb_id)
        except Exception as error:
            LOG.exception('Load balancer %s: delete failed: %s', lb_id, error)
            status_transitions.delete_failed(self.store, lb_id)
            return
        with self.store.transaction():
            for object_type, row in tree.objects():
                self.store.delete(object_type, row['id'])
        self.last_good.forget(lb_id)
        if self.udp is not None:
            self.udp.forget(lb_id)
        LOG.info('Load balancer %s deleted', lb_id)

    def _finish(self, tree, failed, failover=False):
        with self.store.transaction():
            status_transitions.finish_change(self.store, tree.objects(), failed,
                                             failover, remove=self._delete_child)
            # In the same transaction: whoever sees ACTIVE sees the statuses too, as
            # Octavia's flows write them before marking the load balancer ACTIVE.
            self.operating_statuses(self.store, tree)

    def _delete_child(self, object_type, row):
        self.store.delete(object_type, row['id'])
        # Drop references to what is gone, as Octavia does.
        graph.clear_references(self.store, object_type, row['id'])
        if object_type is model.L7POLICY:
            # Positions close the gap, as Octavia renumbers them (1..n).
            l7_positions.renumber(self.store, model.L7POLICY,
                                  l7_positions.ordered_policy_ids(
                                      self.store, model.L7POLICY, row['listener_id']))
