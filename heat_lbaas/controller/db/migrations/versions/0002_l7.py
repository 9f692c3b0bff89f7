"""L7 policies and their rules.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'


def _text(name):
    return sa.Column(name, sa.String(4096), nullable=True)


def _id(name):
    return sa.Column(name, sa.String(64), nullable=True, index=True)


def upgrade():
    op.create_table(
        'l7policies',
        sa.Column('id', sa.String(64), primary_key=True),
        _text('name'),
        _text('description'),
        _text('provisioning_status'),
        _text('operating_status'),
        sa.Column('admin_state_up', sa.Boolean(), nullable=True),
        sa.Column('project_id', sa.String(4096), nullable=True, index=True),
        _text('action'),
        _id('listener_id'),
        _id('redirect_pool_id'),
        _text('redirect_url'),
        _text('redirect_prefix'),
        sa.Column('position', sa.BigInteger(), nullable=True),
        sa.Column('redirect_http_code', sa.BigInteger(), nullable=True),
        sa.Column('tags', sa.JSON(), nullable=True),
        _text('created_at'),
        _text('updated_at'),
    )
    op.create_table(
        'rules',
        sa.Column('id', sa.String(64), primary_key=True),
        _id('l7policy_id'),
        _text('type'),
        _text('compare_type'),
        _text('key'),
        _text('value'),
        sa.Column('invert', sa.Boolean(), nullable=True),
        _text('provisioning_status'),
        _text('operating_status'),
        sa.Column('admin_state_up', sa.Boolean(), nullable=True),
        sa.Column('project_id', sa.String(4096), nullable=True, index=True),
        sa.Column('tags', sa.JSON(), nullable=True),
        _text('created_at'),
        _text('updated_at'),
    )
