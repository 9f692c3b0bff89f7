"""Stored per-project quotas: one row per project that has its own, a NULL column
meaning "the configured default" (as in Octavia's quota table)."""
import sqlalchemy as sa

from heat_lbaas.controller import config

_METADATA = sa.MetaData()
TABLE = sa.Table(
    'quotas', _METADATA,
    sa.Column('project_id', sa.String(255), primary_key=True),
    *[sa.Column(name, sa.BigInteger(), nullable=True)
      for name in config.QUOTA_RESOURCES])


def get(store, project_id):
    """{resource: value or None} of the project's own quotas, or None."""
    row = store.execute(TABLE.select().where(
        TABLE.c.project_id == project_id)).mappings().first()
    return dict(row) if row else None


def projects(store):
    return [dict(r) for r in store.execute(
        TABLE.select().order_by(TABLE.c.project_id)).mappings().all()]


def set_values(store, project_id, values):
    """Store the given quotas of the project (None: back to the default)."""
    with store.transaction():
        if get(store, project_id) is None:
            store.execute(TABLE.insert().values(project_id=project_id, **values))
        elif values:
            store.execute(TABLE.update().where(
                TABLE.c.project_id == project_id).values(**values))


def delete(store, project_id):
    store.execute(TABLE.delete().where(TABLE.c.project_id == project_id))
