"""Reads HAProxy's health-check results and stores operating statuses.

Every `interval` seconds, for each load balancer whose amphora runs, `show stat` on
its stats socket gives the check status of each server (a member id). An ACTIVE
load balancer whose amphora died (its HAProxy master killed, say) is failed over
through `fail_over`, as Octavia's health manager does for an amphora that stops
sending heartbeats.
"""
import logging
import threading

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import stats
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import rollup

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
    def __init__(self, store, driver, interval=1.0, fail_over=None):
        self.store = store
        self.driver = driver
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
        for lb in self.store.find(model.LOADBALANCER, provisioning_status='ACTIVE'):
            if self._fail_over_if_crashed(lb['id']):
                continue
            text = self.driver.query(lb['id'], 'show stat')
            if text is None:
                continue
            tree = tree_module.load_tree(self.store, lb['id'])
            if tree is None or tree.loadbalancer['provisioning_status'] != 'ACTIVE':
                continue
            rollup.store_statuses(self.store, tree, rollup.compute(
                tree, member_checks(stats.parse_show_stat(text))))
