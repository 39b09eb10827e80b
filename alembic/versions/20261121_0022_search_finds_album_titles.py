"""Search finds items by the titles of their albums: add those titles to items already in albums.

Data only (no schema change). From this revision on, `media_items.search_text` ends with the titles
of the item's albums (services/search.py `text_for`); items put in albums before it were indexed
without them. Items added since keep their text, which already ends with them. People's names
come before album titles, but no person existed before this revision's parent, so appending the
titles gives exactly what `text_for` would. The downgrade leaves the text alone (the extra words
only make more items match until something refreshes them).

Revision ID: 0022
Revises: 0016
Create Date: 2026-11-21 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    titles: dict[int, list[str]] = {}
    for media_id, title in bind.execute(sa.text(
            'SELECT ai.media_id, a.title FROM album_items ai JOIN albums a ON a.id = ai.album_id '
            'ORDER BY a.title, a.id')):
        if title and title.strip():
            titles.setdefault(media_id, []).append(title.strip())
    ids = sorted(titles)
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        rows = bind.execute(sa.text('SELECT id, search_text FROM media_items WHERE id IN :ids')
                            .bindparams(sa.bindparam('ids', expanding=True)), {'ids': batch}).all()
        for media_id, text in rows:
            wanted = " ".join([text, *titles[media_id]]).strip().lower() if text else \
                " ".join(titles[media_id]).lower()
            if not (text or "").endswith(" ".join(titles[media_id]).lower()):
                bind.execute(sa.text('UPDATE media_items SET search_text = :text WHERE id = :id'),
                             {'text': wanted, 'id': media_id})


def downgrade() -> None:
    pass
