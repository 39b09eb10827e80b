"""Studio versions count in their owner's storage: add what existing versions hold.

Data only (no schema change). From this revision on, a ready version's full file counts in
`users.storage_used_bytes` and a pending one holds a reservation (services/studio_versions.py
`stored_bytes`); versions saved before it were never counted, so deleting them later would take
bytes off that had never been added. This adds them once; the downgrade takes them off again.
The reservation formula is copied here (a migration must not change with the code).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-21 15:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _held_by_owner() -> dict[int, int]:
    rows = op.get_bind().execute(sa.text(
        'SELECT i.owner_id, v.status, v.size_bytes, v.extension, i.size_bytes, i.width, i.height '
        'FROM media_versions v JOIN media_items i ON i.id = v.media_id'
    )).all()
    held: dict[int, int] = {}
    for owner_id, status, size, extension, item_size, width, height in rows:
        if status == 'ready':
            count = size or 0
        elif status == 'pending':
            count = max(item_size or 0, (width or 0) * (height or 0) * (3 if extension == 'png' else 1))
        else:
            count = 0
        if count:
            held[owner_id] = held.get(owner_id, 0) + count
    return held


def _add(sign: int) -> None:
    bind = op.get_bind()
    for owner_id, count in _held_by_owner().items():
        bind.execute(sa.text('UPDATE users SET storage_used_bytes = CASE WHEN storage_used_bytes + :change < 0 '
                             'THEN 0 ELSE storage_used_bytes + :change END WHERE id = :owner'),
                     {'change': sign * count, 'owner': owner_id})


def upgrade() -> None:
    _add(+1)


def downgrade() -> None:
    _add(-1)
