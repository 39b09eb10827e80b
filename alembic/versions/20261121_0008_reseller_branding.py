"""Reseller branding: one row per reseller (slug, name, logo, colors, welcome text, support email).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 15:07:35.263723
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('brandings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('primary_color', sa.String(length=7), nullable=False),
    sa.Column('accent_color', sa.String(length=7), nullable=False),
    sa.Column('welcome_text', sa.String(length=500), nullable=False),
    sa.Column('support_email', sa.String(length=254), nullable=False),
    sa.Column('logo_key', sa.String(length=64), nullable=True),
    sa.Column('logo_hash', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reseller_id'], ['users.id'], name=op.f('fk_brandings_reseller_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brandings')),
    sa.UniqueConstraint('reseller_id', name=op.f('uq_brandings_reseller_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_brandings_slug'))
    )


def downgrade() -> None:
    op.drop_table('brandings')
