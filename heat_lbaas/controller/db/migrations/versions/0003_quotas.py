"""Per-project quotas (Octavia's quota table: a NULL column uses the default).

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'

RESOURCES = ('load_balancer', 'listener', 'pool', 'health_monitor', 'member',
             'l7policy', 'l7rule')


def upgrade():
    op.create_table(
        'quotas',
        sa.Column('project_id', sa.String(255), primary_key=True),
        *[sa.Column(name, sa.BigInteger(), nullable=True) for name in RESOURCES])


def downgrade():
    op.drop_table('quotas')
