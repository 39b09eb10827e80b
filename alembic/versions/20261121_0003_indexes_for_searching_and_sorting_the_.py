"""Indexes for searching and sorting the account list at 100,000 accounts.

Plain b-tree indexes on sort and filter columns are declared in the models. The rest depend on
the dialect, so they are created here by hand, named dx_… (alembic/env.py leaves those out of the
model comparison):
- PostgreSQL: trigram GIN indexes, so a search for any part of a username, email or display name
  (LIKE/ILIKE '%…%') does not read the whole table.
- dx_users_last_login_at: NULLS FIRST on PostgreSQL, the order SQLite always uses, so "never
  signed in" sorts as the oldest sign-in and one index serves both directions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 09:45:09.808769
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_COLUMNS = ("username_key", "email_key", "display_name")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_index(op.f('ix_users_created_at'), 'users', ['created_at'], unique=False)
    op.create_index(op.f('ix_users_locked_until'), 'users', ['locked_until'], unique=False)
    if _postgresql():
        op.execute("CREATE INDEX dx_users_last_login_at ON users (last_login_at NULLS FIRST)")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in TRIGRAM_COLUMNS:
            op.execute(f"CREATE INDEX dx_users_{column}_trgm ON users USING gin ({column} gin_trgm_ops)")
    else:
        op.execute("CREATE INDEX dx_users_last_login_at ON users (last_login_at)")


def downgrade() -> None:
    if _postgresql():
        for column in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS dx_users_{column}_trgm")
        # the pg_trgm extension stays: it may serve other objects, and it costs nothing
    op.execute("DROP INDEX IF EXISTS dx_users_last_login_at")
    op.drop_index(op.f('ix_users_locked_until'), table_name='users')
    op.drop_index(op.f('ix_users_created_at'), table_name='users')
