"""Listener statistics kept per amphora and HAProxy process (db/listener_statistics.py).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'

COUNTERS = ('bytes_in', 'bytes_out', 'active_connections', 'total_connections',
            'request_errors')


def upgrade():
    op.create_table(
        'listener_statistics',
        sa.Column('listener_id', sa.String(64), primary_key=True),
        sa.Column('amphora', sa.String(64), primary_key=True),
        sa.Column('process', sa.String(64), primary_key=True),
        sa.Column('loadbalancer_id', sa.String(64), nullable=False, index=True),
        *[sa.Column(name, sa.BigInteger(), nullable=False) for name in COUNTERS])


def downgrade():
    op.drop_table('listener_statistics')
