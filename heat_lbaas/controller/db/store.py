"""SQLite storage of the objects declared in controller/model.py.

Tables and columns are generated from those declarations for queries; the database
itself is created and upgraded by the Alembic migrations in db/migrations, so an
upgrade keeps the data (a test checks that migrations and declarations agree). All
access goes through
one lock: SQLite has a single writer, and the API and worker threads keep their
transactions short, so serialising them costs nothing and rules out lock errors.
"""
import contextlib
import datetime
import os
import threading

import alembic.command
import alembic.config
from alembic.runtime import migration
import sqlalchemy as sa

from heat_lbaas.controller import admin_model
from heat_lbaas.controller import model

_COLUMN_TYPES = {
    model.STRING: lambda: sa.String(4096),
    model.INTEGER: sa.BigInteger,
    model.FLOAT: sa.Float,
    model.BOOLEAN: sa.Boolean,
    model.UUID: lambda: sa.String(64),
    model.IP: lambda: sa.String(64),
    model.STRING_LIST: sa.JSON,
    model.DICT: sa.JSON,
    model.CIDR_LIST: sa.JSON,
    model.STATUS_CODES: lambda: sa.String(4096),
}


def _table(metadata, object_type):
    columns = []
    for field in object_type.fields:
        column_type = _COLUMN_TYPES[field.kind]()
        # The first field is the key: `id`, or `name` for an availability zone.
        if field is object_type.fields[0]:
            columns.append(sa.Column(field.name, column_type, primary_key=True))
        else:
            columns.append(sa.Column(field.name, column_type, nullable=True,
                                     index=field.name.endswith('_id')))
    return sa.Table(object_type.collection, metadata, *columns)


# Every declared type with a table (the amphorae of admin_model are computed).
STORED_TYPES = model.OBJECT_TYPES + admin_model.STORED_TYPES
MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')


def migrate(engine, revision='head'):
    """Bring the database schema to `revision` (Alembic)."""
    config = alembic.config.Config()
    config.set_main_option('script_location', MIGRATIONS)
    with engine.begin() as connection:
        config.attributes['connection'] = connection
        unversioned = migration.MigrationContext.configure(
            connection).get_current_revision() is None
        if unversioned and sa.inspect(connection).has_table('loadbalancers'):
            # A database from before migrations existed has exactly schema 0001 (the
            # same declarations created it): adopt it, then upgrade.
            alembic.command.stamp(config, '0001')
        alembic.command.upgrade(config, revision)


def utcnow():
    # Octavia's timestamps: ISO 8601 without a zone.
    return datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None).isoformat()


class Store:
    def __init__(self, path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.engine = sa.create_engine(
            'sqlite:///%s' % path,
            connect_args={'check_same_thread': False})
        self.metadata = sa.MetaData()
        self.tables = {t.collection: _table(self.metadata, t)
                       for t in STORED_TYPES}
        migrate(self.engine)
        self._lock = threading.RLock()
        self._connection = None

    @contextlib.contextmanager
    def transaction(self):
        """One atomic unit of work; nested calls join the outer one."""
        with self._lock:
            if self._connection is not None:
                yield self
                return
            with self.engine.begin() as connection:
                self._connection = connection
                try:
                    yield self
                finally:
                    self._connection = None

    def _run(self, statement):
        with self.transaction():
            return self._connection.execute(statement)

    def execute(self, statement):
        """Run a statement on a table not declared in model.py (db/quotas.py)."""
        return self._run(statement)

    def get(self, object_type, object_id):
        table = self.tables[object_type.collection]
        row = self._run(table.select().where(table.c.id == object_id)).mappings().first()
        return dict(row) if row else None

    def find(self, object_type, **equal):
        table = self.tables[object_type.collection]
        query = table.select()
        for name, value in equal.items():
            query = query.where(table.c[name] == value)
        return [dict(r) for r in self._run(query).mappings().all()]

    def insert(self, object_type, values):
        table = self.tables[object_type.collection]
        self._run(table.insert().values(**values))
        return self.get(object_type, values['id'])

    def update(self, object_type, object_id, values):
        table = self.tables[object_type.collection]
        self._run(table.update().where(table.c.id == object_id).values(**values))
        return self.get(object_type, object_id)

    def delete(self, object_type, object_id):
        table = self.tables[object_type.collection]
        self._run(table.delete().where(table.c.id == object_id))
