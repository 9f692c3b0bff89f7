"""What the worker needs from an amphora, whatever runs it."""
import abc
import logging

LOG = logging.getLogger(__name__)


class AmphoraError(Exception):
    """The amphora refused or failed to take a configuration."""


class AmphoraDriver(abc.ABC):
    # before_replacing(lb_id, hold=False), if set: called just before processes are
    # replaced (a reload, a failover, a stop) and, with hold=True, again and again
    # while a reload is under way, so their counters are read to their last moment
    # (amphora/stats.py: Statistics.collect).
    before_replacing = None

    def _before_replacing(self, lb_id, hold=False):
        if self.before_replacing is None:
            return
        try:
            self.before_replacing(lb_id, hold=hold)
        except Exception:
            # Reading counters never stops a change.
            LOG.exception('Load balancer %s: reading statistics failed', lb_id)

    @abc.abstractmethod
    def apply(self, lb_id, config_text):
        """Serve `config_text`; None means serve nothing (and run nothing).

        Raises AmphoraError, leaving the previous configuration serving."""

    def apply_ruleset(self, lb_id, ruleset):
        """Serve the nftables ruleset of the load balancer's UDP listeners
        (nft_render.py; None: none). Drivers without a UDP data plane serve none
        (the API refuses UDP listeners for them, api/capabilities.py)."""
        if ruleset is not None:
            raise AmphoraError('this amphora driver serves no UDP listener')

    def restart(self, lb_id, config_text):
        """Replace the running amphora by a new one serving `config_text` (failover).

        Drivers that can check a configuration first should, and override this."""
        self.apply(lb_id, None)
        self.apply(lb_id, config_text)

    def place_vip(self, lb_id, vip_address):
        """The VIP the amphora serves, told before each change: a driver that must
        put it somewhere (amphora_network = namespace) does; loopback needs nothing."""

    def sweep(self, lb_ids):
        """After a restart: remove what amphorae of load balancers other than
        `lb_ids` left behind (namespaces of a killed run)."""

    def incarnation(self, lb_id):
        """A name of the amphora running now that changes when it is replaced (a
        failover), or None while none runs: what the amphora API's ids follow."""
        return None

    def watch_exits(self, on_exit):
        """Call on_exit(lb_id) when an amphora exits unasked (until stop_watching);
        a driver whose amphorae cannot exit has nothing to watch."""

    def stop_watching(self):
        """Stop what watch_exits started."""

    def use_topology(self, lb_id, topology):
        """The load balancer's topology (SINGLE, ACTIVE_STANDBY), told before each
        change; a driver serving only SINGLE has nothing to do (the API refuses
        ACTIVE_STANDBY flavors where it is not served)."""

    def amphorae(self, lb_id):
        """The amphorae of a load balancer with more than one (ACTIVE_STANDBY), each
        with its role and VRRP addresses; None where each has one amphora."""
        return None

    def request_amphora_failover(self, lb_id, amphora_id):
        """The next failover (restart) of `lb_id` is of this amphora only."""

    @abc.abstractmethod
    def crashed(self, lb_id):
        """Whether the amphora was started and is gone without having been stopped."""

    @abc.abstractmethod
    def remove(self, lb_id):
        """Stop serving and forget the amphora."""

    @abc.abstractmethod
    def stage_file(self, lb_id, name, data):
        """Store a file the configuration refers to (a certificate); its path."""

    @property
    @abc.abstractmethod
    def ping_command(self):
        """Command HAProxy runs for a PING health check (external-check)."""

    @abc.abstractmethod
    def stats_socket_path(self, lb_id):
        """Where the configuration should put the amphora's stats socket."""

    @abc.abstractmethod
    def query(self, lb_id, command):
        """Run a runtime-API command (e.g. 'show stat'); None if not running."""

    def process_stats(self, lb_id):
        """`show stat` of every live process of the load balancer's amphora, current
        or draining the connections of before a reload: {incarnation: {process:
        text, or None if it did not answer}}; {} when none runs; None when the
        amphora cannot tell which processes live. A driver that runs nothing has
        no process to read."""
        return {}

    @abc.abstractmethod
    def adopt(self, lb_id):
        """After a controller restart: keep the amphora if it still runs, else start it
        from its last accepted configuration; its PID (or other id), None if there is
        nothing to serve. Raises AmphoraError if it cannot start."""

    @abc.abstractmethod
    def stop_all(self):
        """Stop every amphora of the state directory (an explicit step: the controller's
        own stop leaves them serving, heat-lbaas-amphorae stop calls this)."""
