"""Credit ledger: accounts, append-only transactions and entries; users.credit_balance moves to the ledger.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 11:56:07.010064
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Transactions and entries are append-only: the database itself refuses UPDATE and DELETE (as 0001 does
# for the audit log), so a balance can always be recomputed from history that nobody rewrote.
_APPEND_ONLY_TABLES = ("ledger_transactions", "ledger_entries")
_PG_APPEND_ONLY = """
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$;
"""


def _create_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_APPEND_ONLY)
        for table in _APPEND_ONLY_TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
    elif dialect == "sqlite":
        for table in _APPEND_ONLY_TABLES:
            for operation in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} is not allowed'); END")


def _drop_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY_TABLES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")


def upgrade() -> None:
    op.create_table('ledger_transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('grant', 'bonus', 'plan', 'transfer', 'spend', 'refund', 'hold', 'capture', 'release', name='transactionkind', native_enum=False, length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('reference', sa.String(length=128), nullable=False),
    sa.Column('settles_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_ledger_transactions_amount_positive')),
    sa.ForeignKeyConstraint(['settles_id'], ['ledger_transactions.id'], name=op.f('fk_ledger_transactions_settles_id_ledger_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_transactions')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_ledger_transactions_idempotency_key')),
    sa.UniqueConstraint('settles_id', name=op.f('uq_ledger_transactions_settles_id'))
    )
    op.create_index(op.f('ix_ledger_transactions_actor_id'), 'ledger_transactions', ['actor_id'], unique=False)
    op.create_index(op.f('ix_ledger_transactions_created_at'), 'ledger_transactions', ['created_at'], unique=False)
    op.create_index(op.f('ix_ledger_transactions_kind'), 'ledger_transactions', ['kind'], unique=False)
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('system_name', sa.String(length=32), nullable=True),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_ledger_accounts_balance_not_negative')),
    sa.CheckConstraint('user_id IS NULL OR system_name IS NULL', name=op.f('ck_ledger_accounts_one_owner')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ledger_accounts_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('system_name', name=op.f('uq_ledger_accounts_system_name')),
    sa.UniqueConstraint('user_id', name=op.f('uq_ledger_accounts_user_id'))
    )
    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_ledger_entries_amount_not_zero')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name=op.f('fk_ledger_entries_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], name=op.f('fk_ledger_entries_transaction_id_ledger_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    # The system accounts, with the fixed negative ids models/ledger.py names (SystemAccount.account_id).
    op.bulk_insert(sa.table('ledger_accounts', sa.column('id', sa.Integer()), sa.column('system_name', sa.String()),
                            sa.column('balance', sa.BigInteger()), sa.column('created_at', sa.DateTime(timezone=True))),
                   [{'id': -number, 'system_name': name, 'balance': 0, 'created_at': datetime.now(UTC)}
                    for number, name in enumerate(('issuance', 'consumption', 'held'), start=1)])
    op.create_index('ix_ledger_entries_account_id_id', 'ledger_entries', ['account_id', 'id'], unique=False)
    op.create_index(op.f('ix_ledger_entries_transaction_id'), 'ledger_entries', ['transaction_id'], unique=False)
    _create_append_only_triggers()
    # Balances live on ledger_accounts now (no balance was ever written to this column).
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_constraint(op.f('ck_users_credit_balance_not_negative'), type_='check')
        batch_op.drop_column('credit_balance')


def downgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('credit_balance', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_users_credit_balance_not_negative'), 'credit_balance >= 0')
    _drop_append_only_triggers()
    op.drop_index(op.f('ix_ledger_entries_transaction_id'), table_name='ledger_entries')
    op.drop_index('ix_ledger_entries_account_id_id', table_name='ledger_entries')
    op.drop_table('ledger_entries')
    op.drop_table('ledger_accounts')
    op.drop_index(op.f('ix_ledger_transactions_kind'), table_name='ledger_transactions')
    op.drop_index(op.f('ix_ledger_transactions_created_at'), table_name='ledger_transactions')
    op.drop_index(op.f('ix_ledger_transactions_actor_id'), table_name='ledger_transactions')
    op.drop_table('ledger_transactions')
