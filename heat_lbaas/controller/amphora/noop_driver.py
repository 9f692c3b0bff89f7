"""An amphora driver that runs nothing, as Octavia's amphora noop_driver.

Each configuration the worker renders is kept in memory (the last one per load
balancer) and counts as served at once: no HAProxy starts, nothing listens on the
VIP, nothing can crash, and the runtime API has nothing to answer (statistics are
zeros). For API tests and for checking templates without data plane.
"""
from heat_lbaas.controller.amphora import driver_base

# HAProxy never runs, so the command of a PING health check is never executed.
UNUSED_PING_COMMAND = '/bin/true'


class NoopAmphoraDriver(driver_base.AmphoraDriver):
    def __init__(self):
        # lb id -> the configuration text it would serve.
        self.configurations = {}
        # lb id -> how many amphorae it has had (a failover makes a new one).
        self.generations = {}

    def apply(self, lb_id, config_text):
        # An amphora exists from the load balancer's first change, serving or not.
        self.generations.setdefault(lb_id, 1)
        if config_text is None:
            self.configurations.pop(lb_id, None)
        else:
            self.configurations[lb_id] = config_text

    def restart(self, lb_id, config_text):
        self.apply(lb_id, config_text)
        self.generations[lb_id] += 1

    def incarnation(self, lb_id):
        generation = self.generations.get(lb_id)
        return None if generation is None else 'noop/%d' % generation

    def crashed(self, lb_id):
        return False

    def remove(self, lb_id):
        self.configurations.pop(lb_id, None)
        self.generations.pop(lb_id, None)

    def stage_file(self, lb_id, name, data):
        # Named in the configuration only; nothing reads it.
        return '/noop-amphora/%s/%s' % (lb_id, name)

    @property
    def ping_command(self):
        return UNUSED_PING_COMMAND

    def stats_socket_path(self, lb_id):
        return '/noop-amphora/%s/stats.sock' % lb_id

    def query(self, lb_id, command):
        return None

    def adopt(self, lb_id):
        # After a restart every load balancer is "served" as it is: nothing to start.
        return lb_id

    def running_ids(self):
        return []

    def stop_all(self):
        self.configurations.clear()
        self.generations.clear()
