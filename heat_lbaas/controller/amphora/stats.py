"""Octavia's statistics of a load balancer or listener, from HAProxy's counters."""
from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller.health import monitor

# The `show stat` column of each of Octavia's counters, in octavia.STATS_KEYS order
# (bytes in and out, current and total sessions, request errors).
HAPROXY_COLUMNS = dict(zip(octavia.STATS_KEYS, ('bin', 'bout', 'scur', 'stot', 'ereq'),
                           strict=True))
ZERO = dict.fromkeys(octavia.STATS_KEYS, 0)


def _frontend_stats(row):
    return {key: int(row.get(column) or 0) for key, column in HAPROXY_COLUMNS.items()}


class Statistics:
    def __init__(self, driver):
        self.driver = driver

    def _frontends(self, lb_id):
        rows = monitor.parse_show_stat(self.driver.query(lb_id, 'show stat'))
        return {r['pxname']: r for r in rows if r.get('svname') == 'FRONTEND'}

    def for_listener(self, lb_id, listener_id):
        row = self._frontends(lb_id).get(listener_id)
        return _frontend_stats(row) if row else dict(ZERO)

    def for_loadbalancer(self, lb_id):
        total = dict(ZERO)
        for row in self._frontends(lb_id).values():
            for key, value in _frontend_stats(row).items():
                total[key] += value
        return total
