"""Share links: public, revocable links to one item or one album (token hash, expiry, password, views).

Revision ID: 0017
Revises: 0020
Create Date: 2026-11-21 18:26:11.689335
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('share_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('media_id', sa.Integer(), nullable=True),
    sa.Column('album_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('allow_download', sa.Boolean(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('view_count', sa.Integer(), nullable=False),
    sa.Column('last_viewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(media_id IS NULL) <> (album_id IS NULL)', name=op.f('ck_share_links_one_target')),
    sa.ForeignKeyConstraint(['album_id'], ['albums.id'], name=op.f('fk_share_links_album_id_albums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_share_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_share_links_media_id_media_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_share_links_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_share_links_token_hash'))
    )
    op.create_index(op.f('ix_share_links_album_id'), 'share_links', ['album_id'], unique=False)
    op.create_index(op.f('ix_share_links_media_id'), 'share_links', ['media_id'], unique=False)
    op.create_index('ix_share_links_owner_id_created_at', 'share_links', ['owner_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_share_links_owner_id_created_at', table_name='share_links')
    op.drop_index(op.f('ix_share_links_media_id'), table_name='share_links')
    op.drop_index(op.f('ix_share_links_album_id'), table_name='share_links')
    op.drop_table('share_links')
