"""Plans (allotment, quota, price) on accounts, and top-up requests paid through a payment provider.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21 15:07:39.061161
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_key', sa.String(length=64), nullable=False),
    sa.Column('monthly_credits', sa.BigInteger(), nullable=False),
    sa.Column('storage_quota_bytes', sa.BigInteger(), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('monthly_credits >= 0', name=op.f('ck_plans_monthly_credits_not_negative')),
    sa.CheckConstraint('price_minor >= 0', name=op.f('ck_plans_price_not_negative')),
    sa.CheckConstraint('storage_quota_bytes >= 0', name=op.f('ck_plans_storage_quota_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('name_key', name=op.f('uq_plans_name_key'))
    )
    op.create_table('topup_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('credits', sa.BigInteger(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'cancelled', name='topupstatus', native_enum=False, length=16), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('payment_reference', sa.String(length=128), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_minor >= 0', name=op.f('ck_topup_requests_amount_not_negative')),
    sa.CheckConstraint('credits >= 0', name=op.f('ck_topup_requests_credits_not_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_topup_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_topup_requests_plan_id_plans'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], name=op.f('fk_topup_requests_transaction_id_ledger_transactions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_topup_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topup_requests'))
    )
    op.create_index(op.f('ix_topup_requests_created_at'), 'topup_requests', ['created_at'], unique=False)
    op.create_index(op.f('ix_topup_requests_decided_at'), 'topup_requests', ['decided_at'], unique=False)
    op.create_index(op.f('ix_topup_requests_decided_by_id'), 'topup_requests', ['decided_by_id'], unique=False)
    op.create_index('ix_topup_requests_status_created_at', 'topup_requests', ['status', 'created_at'], unique=False)
    op.create_index(op.f('ix_topup_requests_user_id'), 'topup_requests', ['user_id'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch.create_index(op.f('ix_users_plan_id'), ['plan_id'], unique=False)
        batch.create_foreign_key(op.f('fk_users_plan_id_plans'), 'plans', ['plan_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('fk_users_plan_id_plans'), type_='foreignkey')
        batch.drop_index(op.f('ix_users_plan_id'))
        batch.drop_column('plan_id')
    op.drop_index(op.f('ix_topup_requests_user_id'), table_name='topup_requests')
    op.drop_index('ix_topup_requests_status_created_at', table_name='topup_requests')
    op.drop_index(op.f('ix_topup_requests_decided_by_id'), table_name='topup_requests')
    op.drop_index(op.f('ix_topup_requests_decided_at'), table_name='topup_requests')
    op.drop_index(op.f('ix_topup_requests_created_at'), table_name='topup_requests')
    op.drop_table('topup_requests')
    op.drop_table('plans')
