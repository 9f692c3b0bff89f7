"""The amphora record of each load balancer: its id and the HAProxy master it is.

An amphora's id must outlive reloads and controller restarts and change when the
amphora is replaced (a failover), also for a load balancer that serves nothing and
so has no HAProxy process. The record keeps the id with the master (PID and start
time) it was last seen as: a different master means a new amphora, a master seen
for the first time (the load balancer's first listener) is the same amphora.
"""
import sqlalchemy as sa

_METADATA = sa.MetaData()
TABLE = sa.Table(
    'amphorae', _METADATA,
    sa.Column('id', sa.String(64), primary_key=True),
    sa.Column('loadbalancer_id', sa.String(64), nullable=False, unique=True),
    # The master as "<pid>/<start time in clock ticks>", or NULL while none runs.
    sa.Column('master', sa.String(64), nullable=True),
    sa.Column('created_at', sa.String(64), nullable=False),
    sa.Column('updated_at', sa.String(64), nullable=True))


def all_records(store):
    return {r['loadbalancer_id']: dict(r) for r in store.execute(
        TABLE.select()).mappings().all()}


def insert(store, values):
    store.execute(TABLE.insert().values(**values))


def update(store, amphora_id, values):
    store.execute(TABLE.update().where(TABLE.c.id == amphora_id).values(**values))


def delete(store, amphora_id):
    store.execute(TABLE.delete().where(TABLE.c.id == amphora_id))
