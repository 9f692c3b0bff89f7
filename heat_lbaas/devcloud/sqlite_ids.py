"""Make SQLite never reuse a row id in Heat's database, as MySQL and PostgreSQL do not.

Without AUTOINCREMENT, SQLite gives a new row the largest id + 1, so the id of the row
deleted last comes back. Heat keeps ids of rows it believes are its own after another
worker deleted them, and deletes by id later: seen on the devcloud when a blue/green
switch updated a ResourceGroup and a listener together. The group cleared its stored
attributes (row 70 deleted), the listener's new properties got the freed id 70, then the
group's in-memory copy deleted "its" row 70 again: the listener's properties. From then
on, loading the stack failed (`stack show` answered 404) and `stack delete` skipped the
listener and never finished. With ids that only grow, the stale delete finds no row.

The fix rebuilds, once, every table whose primary key is one INTEGER column with
`INTEGER PRIMARY KEY AUTOINCREMENT`, following SQLite's procedure for schema changes
(https://www.sqlite.org/lang_altertable.html#otheralter): new table, copy, drop, rename,
then the table's indexes and triggers again."""
import re
import sqlite3

_TABLE_PRIMARY_KEY = re.compile(r',\s*PRIMARY KEY \((?P<column>\w+)\)')


def autoincrement_tables(db_path):
    """Rebuild every table still reusing ids; returns the names of the tables rebuilt."""
    connection = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        connection.execute('PRAGMA foreign_keys = OFF')
        rebuilt = []
        for name, create_sql in _tables(connection):
            new_sql = _with_autoincrement(create_sql, _integer_primary_key(connection, name))
            if new_sql is not None:
                _rebuild(connection, name, new_sql)
                rebuilt.append(name)
        return rebuilt
    finally:
        connection.close()


def _tables(connection):
    return connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%'").fetchall()


def _integer_primary_key(connection, table):
    """The name of the table's primary key if it is a single INTEGER column."""
    key = [(name, kind) for _, name, kind, _, _, pk
           in connection.execute('PRAGMA table_info("%s")' % table) if pk]
    if len(key) == 1 and key[0][1].upper() == 'INTEGER':
        return key[0][0]
    return None


def _with_autoincrement(create_sql, key_column):
    """create_sql with the key declared `INTEGER PRIMARY KEY AUTOINCREMENT`, or None
    when there is nothing to change (no integer key, or already AUTOINCREMENT)."""
    if key_column is None or 'AUTOINCREMENT' in create_sql.upper():
        return None
    table_key = _TABLE_PRIMARY_KEY.search(create_sql)
    if not table_key or table_key.group('column') != key_column:
        return None
    without_table_key = create_sql[:table_key.start()] + create_sql[table_key.end():]
    column = re.compile(r'(\(\s*|,\s*)%s INTEGER NOT NULL' % re.escape(key_column))
    new_sql, count = column.subn(r'\g<1>%s INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL'
                                 % key_column, without_table_key, count=1)
    return new_sql if count == 1 else None


def _rebuild(connection, table, create_sql):
    dependents = connection.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL", (table,)).fetchall()
    staging = table + '__autoincrement'
    create_staging = re.sub(r'^CREATE TABLE "?%s"?' % re.escape(table),
                            'CREATE TABLE "%s"' % staging, create_sql.strip(), count=1)
    connection.execute('BEGIN IMMEDIATE')
    try:
        broken_before = set(connection.execute('PRAGMA foreign_key_check'))
        connection.execute(create_staging)
        # Not injectable: table names come from Heat's own schema (sqlite_master), not from input;
        # SQLite cannot bind identifiers as parameters.
        connection.execute('INSERT INTO "%s" SELECT * FROM "%s"'  # nosec B608
                           % (staging, table))
        connection.execute('DROP TABLE "%s"' % table)
        connection.execute('ALTER TABLE "%s" RENAME TO "%s"' % (staging, table))
        for (sql,) in dependents:
            connection.execute(sql)
        problems = set(connection.execute('PRAGMA foreign_key_check')) - broken_before
        if problems:
            raise RuntimeError('foreign keys broken rebuilding %s: %s' % (table, problems))
        connection.execute('COMMIT')
    except BaseException:
        connection.execute('ROLLBACK')
        raise
