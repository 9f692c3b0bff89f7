"""What a test can read of a running amphora (an HAProxy master) from outside the
controller: its master PID and how many times it has reloaded."""
from heat_lbaas.controller.amphora import haproxy_process
from heat_lbaas.controller.amphora import stats


class AmphoraProbe:
    def __init__(self, state_dir):
        # The driver derives every path from the controller's state dir, so a second
        # instance reads the same pid files and master sockets without changing them.
        self._driver = haproxy_process.HaproxyProcessDriver(state_dir)

    def master_pid(self, lb_id):
        return self._driver.master_pid(lb_id)

    def reload_count(self, lb_id):
        """Reloads since the master started (`show proc` on the master socket)."""
        return self._driver.reload_count(lb_id)

    def query(self, lb_id, command):
        """The answer of the amphora's stats socket to a runtime-API command, None if
        it does not run."""
        return self._driver.query(lb_id, command)

    def show_stat(self, lb_id):
        """The rows of HAProxy's `show stat` (dicts by column: pxname, svname, scur,
        smax, slim, ...)."""
        return stats.parse_show_stat(self.query(lb_id, 'show stat'))

    def check_status(self, lb_id, member_id):
        """HAProxy's check status of a member (`show stat` of its server rows; any
        DOWN one counts), or None if not found."""
        statuses = [row['status'] for row in self.show_stat(lb_id)
                    if row.get('svname') == member_id]
        if not statuses:
            return None
        return next((s for s in statuses if s.startswith('DOWN')), statuses[0])
