"""Flavor profiles, flavors, availability zone profiles and availability zones
(controller/admin_model.py), and the amphora records (db/amphorae.py).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'


def _text(name):
    return sa.Column(name, sa.String(4096), nullable=True)


def _id(name):
    return sa.Column(name, sa.String(64), nullable=True, index=True)


def upgrade():
    op.create_table(
        'flavorprofiles',
        sa.Column('id', sa.String(64), primary_key=True),
        _text('name'),
        _text('provider_name'),
        _text('flavor_data'),
    )
    op.create_table(
        'flavors',
        sa.Column('id', sa.String(64), primary_key=True),
        _text('name'),
        _text('description'),
        sa.Column('enabled', sa.Boolean(), nullable=True),
        _id('flavor_profile_id'),
    )
    op.create_table(
        'availability_zone_profiles',
        sa.Column('id', sa.String(64), primary_key=True),
        _text('name'),
        _text('provider_name'),
        _text('availability_zone_data'),
    )
    op.create_table(
        'availability_zones',
        sa.Column('name', sa.String(4096), primary_key=True),
        _text('description'),
        sa.Column('enabled', sa.Boolean(), nullable=True),
        _id('availability_zone_profile_id'),
    )
    op.create_table(
        'amphorae',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('loadbalancer_id', sa.String(64), nullable=False, unique=True),
        sa.Column('master', sa.String(64), nullable=True),
        sa.Column('created_at', sa.String(64), nullable=False),
        sa.Column('updated_at', sa.String(64), nullable=True),
    )


def downgrade():
    for table in ('amphorae', 'availability_zones', 'availability_zone_profiles', 'flavors',
                  'flavorprofiles'):
        op.drop_table(table)
