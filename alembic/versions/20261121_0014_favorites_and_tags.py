"""Favorites (the items each user starred), free tags per owner's library, and the searchable words
of each item (media_items.search_text, with a trigram index on PostgreSQL).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-21 15:11:23.648793
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'media_favorites',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('media_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_media_favorites_media_id_media_items'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_media_favorites_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'media_id', name=op.f('pk_media_favorites')),
    )
    op.create_index('ix_media_favorites_media_id', 'media_favorites', ['media_id'], unique=False)
    op.create_table(
        'tags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('name_key', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tags_owner_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
        sa.UniqueConstraint('owner_id', 'name_key', name='uq_tags_owner_id_name_key'),
    )
    op.create_table(
        'media_tags',
        sa.Column('media_id', sa.Integer(), nullable=False),
        sa.Column('tag_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_media_tags_media_id_media_items'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_media_tags_tag_id_tags'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('media_id', 'tag_id', name=op.f('pk_media_tags')),
    )
    op.create_index('ix_media_tags_tag_id_media_id', 'media_tags', ['tag_id', 'media_id'], unique=False)

    with op.batch_alter_table('media_items') as batch:
        batch.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    postgresql = op.get_bind().dialect.name == 'postgresql'
    camera = ("coalesce(exif->>'camera_make', '') || ' ' || coalesce(exif->>'camera_model', '') || ' ' || "
              "coalesce(exif->>'lens', '')") if postgresql else (
              "coalesce(json_extract(exif, '$.camera_make'), '') || ' ' || "
              "coalesce(json_extract(exif, '$.camera_model'), '') || ' ' || coalesce(json_extract(exif, '$.lens'), '')")
    # Existing items: the same words services/search.py keeps (no tags existed before this revision).
    op.execute(f"UPDATE media_items SET search_text = lower(trim(title || ' ' || original_filename || ' ' || "
               f"description || ' ' || {camera}))")
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index('ix_media_items_search_text', 'media_items', ['search_text'], unique=False,
                    postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    with op.batch_alter_table('media_items') as batch:  # the default was only for the existing rows
        batch.alter_column('search_text', server_default=None)


def downgrade() -> None:
    op.drop_index('ix_media_items_search_text', table_name='media_items')
    with op.batch_alter_table('media_items') as batch:
        batch.drop_column('search_text')
    op.drop_index('ix_media_tags_tag_id_media_id', table_name='media_tags')
    op.drop_table('media_tags')
    op.drop_table('tags')
    op.drop_index('ix_media_favorites_media_id', table_name='media_favorites')
    op.drop_table('media_favorites')
