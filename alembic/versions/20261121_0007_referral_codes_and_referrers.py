"""Referrals: each account's own referral code (made on first use) and who referred it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 12:52:39.361793
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('referral_code', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('referred_by_id', sa.Integer(), nullable=True))
        batch.create_index(op.f('ix_users_referred_by_id'), ['referred_by_id'], unique=False)
        batch.create_unique_constraint(op.f('uq_users_referral_code'), ['referral_code'])
        batch.create_foreign_key(op.f('fk_users_referred_by_id_users'), 'users', ['referred_by_id'], ['id'],
                                 ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('fk_users_referred_by_id_users'), type_='foreignkey')
        batch.drop_constraint(op.f('uq_users_referral_code'), type_='unique')
        batch.drop_index(op.f('ix_users_referred_by_id'))
        batch.drop_column('referred_by_id')
        batch.drop_column('referral_code')
