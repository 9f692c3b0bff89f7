"""Octavia's statistics of a load balancer or listener, from HAProxy's counters."""
from heat_lbaas.controller.health import monitor

ZERO = {'bytes_in': 0, 'bytes_out': 0, 'active_connections': 0,
        'total_connections': 0, 'request_errors': 0}


def _frontend_stats(row):
    return {'bytes_in': int(row.get('bin') or 0),
            'bytes_out': int(row.get('bout') or 0),
            'active_connections': int(row.get('scur') or 0),
            'total_connections': int(row.get('stot') or 0),
            'request_errors': int(row.get('ereq') or 0)}


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
