"""Catalog: published entries (what the catalog shows of a media item, its price), the play windows
people pay for, and watchlists ("my list").

Revision ID: 0021
Revises: 0015
Create Date: 2026-11-21 18:28:30.997264
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('publisher_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('film', 'episode', 'music', 'other', name='entrykind', native_enum=False, length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('original_title', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('series_title', sa.String(length=200), nullable=False),
    sa.Column('season', sa.Integer(), nullable=True),
    sa.Column('episode', sa.Integer(), nullable=True),
    sa.Column('plot', sa.String(length=5000), nullable=False),
    sa.Column('rating', sa.Float(), nullable=True),
    sa.Column('runtime_minutes', sa.Integer(), nullable=True),
    sa.Column('age_rating', sa.String(length=16), nullable=False),
    sa.Column('cast', sa.JSON(), nullable=False),
    sa.Column('poster_media_id', sa.Integer(), nullable=True),
    sa.Column('backdrop_media_id', sa.Integer(), nullable=True),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_catalog_entries_price_not_negative')),
    sa.ForeignKeyConstraint(['backdrop_media_id'], ['media_items.id'], name=op.f('fk_catalog_entries_backdrop_media_id_media_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_catalog_entries_media_id_media_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poster_media_id'], ['media_items.id'], name=op.f('fk_catalog_entries_poster_media_id_media_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['publisher_id'], ['users.id'], name=op.f('fk_catalog_entries_publisher_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_entries')),
    sa.UniqueConstraint('media_id', name=op.f('uq_catalog_entries_media_id'))
    )
    op.create_index(op.f('ix_catalog_entries_kind'), 'catalog_entries', ['kind'], unique=False)
    op.create_index('ix_catalog_entries_published_published_at', 'catalog_entries', ['published', 'published_at'], unique=False)
    op.create_index(op.f('ix_catalog_entries_publisher_id'), 'catalog_entries', ['publisher_id'], unique=False)
    op.create_index('ix_catalog_entries_series_title_season_episode', 'catalog_entries', ['series_title', 'season', 'episode'], unique=False)
    op.create_table('play_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['catalog_entries.id'], name=op.f('fk_play_windows_entry_id_catalog_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_play_windows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_play_windows')),
    sa.UniqueConstraint('user_id', 'entry_id', 'number', name='uq_play_windows_user_id_entry_id_number')
    )
    op.create_index(op.f('ix_play_windows_entry_id'), 'play_windows', ['entry_id'], unique=False)
    op.create_table('watchlist_items',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['catalog_entries.id'], name=op.f('fk_watchlist_items_entry_id_catalog_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_watchlist_items_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'entry_id', name=op.f('pk_watchlist_items'))
    )
    op.create_index('ix_watchlist_items_user_id_created_at', 'watchlist_items', ['user_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_watchlist_items_user_id_created_at', table_name='watchlist_items')
    op.drop_table('watchlist_items')
    op.drop_index(op.f('ix_play_windows_entry_id'), table_name='play_windows')
    op.drop_table('play_windows')
    op.drop_index('ix_catalog_entries_series_title_season_episode', table_name='catalog_entries')
    op.drop_index(op.f('ix_catalog_entries_publisher_id'), table_name='catalog_entries')
    op.drop_index('ix_catalog_entries_published_published_at', table_name='catalog_entries')
    op.drop_index(op.f('ix_catalog_entries_kind'), table_name='catalog_entries')
    op.drop_table('catalog_entries')
