"""Favorites (the items each user starred) and free tags per owner's library.

Revision ID: 0014
Revises: 0007
Create Date: 2026-11-21 15:11:23.648793
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0007'
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


def downgrade() -> None:
    op.drop_index('ix_media_tags_tag_id_media_id', table_name='media_tags')
    op.drop_table('media_tags')
    op.drop_table('tags')
    op.drop_index('ix_media_favorites_media_id', table_name='media_favorites')
    op.drop_table('media_favorites')
