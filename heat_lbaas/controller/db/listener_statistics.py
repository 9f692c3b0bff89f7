"""Stored listener statistics: Octavia's listener_statistics table, one row per
listener, amphora and HAProxy process.

An amphora is named by its driver's incarnation (it changes at a failover), a process
by its worker PID within it; the row with process '' is the amphora's base, the last
readings of its processes that are gone (amphora/stats.py folds them in), so counters
outlive reloads, failovers and controller restarts.
"""
import sqlalchemy as sa

from heat_lbaas import octavia_vocabulary as octavia

BASE = ''
_METADATA = sa.MetaData()
TABLE = sa.Table(
    'listener_statistics', _METADATA,
    sa.Column('listener_id', sa.String(64), primary_key=True),
    sa.Column('amphora', sa.String(64), primary_key=True),
    sa.Column('process', sa.String(64), primary_key=True),
    sa.Column('loadbalancer_id', sa.String(64), nullable=False, index=True),
    *[sa.Column(key, sa.BigInteger(), nullable=False) for key in octavia.STATS_KEYS])


def of_loadbalancer(store, lb_id):
    return [dict(r) for r in store.execute(TABLE.select().where(
        TABLE.c.loadbalancer_id == lb_id)).mappings().all()]


def replace(store, lb_id, rows):
    """Make `rows` the load balancer's rows (in the caller's transaction)."""
    store.execute(TABLE.delete().where(TABLE.c.loadbalancer_id == lb_id))
    if rows:
        store.execute(TABLE.insert().values(
            [dict(row, loadbalancer_id=lb_id) for row in rows]))


def loadbalancer_ids(store):
    return {r[0] for r in store.execute(sa.select(TABLE.c.loadbalancer_id).distinct())}


def forget(store, lb_id):
    store.execute(TABLE.delete().where(TABLE.c.loadbalancer_id == lb_id))
