"""Per-address limits on sign-ups and reset requests: an index over (action, ip, created_at) of the
audit log, which those limits count.

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-21 15:20:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0013'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_events_action_ip_created_at', 'audit_events', ['action', 'ip', 'created_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_events_action_ip_created_at', table_name='audit_events')
