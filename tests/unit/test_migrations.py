"""The migrations build exactly the schema the declarations in model.py describe, and
an upgrade keeps the data already stored."""
import sqlalchemy as sa

from heat_lbaas.controller import model
from heat_lbaas.controller.db import amphorae
from heat_lbaas.controller.db import listener_statistics
from heat_lbaas.controller.db import quotas
from heat_lbaas.controller.db import store as store_module


def test_migrated_schema_matches_the_declarations(tmp_path):
    store = store_module.Store(str(tmp_path / 'c.sqlite'))
    inspector = sa.inspect(store.engine)
    for object_type in store_module.STORED_TYPES:
        migrated = {c['name'] for c in inspector.get_columns(object_type.collection)}
        declared = {f.name for f in object_type.fields}
        assert migrated == declared, object_type.collection


def test_upgrade_from_the_first_schema_keeps_data(tmp_path):
    path = str(tmp_path / 'c.sqlite')
    engine = sa.create_engine('sqlite:///' + path)
    store_module.migrate(engine, '0001')
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO loadbalancers (id, name, provisioning_status) "
            "VALUES ('lb-1', 'kept', 'ACTIVE')"))
    engine.dispose()
    store = store_module.Store(path)   # upgrades to the newest revision
    assert store.get(model.LOADBALANCER, 'lb-1')['name'] == 'kept'


def test_a_database_from_before_migrations_is_adopted_and_upgraded(tmp_path):
    path = str(tmp_path / 'c.sqlite')
    engine = sa.create_engine('sqlite:///' + path)
    store_module.migrate(engine, '0001')
    with engine.begin() as connection:
        connection.execute(sa.text('DROP TABLE alembic_version'))
        connection.execute(sa.text(
            "INSERT INTO loadbalancers (id, name) VALUES ('lb-1', 'old')"))
    engine.dispose()
    store = store_module.Store(path)
    assert store.get(model.LOADBALANCER, 'lb-1')['name'] == 'old'
    assert 'rules' in sa.inspect(store.engine).get_table_names()


def test_migrated_quota_and_amphora_tables_match_their_declarations(tmp_path):
    store = store_module.Store(str(tmp_path / 'c.sqlite'))
    inspector = sa.inspect(store.engine)
    for table in (quotas.TABLE, amphorae.TABLE, listener_statistics.TABLE):
        migrated = {c['name']: c['nullable'] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name: c.nullable for c in table.columns}, table.name
        key = inspector.get_pk_constraint(table.name)['constrained_columns']
        assert key == [c.name for c in table.primary_key.columns], table.name


def test_migrated_keys_match_the_declarations(tmp_path):
    # The first declared field is the key: `id`, or `name` for availability zones.
    store = store_module.Store(str(tmp_path / 'c.sqlite'))
    inspector = sa.inspect(store.engine)
    for object_type in store_module.STORED_TYPES:
        key = inspector.get_pk_constraint(object_type.collection)['constrained_columns']
        assert key == [object_type.fields[0].name], object_type.collection
