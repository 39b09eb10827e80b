"""Albums: event albums (owner, title, description, cover, parent album) and their ordered items.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-21 15:45:00.459484
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('albums',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=5000), nullable=False),
    sa.Column('cover_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cover_id'], ['media_items.id'], name=op.f('fk_albums_cover_id_media_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_albums_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['albums.id'], name=op.f('fk_albums_parent_id_albums'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_albums'))
    )
    op.create_index('ix_albums_owner_id_parent_id', 'albums', ['owner_id', 'parent_id'], unique=False)
    op.create_index(op.f('ix_albums_parent_id'), 'albums', ['parent_id'], unique=False)
    op.create_table('album_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('album_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['album_id'], ['albums.id'], name=op.f('fk_album_items_album_id_albums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_album_items_media_id_media_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_album_items')),
    sa.UniqueConstraint('album_id', 'media_id', name='uq_album_items_album_id_media_id')
    )
    op.create_index('ix_album_items_album_id_position', 'album_items', ['album_id', 'position'], unique=False)
    op.create_index(op.f('ix_album_items_media_id'), 'album_items', ['media_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_album_items_media_id'), table_name='album_items')
    op.drop_index('ix_album_items_album_id_position', table_name='album_items')
    op.drop_table('album_items')
    op.drop_index(op.f('ix_albums_parent_id'), table_name='albums')
    op.drop_index('ix_albums_owner_id_parent_id', table_name='albums')
    op.drop_table('albums')
