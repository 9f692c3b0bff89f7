"""heat-lbaas-controller: the Octavia v2 API, the worker and the health monitor in
one process, each load balancer served by its own HAProxy process."""
import dataclasses
import functools
import logging
import os
import signal
import sys
import threading
import typing

from oslo_config import cfg
from oslo_log import log as oslo_log
from oslo_middleware import sizelimit
import waitress.server

from heat_lbaas.controller import config
from heat_lbaas.controller import drivers
from heat_lbaas.controller import model
from heat_lbaas.controller import process_limits
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import netns
from heat_lbaas.controller.amphora import private_dir
from heat_lbaas.controller.amphora import stats
from heat_lbaas.controller.api import access_log
from heat_lbaas.controller.api import app as api_app
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller.api import keystone_auth
from heat_lbaas.controller.db import store as store_module
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import monitor
from heat_lbaas.controller.health import udp_checks
from heat_lbaas.controller.worker import apply
from heat_lbaas.controller.worker import failover
from heat_lbaas.controller.worker import queue

LOG = logging.getLogger(__name__)
BODY_BUFFER_MARGIN = 64 * 1024


@dataclasses.dataclass
class Context:
    """What the API handlers share."""
    conf: cfg.ConfigOpts
    store: store_module.Store
    worker: queue.PerLoadBalancerQueue
    stats: stats.Statistics
    network: typing.Any     # vip_networks.*: where VIPs are placed
    failovers: failover.FailoverRequests
    certificates: typing.Any    # amphora/certificates.CertificateStore or noop
    capabilities: capabilities.Capabilities     # what the amphora driver serves
    served_profile_data: typing.Any     # drivers.Drivers.served_profile_data


class Controller:
    def __init__(self, conf):
        self.conf = conf
        state_dir = conf.controller.state_dir
        os.makedirs(state_dir, exist_ok=True)
        self.store = store_module.Store(os.path.join(state_dir, 'controller.sqlite'))
        chosen = drivers.build(conf)
        self.driver = chosen.amphora
        self.polls_health = chosen.polls_health
        self.udp = chosen.udp
        self.failovers = failover.FailoverRequests(self.store)
        self.certificates = chosen.certificates
        self.statistics = stats.Statistics(self.store, self.driver)
        self.statistics_poller = stats.Poller(self.statistics,
                                              conf.controller.health_interval)
        self.driver.before_replacing = self.statistics.collect
        self.worker = queue.PerLoadBalancerQueue(
            apply.Applier(self.store, self.driver, self.failovers, self.certificates,
                          chosen.operating_statuses, chosen.udp),
            conf.controller.workers)
        self.health = monitor.HealthMonitor(
            self.store, self.driver, conf.controller.health_interval,
            fail_over=functools.partial(failover.fail_over, self.failovers,
                                        self.worker,
                                        allowed=status_transitions.FAILOVER_BY_HEALTH),
            udp=chosen.udp)
        self.context = Context(conf, self.store, self.worker,
                               self.statistics, chosen.network,
                               self.failovers, self.certificates,
                               chosen.capabilities, chosen.served_profile_data)
        self.app = api_app.Application(self.context)
        self.server = None

    def resume(self):
        """Serve again what the database holds, after a restart.

        Each amphora still running is adopted as it is (traffic never stopped); a
        stopped one (after `heat-lbaas-amphorae stop` or a reboot) starts from its last
        accepted configuration, so a load balancer in ERROR serves its last good one.
        An ACTIVE load balancer whose amphora serves that way is left as it is: its
        configuration is the last one accepted, and re-rendering it would bring back
        what the amphora refused of objects now in ERROR. One with no amphora serving
        is rendered again from the database. PENDING_* objects were being applied when
        the last process stopped and are applied again (a reload only where the
        configuration changed), so nothing stays stuck (a known Octavia failure
        mode)."""
        known = set()
        for lb in self.store.find(model.LOADBALANCER):
            known.add(lb['id'])
            serving = None
            if status_transitions.adopts_amphora(lb):
                try:
                    serving = self.driver.adopt(lb['id'])
                except driver_base.AmphoraError as error:
                    LOG.error('Load balancer %s: %s', lb['id'], error)
                self._adopt_udp(lb['id'])
            status_transitions.resume(self.store, lb, serving)
            self.worker.submit(lb['id'])
        for lb_id in self.driver.running_ids():
            if lb_id not in known:
                LOG.warning('Amphora %s has no load balancer: stopping it', lb_id)
                self.driver.remove(lb_id)
        # What a killed run left of amphorae now gone (their namespaces).
        self.driver.sweep(known)

    def _adopt_udp(self, lb_id):
        """The UDP ruleset the driver loaded again serves the stored tree, with the
        members stored in ERROR still out of rotation until a check passes."""
        tree = tree_module.load_tree(self.store, lb_id) if self.udp is not None else None
        if tree is not None:
            stored = {m['id']: m['operating_status'] for m in tree.members}
            self.udp.adopt(tree, {member_id for member_id in udp_checks.checks_of(tree)
                                  if stored[member_id] == 'ERROR'})

    def start(self):
        self.worker.start()
        # Before resume, so the masters it adopts or starts are watched too.
        self.driver.watch_exits(self.health.amphora_exited)
        self.resume()
        if self.polls_health:
            self.health.start()
            self.statistics_poller.start()
        # Octavia's own guard: [oslo_middleware] max_request_body_size, 413 beyond.
        served = sizelimit.RequestBodySizeLimiter(self.app, self.conf)
        served = keystone_auth.wrap(served, self.conf)
        if self.conf.api.access_log:
            served = access_log.AccessLog(served)
        self.server = waitress.server.create_server(
            served, host=self.conf.api.bind_host, port=self.conf.api.bind_port,
            threads=self.conf.api.threads,
            connection_limit=self.conf.api.connection_limit,
            # waitress buffers a body before the application sees it (1 GB by
            # default): past the limiter's size plus a margin it answers 413 itself.
            max_request_body_size=(self.conf.oslo_middleware.max_request_body_size
                                   + BODY_BUFFER_MARGIN),
            ident='heat-lbaas-controller')
        LOG.info('Octavia v2 API on http://%s:%s/', self.conf.api.bind_host,
                 self.server.effective_port)
        return self.server

    def stop(self):
        if self.server is not None:
            self.server.close()
        self.driver.stop_watching()
        self.health.stop()
        self.statistics_poller.stop()
        self.worker.stop()
        # The amphorae keep serving without their controller, as Octavia's do; the
        # next controller adopts them. `heat-lbaas-amphorae stop` stops them.
        LOG.info('Controller stopped; its HAProxy processes keep serving')


def main(argv=None):
    conf = cfg.ConfigOpts()
    config.register(conf)
    oslo_log.register_options(conf)
    conf(sys.argv[1:] if argv is None else argv, project='heat-lbaas',
         prog='heat-lbaas-controller')
    oslo_log.setup(conf, 'heat-lbaas')
    try:
        process_limits.raise_descriptor_limit(conf.api.connection_limit)
        controller = Controller(conf)
    except (process_limits.LimitError, private_dir.UnsafeDirectory,
            netns.TopologyError) as error:
        LOG.error('Refusing to start: %s', error)
        print('heat-lbaas-controller: refusing to start: %s' % error, file=sys.stderr)
        return 1
    stopping = threading.Event()

    def on_signal(signum, frame):
        LOG.info('Signal %s: stopping', signum)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = controller.start()
    # The server runs in a daemon thread: waitress's run() only returns once every
    # client has closed its kept-alive connection, which a shutdown must not wait for.
    threading.Thread(target=server.run, daemon=True, name='api').start()
    while not stopping.wait(1):
        pass
    controller.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
