"""Genres: the global genre taxonomy (seeded with a default list) and the genres items carry.

Revision ID: 0019
Revises: 0022
Create Date: 2026-11-21 18:40:00.000000
"""

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The genres a fresh install starts with (admins rename, merge and delete them on /admin/genres).
_DEFAULT_GENRES = (
    "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "Sport", "Thriller",
    "War", "Western",
)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def upgrade() -> None:
    op.create_table('genres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_key', sa.String(length=60), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_genres')),
    sa.UniqueConstraint('name_key', name='uq_genres_name_key'),
    sa.UniqueConstraint('slug', name='uq_genres_slug')
    )
    op.create_table('media_genres',
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('genre_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['genre_id'], ['genres.id'], name=op.f('fk_media_genres_genre_id_genres'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_media_genres_media_id_media_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('media_id', 'genre_id', name=op.f('pk_media_genres'))
    )
    op.create_index('ix_media_genres_genre_id_media_id', 'media_genres', ['genre_id', 'media_id'], unique=False)
    table = sa.table('genres', sa.column('name', sa.String), sa.column('name_key', sa.String),
                     sa.column('slug', sa.String), sa.column('created_at', sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    op.bulk_insert(table, [{'name': name, 'name_key': name.casefold(), 'slug': _slug(name), 'created_at': now}
                           for name in _DEFAULT_GENRES])


def downgrade() -> None:
    op.drop_index('ix_media_genres_genre_id_media_id', table_name='media_genres')
    op.drop_table('media_genres')
    op.drop_table('genres')
