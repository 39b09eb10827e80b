"""Catalog entries keep imported artwork: the storage keys of a downloaded poster and backdrop.

The keys name files in MEDIA_ROOT's "derived" area (services/catalog_import.py); reconcile counts
them as known. NULL: no imported image (the entry's picked picture item or its own frame is shown).

Revision ID: 0023
Revises: 0019
Create Date: 2026-11-21 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_entries") as batch:
        batch.add_column(sa.Column("poster_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("backdrop_key", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_entries") as batch:
        batch.drop_column("backdrop_key")
        batch.drop_column("poster_key")
