"""Ticket notes: a message the platform writes into a ticket's thread (`ticket_messages.is_note`), such
as "Moved to … because … was deactivated" when a reseller's tickets are handed on. Existing messages
are people's messages (false).

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ticket_messages') as batch:
        batch.add_column(sa.Column('is_note', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('ticket_messages') as batch:  # the default exists only while the column is added
        batch.alter_column('is_note', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('ticket_messages') as batch:
        batch.drop_column('is_note')
