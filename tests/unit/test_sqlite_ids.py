"""The devcloud's Heat database never reuses a row id (see heat_lbaas/devcloud/sqlite_ids.py
for the Heat defect this prevents). Tables are written the way SQLAlchemy writes Heat's."""
import sqlite3

import pytest

from heat_lbaas.devcloud import sqlite_ids

HEAT_LIKE_SCHEMA = '''
CREATE TABLE resource_properties_data (
	id INTEGER NOT NULL, 
	data TEXT, 
	PRIMARY KEY (id)
);
CREATE TABLE resource (
	id INTEGER NOT NULL, 
	name VARCHAR(255), 
	rsrc_prop_data_id INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT rsrc_rsrc_prop_data_ref FOREIGN KEY(rsrc_prop_data_id)
		REFERENCES resource_properties_data (id), 
	UNIQUE (name)
);
CREATE INDEX ix_resource_name ON resource (name);
CREATE TABLE stack (
	id VARCHAR(36) NOT NULL, 
	name VARCHAR(255), 
	PRIMARY KEY (id)
);
CREATE TABLE sync_point (
	entity_id VARCHAR(36) NOT NULL, 
	traversal_id VARCHAR(36) NOT NULL, 
	PRIMARY KEY (entity_id, traversal_id)
);
'''


@pytest.fixture
def database(tmp_path):
    path = tmp_path / 'heat.sqlite'
    connection = sqlite3.connect(str(path))
    connection.executescript(HEAT_LIKE_SCHEMA)
    connection.executemany('INSERT INTO resource_properties_data (data) VALUES (?)',
                           [('a',), ('b',), ('c',)])
    connection.execute("INSERT INTO resource (name, rsrc_prop_data_id) VALUES ('lb', 2)")
    connection.execute("INSERT INTO stack VALUES ('s1', 'bg')")
    connection.commit()
    connection.close()
    return path


def _insert_after_deleting_the_last(path):
    """The id a new row gets after the row with the largest id was deleted."""
    connection = sqlite3.connect(str(path))
    connection.execute('DELETE FROM resource_properties_data WHERE id = 3')
    new_id = connection.execute(
        "INSERT INTO resource_properties_data (data) VALUES ('d')").lastrowid
    connection.commit()
    connection.close()
    return new_id


def test_without_the_fix_sqlite_gives_a_deleted_id_again(database):
    assert _insert_after_deleting_the_last(database) == 3


def test_rebuilt_tables_never_give_an_id_twice(database):
    rebuilt = sqlite_ids.autoincrement_tables(database)
    assert sorted(rebuilt) == ['resource', 'resource_properties_data']
    assert _insert_after_deleting_the_last(database) == 4


def test_rows_indexes_and_constraints_survive(database):
    sqlite_ids.autoincrement_tables(database)
    connection = sqlite3.connect(str(database))
    connection.execute('PRAGMA foreign_keys = ON')   # to show the foreign key is still declared
    assert connection.execute('SELECT id, data FROM resource_properties_data').fetchall() == [
        (1, 'a'), (2, 'b'), (3, 'c')]
    assert connection.execute('SELECT id, name, rsrc_prop_data_id FROM resource').fetchall() \
        == [(1, 'lb', 2)]
    indexes = {name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resource'")}
    assert 'ix_resource_name' in indexes
    with pytest.raises(sqlite3.IntegrityError):    # UNIQUE (name) kept
        connection.execute("INSERT INTO resource (name) VALUES ('lb')")
    with pytest.raises(sqlite3.IntegrityError):    # the foreign key still enforced
        connection.execute("INSERT INTO resource (name, rsrc_prop_data_id) VALUES ('x', 99)")
    assert connection.execute('PRAGMA foreign_key_check').fetchall() == []
    connection.close()


def test_second_run_changes_nothing(database):
    sqlite_ids.autoincrement_tables(database)
    connection = sqlite3.connect(str(database))
    schema = connection.execute('SELECT sql FROM sqlite_master ORDER BY name').fetchall()
    connection.close()
    assert sqlite_ids.autoincrement_tables(database) == []
    connection = sqlite3.connect(str(database))
    assert connection.execute('SELECT sql FROM sqlite_master ORDER BY name').fetchall() == schema
    connection.close()


def test_tables_without_a_single_integer_key_are_left_alone(database):
    sqlite_ids.autoincrement_tables(database)
    connection = sqlite3.connect(str(database))
    for table in ('stack', 'sync_point'):
        sql, = connection.execute(
            'SELECT sql FROM sqlite_master WHERE name = ?', (table,)).fetchone()
        assert 'AUTOINCREMENT' not in sql
    assert connection.execute('SELECT * FROM stack').fetchall() == [('s1', 'bg')]
    connection.close()
