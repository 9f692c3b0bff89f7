"""Reads HAProxy's health-check results and stores operating statuses.

Every `interval` seconds, for each load balancer whose amphora runs, `show stat` on
its stats socket gives the check status of each server (a member id). An ACTIVE
load balancer whose amphora died (its HAProxy master killed, say) is failed over
through `fail_over`, as Octavia's health manager does for an amphora that stops
sending heartbeats.

Where nftables serves UDP listeners (`udp`, amphora/udp_dataplane.py), their
members are checked from here too (health/udp_checks.py): the verdicts become their
operating statuses and the ruleset's rotation. A load balancer with UDP listeners
only has no HAProxy to ask.
"""
import logging
import threading

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import stats
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import rollup
from heat_lbaas.controller.health import udp_checks

LOG = logging.getLogger(__name__)


def member_checks(rows):
    """{member id: status} from the server rows of `show stat`."""
    checks = {}
    for row in rows:
        if row.get('svname') in ('FRONTEND', 'BACKEND') or not row.get('pxname'):
            continue
        # A member sits in one backend per listener; any DOWN counts.
        previous = checks.get(row['svname'])
        if previous is None or row['status'].startswith('DOWN'):
            checks[row['svname']] = row['status']
    return checks


class HealthMonitor:
    def __init__(self, store, driver, interval=1.0, fail_over=None, udp=None):
        self.store = store
        self.driver = driver
        self.udp = udp
        self.udp_checks = udp_checks.UdpMemberChecks() if udp is not None else None
        self.interval = interval
        # fail_over(lb_id) -> bool: worker/failover.fail_over, bound by the service.
        self.fail_over = fail_over
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='health-monitor')

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():     # never started when nothing reports health
            self._thread.join(timeout=10)
        if self.udp_checks is not None:
            self.udp_checks.stop()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.poll_once()
            except Exception:
                LOG.exception('Health poll failed')

    def amphora_exited(self, lb_id):
        """The driver saw a master exit unasked (its death watch): fail over now
        rather than at the next poll."""
        self._fail_over_if_crashed(lb_id)

    def _fail_over_if_crashed(self, lb_id):
        """True if the amphora died (whether or not a failover could start now: a load
        balancer that is not ACTIVE is being changed, and the change restarts it)."""
        if self.fail_over is None or not self.driver.crashed(lb_id):
            return False
        if self.fail_over(lb_id):
            LOG.warning('Amphora of load balancer %s died: failing over', lb_id)
        return True

    def poll_once(self):
        udp_ids = self.udp.lb_ids() if self.udp is not None else set()
        for lb in self.store.find(model.LOADBALANCER, provisioning_status='ACTIVE'):
            if self._fail_over_if_crashed(lb['id']):
                continue
            text = self.driver.query(lb['id'], 'show stat')
            if text is None and lb['id'] not in udp_ids:
                continue
            tree = tree_module.load_tree(self.store, lb['id'])
            if tree is None or tree.loadbalancer['provisioning_status'] != 'ACTIVE':
                continue
            checks = member_checks(stats.parse_show_stat(text)) if text else {}
            if lb['id'] in udp_ids:
                checks.update(self._check_udp_members(tree))
            rollup.store_statuses(self.store, tree, rollup.compute(tree, checks))
        if self.udp_checks is not None:
            self.udp_checks.keep_only(udp_ids)

    def _check_udp_members(self, tree):
        """The UDP members' check statuses; those found dead leave the rotation."""
        statuses, out = self.udp_checks.poll(tree)
        self.udp.set_out_of_rotation(tree.loadbalancer['id'], out)
        return statuses
