"""The amphora driver of a controller whose load balancers have different topologies:
SINGLE ones go to the one-HAProxy driver, ACTIVE_STANDBY ones to the pair driver
(active_standby.py). The worker names a load balancer's topology (use_topology)
before each change; afterwards, a load balancer with a VRRP group is a pair's."""
from heat_lbaas.controller.amphora import driver_base

ACTIVE_STANDBY = 'ACTIVE_STANDBY'


class PerTopologyDriver(driver_base.AmphoraDriver):
    def __init__(self, single, active_standby):
        self.single = single
        self.pair = active_standby
        self._topologies = {}

    def use_topology(self, lb_id, topology):
        self._topologies[lb_id] = topology

    def _for(self, lb_id):
        if (self._topologies.get(lb_id) == ACTIVE_STANDBY
                or self.pair.group(lb_id) is not None):
            return self.pair
        return self.single

    def apply(self, lb_id, config_text):
        self._for(lb_id).apply(lb_id, config_text)

    def apply_ruleset(self, lb_id, ruleset):
        # The pair's amphorae have none (the API refuses UDP on ACTIVE_STANDBY).
        self._for(lb_id).apply_ruleset(lb_id, ruleset)

    def restart(self, lb_id, config_text):
        self._for(lb_id).restart(lb_id, config_text)

    def place_vip(self, lb_id, vip_address):
        self._for(lb_id).place_vip(lb_id, vip_address)

    def sweep(self, lb_ids):
        # The pair's amphorae have namespaces of their own ids: not to be swept.
        self.single.sweep(set(lb_ids) | self.pair.amphora_ids())
        for lb_id in self.pair.lb_ids():
            if lb_id not in lb_ids:
                self.pair.remove(lb_id)

    def incarnation(self, lb_id):
        return self._for(lb_id).incarnation(lb_id)

    # Statistics are read just before processes are replaced, by whichever driver
    # replaces them, and from whichever runs the load balancer.
    @property
    def before_replacing(self):
        return self.single.before_replacing

    @before_replacing.setter
    def before_replacing(self, hook):
        self.single.before_replacing = hook
        self.pair.before_replacing = hook

    def process_stats(self, lb_id):
        return self._for(lb_id).process_stats(lb_id)

    def amphorae(self, lb_id):
        """The pair's amphorae (active_standby.AmphoraState), None for SINGLE."""
        if self._for(lb_id) is self.pair:
            return self.pair.amphorae(lb_id)
        return None

    def request_amphora_failover(self, lb_id, amphora_id):
        if self._for(lb_id) is self.pair:
            self.pair.request_amphora_failover(lb_id, amphora_id)

    def watch_exits(self, on_exit):
        self.single.watch_exits(on_exit)
        self.pair.watch_exits(on_exit)

    def stop_watching(self):
        self.single.stop_watching()
        self.pair.stop_watching()

    def crashed(self, lb_id):
        return self._for(lb_id).crashed(lb_id)

    def remove(self, lb_id):
        self._for(lb_id).remove(lb_id)
        self._topologies.pop(lb_id, None)

    def stage_file(self, lb_id, name, data):
        return self._for(lb_id).stage_file(lb_id, name, data)

    @property
    def ping_command(self):
        return self.single.ping_command

    def stats_socket_path(self, lb_id):
        return self._for(lb_id).stats_socket_path(lb_id)

    def query(self, lb_id, command):
        return self._for(lb_id).query(lb_id, command)

    def adopt(self, lb_id):
        return self._for(lb_id).adopt(lb_id)

    def master_pid(self, lb_id):
        return self._for(lb_id).master_pid(lb_id)

    def running_ids(self):
        return self.single.running_ids() + self.pair.running_ids()

    def stop_all(self):
        # The pair's first: the single driver's stop removes the bridge.
        self.pair.stop_all()
        self.single.stop_all()
