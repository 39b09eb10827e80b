"""Notification preferences per user and kind, a repeat count for grouped notifications, and an
index for the paged list (a user's notifications, newest first).

A missing preference row means the kind's defaults (services/notifications.py KINDS). `repeat`
counts the events one notification stands for (a burst of finished uploads is one notification).

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preferences")),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("repeat", sa.Integer(), server_default="1", nullable=False))
    op.create_index("ix_notifications_user_id_created_at", "notifications", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_user_id_created_at", table_name="notifications")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("repeat")
    op.drop_table("notification_preferences")
