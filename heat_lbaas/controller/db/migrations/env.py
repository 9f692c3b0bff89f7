"""Alembic environment: migrations run on the connection the store hands over."""
from alembic import context

connection = context.config.attributes['connection']
# Batch mode: SQLite can only add columns in place; other changes copy the table.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
