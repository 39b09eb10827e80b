"""Catalog music albums: a song's artist, album, disc and track number, and the album's identifier
(`album_key`, from publisher, artist and album name ignoring case; services/catalog_albums.py).
Existing songs get no artist or album (empty), so they stay single songs until edited.

Revision ID: 0029
Revises: 0025
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0029'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('catalog_entries') as batch:
        batch.add_column(sa.Column('artist', sa.String(length=200), server_default='', nullable=False))
        batch.add_column(sa.Column('album', sa.String(length=200), server_default='', nullable=False))
        batch.add_column(sa.Column('disc_number', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('track_number', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('album_key', sa.String(length=32), nullable=True))
    with op.batch_alter_table('catalog_entries') as batch:  # the default was only for the existing rows
        batch.alter_column('artist', server_default=None)
        batch.alter_column('album', server_default=None)
    op.create_index(op.f('ix_catalog_entries_album_key'), 'catalog_entries', ['album_key'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_catalog_entries_album_key'), table_name='catalog_entries')
    with op.batch_alter_table('catalog_entries') as batch:
        for name in ('album_key', 'track_number', 'disc_number', 'album', 'artist'):
            batch.drop_column(name)
