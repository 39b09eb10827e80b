"""Catalog favorites and watch history: an entry a user marked as a favorite, and one row per entry a
user started playing (when first and last, how often; how far is their playback position).

Also data: the search box finds items by their (catalog) genres. `media_items.search_text` now ends
with the item's genre names (services/search.py `text_for`, after the album titles); items that got
genres before this revision were indexed without them, so their names are appended here. The
downgrade leaves the text alone (the extra words only make more items match until a refresh).

Revision ID: 0025
Revises: 0027
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_favorites',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['catalog_entries.id'], name=op.f('fk_catalog_favorites_entry_id_catalog_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_catalog_favorites_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'entry_id', name=op.f('pk_catalog_favorites'))
    )
    op.create_index('ix_catalog_favorites_user_id_created_at', 'catalog_favorites', ['user_id', 'created_at'], unique=False)
    op.create_table('catalog_plays',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('first_played_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('played_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('plays', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['catalog_entries.id'], name=op.f('fk_catalog_plays_entry_id_catalog_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_catalog_plays_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'entry_id', name=op.f('pk_catalog_plays'))
    )
    op.create_index('ix_catalog_plays_user_id_played_at', 'catalog_plays', ['user_id', 'played_at'], unique=False)
    _index_genre_names()


def _index_genre_names() -> None:
    bind = op.get_bind()
    names: dict[int, list[str]] = {}
    for media_id, name in bind.execute(sa.text(
            'SELECT mg.media_id, g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id '
            'ORDER BY g.name_key')):
        if name and name.strip():
            names.setdefault(media_id, []).append(name.strip())
    ids = sorted(names)
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        rows = bind.execute(sa.text('SELECT id, search_text FROM media_items WHERE id IN :ids')
                            .bindparams(sa.bindparam('ids', expanding=True)), {'ids': batch}).all()
        for media_id, text in rows:
            words = " ".join(names[media_id]).lower()
            if not (text or "").endswith(words):
                bind.execute(sa.text('UPDATE media_items SET search_text = :text WHERE id = :id'),
                             {'text': f"{text} {words}" if text else words, 'id': media_id})


def downgrade() -> None:
    op.drop_index('ix_catalog_plays_user_id_played_at', table_name='catalog_plays')
    op.drop_table('catalog_plays')
    op.drop_index('ix_catalog_favorites_user_id_created_at', table_name='catalog_favorites')
    op.drop_table('catalog_favorites')
