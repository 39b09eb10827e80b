"""Indexes for the live dashboards (services/dashboards.py), named dx_… (created here, not in the models):

- dx_users_role_active_storage: users by role and status, and the storage they use, in one
  index-only scan instead of reading every (wide) user row.
- dx_media_items_uploaded: uploads per day, by kind and bytes, over the last 30 days: a range of
  the index holds every column the query reads.
- dx_auth_sessions_last_seen: the sessions used within the idle limit and still valid (active now),
  counted from the index alone.
- dx_audit_events_actor_id_id: one person's latest audited actions (their recent activity).

Revision ID: 0026
Revises: 0028
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0026'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("dx_users_role_active_storage", "users", ["role", "is_active", "storage_used_bytes"]),
    ("dx_media_items_uploaded", "media_items", ["uploaded_at", "kind", "status", "size_bytes"]),
    ("dx_auth_sessions_last_seen", "auth_sessions", ["last_seen_at", "expires_at", "revoked_at"]),
    ("dx_audit_events_actor_id_id", "audit_events", ["actor_id", "id"]),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
