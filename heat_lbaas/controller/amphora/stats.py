"""HAProxy's `show stat` counters, and Octavia's statistics of a load balancer or
listener from them. (The health monitor reads the same table for member checks.)"""
import csv
import io

from heat_lbaas import octavia_vocabulary as octavia

# The `show stat` column of each of Octavia's counters, in octavia.STATS_KEYS order
# (bytes in and out, current and total sessions, request errors).
HAPROXY_COLUMNS = dict(zip(octavia.STATS_KEYS, ('bin', 'bout', 'scur', 'stot', 'ereq'),
                           strict=True))
ZERO = dict.fromkeys(octavia.STATS_KEYS, 0)


def parse_show_stat(text):
    """Rows of `show stat` as dicts (the header line starts with '# ')."""
    if not text or not text.startswith('# '):
        return []
    return list(csv.DictReader(io.StringIO(text[2:])))


def _frontend_stats(row):
    return {key: int(row.get(column) or 0) for key, column in HAPROXY_COLUMNS.items()}


class Statistics:
    def __init__(self, driver):
        self.driver = driver

    def _frontends(self, lb_id):
        rows = parse_show_stat(self.driver.query(lb_id, 'show stat'))
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
