"""Media items keep the calendar month of their sort time, indexed per owner, for the timeline.

`sort_month` = year * 100 + month of `sort_at` in UTC (2024-05-17 → 202405). The timeline's month
list then counts an index-only range of (owner_id, trashed_at, sort_month) instead of computing
the month of every item (services/timeline.py; bench/timeline_map.py measures it).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-21 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("media_items") as batch:
        batch.add_column(sa.Column("sort_month", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE media_items SET sort_month = "
                   "CAST(EXTRACT(year FROM sort_at AT TIME ZONE 'UTC') AS INTEGER) * 100 "
                   "+ CAST(EXTRACT(month FROM sort_at AT TIME ZONE 'UTC') AS INTEGER)")
    else:  # SQLite keeps UTC text
        op.execute("UPDATE media_items SET sort_month = CAST(strftime('%Y%m', sort_at) AS INTEGER)")
    with op.batch_alter_table("media_items") as batch:
        batch.alter_column("sort_month", existing_type=sa.Integer(), nullable=False)
        batch.create_index("ix_media_items_owner_sort_month", ["owner_id", "trashed_at", "sort_month"])


def downgrade() -> None:
    with op.batch_alter_table("media_items") as batch:
        batch.drop_index("ix_media_items_owner_sort_month")
        batch.drop_column("sort_month")
