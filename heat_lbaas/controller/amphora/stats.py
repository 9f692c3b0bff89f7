"""HAProxy's `show stat` counters, and Octavia's statistics of a load balancer,
listener or amphora from them, kept in the database so they outlive the processes
that counted them. (The health monitor reads the same table for member checks.)

Every HAProxy process counts from zero: the workers a reload starts, the master a
failover starts. Octavia's amphora agent sends deltas of its readings to the
controller, which adds them up per amphora and listener; here the controller reads
every process of an amphora itself (the current workers and the old ones still
draining their connections after a reload) and keeps each process's last reading.
Once a process is gone its last reading is folded into its amphora's base, which
only grows: a cumulative counter is the sum of the bases and of the live processes'
readings, and never reads lower than before. active_connections is the sum over
live processes only. What is lost is what a process counted after its last reading:
readings are taken every health interval, just before a reload, failover or stop
(the driver's before_replacing) and every few milliseconds while a reload is under
way, so that is the traffic of an old worker's last moments. The readings taken
during a reload are held in memory and stored with the next one (a database
transaction per poll was most of the time a reload took).
"""
import csv
import io
import logging
import threading

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.db import listener_statistics as records

LOG = logging.getLogger(__name__)
# The `show stat` column of each of Octavia's counters, in octavia.STATS_KEYS order
# (bytes in and out, current and total sessions, request errors).
HAPROXY_COLUMNS = dict(zip(octavia.STATS_KEYS, ('bin', 'bout', 'scur', 'stot', 'ereq'),
                           strict=True))
ZERO = dict.fromkeys(octavia.STATS_KEYS, 0)
CURRENT = 'active_connections'
CUMULATIVE = tuple(k for k in octavia.STATS_KEYS if k != CURRENT)


def parse_show_stat(text):
    """Rows of `show stat` as dicts (the header line starts with '# ')."""
    if not text or not text.startswith('# '):
        return []
    return list(csv.DictReader(io.StringIO(text[2:])))


def _frontend_stats(row):
    return {key: int(row.get(column) or 0) for key, column in HAPROXY_COLUMNS.items()}


def listener_counters(text):
    """{listener id: counters} of one process's `show stat`, None if unreadable."""
    rows = parse_show_stat(text)
    if not rows:
        return None
    return {r['pxname']: _frontend_stats(r) for r in rows if r.get('svname') == 'FRONTEND'}


def _counters(row):
    return {key: row[key] for key in octavia.STATS_KEYS}


def accumulate(rows, reading, listener_ids):
    """The stored rows after a reading (pure).

    rows: [{listener_id, amphora, process, <counters>}]; process '' is a base.
    reading: {amphora: {process: {listener id: counters} or None (it did not
    answer)}} of every live process, or None when nobody could tell which live.
    listener_ids: the load balancer's listeners; rows of others are dropped."""
    if reading is None:
        return [r for r in rows if r['listener_id'] in listener_ids]
    result = {}

    def fold(listener_id, amphora, counters):
        base = result.setdefault((listener_id, amphora, records.BASE), dict(ZERO))
        for key in CUMULATIVE:
            base[key] += counters[key]

    for row in rows:
        listener_id, amphora, process = row['listener_id'], row['amphora'], row['process']
        if listener_id not in listener_ids:
            continue
        if process == records.BASE:
            fold(listener_id, amphora, row)
            continue
        if process not in reading.get(amphora, {}):
            fold(listener_id, amphora, row)         # gone: its last reading stays
            continue
        current = (reading[amphora][process] or {}).get(listener_id)
        if current is None:
            current = _counters(row)                # no answer: keep what it said
        elif any(current[key] < row[key] for key in CUMULATIVE):
            fold(listener_id, amphora, row)         # its counters started again
        result[listener_id, amphora, process] = dict(current)
    for amphora, processes in reading.items():
        for process, counters in processes.items():
            for listener_id, current in (counters or {}).items():
                if listener_id in listener_ids:
                    result.setdefault((listener_id, amphora, process), dict(current))
    return [dict(counters, listener_id=listener_id, amphora=amphora, process=process)
            for (listener_id, amphora, process), counters in sorted(result.items())]


def merge(older, newer):
    """One reading of two (pure): each process's latest answer. A process only the
    older one lists is kept with what it last said: every listing names all the
    processes alive when it was taken, so one missing from both is gone, and one
    gone since is folded into its base by the next reading that misses it."""
    if older is None or newer is None:
        return newer if older is None else older
    merged = {amphora: dict(processes) for amphora, processes in older.items()}
    for amphora, processes in newer.items():
        for process, counters in processes.items():
            if counters is not None or process not in merged.get(amphora, {}):
                merged.setdefault(amphora, {})[process] = counters
    return merged


def total(rows):
    """Octavia's statistics of `rows`: cumulative counters summed over every row,
    active connections over live processes only (a base has none)."""
    summed = dict(ZERO)
    for row in rows:
        for key in octavia.STATS_KEYS:
            summed[key] += row[key]
    return summed


class Statistics:
    def __init__(self, store, driver):
        self.store = store
        self.driver = driver
        # One reading at a time: a slower, older reading stored after a newer one
        # would look like counters that started again, and be counted twice.
        self._lock = threading.Lock()
        # {lb_id: reading} taken with hold=True, not stored yet.
        self._held = {}

    def _read(self, lb_id):
        raw = self.driver.process_stats(lb_id)
        return None if raw is None else {
            amphora: {process: listener_counters(text) if text is not None else None
                      for process, text in processes.items()}
            for amphora, processes in raw.items()}

    def collect(self, lb_id, hold=False):
        """Read every process of the load balancer's amphora and store the result
        with the readings held before; the load balancer's rows. With `hold`, the
        reading is only held (nothing is stored or returned): the driver polls so
        during a reload."""
        with self._lock:
            # Read first: a reading that fails keeps the held ones for the next.
            reading = self._read(lb_id)
            reading = merge(self._held.pop(lb_id, None), reading)
            if hold:
                self._held[lb_id] = reading
                return None
            with self.store.transaction():
                listener_ids = {row['id'] for row in self.store.find(
                    model.LISTENER, loadbalancer_id=lb_id)}
                rows = records.of_loadbalancer(self.store, lb_id)
                stored = [{k: r[k] for k in r if k != 'loadbalancer_id'} for r in rows]
                updated = accumulate(stored, reading, listener_ids)
                if updated != sorted(stored, key=_key):
                    records.replace(self.store, lb_id, updated)
            return updated

    def collect_all(self):
        """A reading of every load balancer; rows of deleted ones are removed."""
        known = set()
        for lb in self.store.find(model.LOADBALANCER):
            known.add(lb['id'])
            try:
                self.collect(lb['id'])
            except Exception:
                LOG.exception('Statistics of load balancer %s not read', lb['id'])
        with self.store.transaction():
            for gone in records.loadbalancer_ids(self.store) - known:
                records.forget(self.store, gone)

    def for_listener(self, lb_id, listener_id, amphora=None):
        """The listener's statistics, of one amphora (an incarnation) if given."""
        return total(r for r in self.collect(lb_id) if r['listener_id'] == listener_id
                     and (amphora is None or r['amphora'] == amphora))

    def for_loadbalancer(self, lb_id):
        return total(self.collect(lb_id))


def _key(row):
    return (row['listener_id'], row['amphora'], row['process'])


class Poller:
    """Reads the statistics of every load balancer every `interval` seconds, so the
    old workers a reload leaves are read while they drain."""

    def __init__(self, statistics, interval):
        self.statistics = statistics
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='statistics')

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.statistics.collect_all()
            except Exception:
                LOG.exception('Statistics poll failed')
