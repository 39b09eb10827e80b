"""Media items, admin-editable media types (seeded with the defaults), playback positions, storage quota.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 10:33:42.111847
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MB = 1024 * 1024
# (extension, kind, label, max size): the defaults an admin can change at runtime.
_DEFAULT_TYPES = [
    ("jpg", "image", "JPEG image", 100 * _MB),
    ("jpeg", "image", "JPEG image", 100 * _MB),
    ("png", "image", "PNG image", 100 * _MB),
    ("webp", "image", "WebP image", 100 * _MB),
    ("gif", "image", "GIF image", 100 * _MB),
    ("tif", "image", "TIFF image", 200 * _MB),
    ("tiff", "image", "TIFF image", 200 * _MB),
    ("bmp", "image", "BMP image", 100 * _MB),
    ("heic", "image", "HEIC image", 100 * _MB),
    ("heif", "image", "HEIF image", 100 * _MB),
    ("mp4", "video", "MP4 video", 4096 * _MB),
    ("mov", "video", "QuickTime video", 4096 * _MB),
    ("webm", "video", "WebM video", 4096 * _MB),
    ("mkv", "video", "Matroska video", 4096 * _MB),
    ("mp3", "audio", "MP3 audio", 500 * _MB),
    ("m4a", "audio", "M4A audio", 500 * _MB),
    ("aac", "audio", "AAC audio", 500 * _MB),
    ("ogg", "audio", "Ogg audio", 500 * _MB),
    ("wav", "audio", "WAV audio", 1024 * _MB),
    ("flac", "audio", "FLAC audio", 1024 * _MB),
]


def _seed_media_types() -> None:
    table = sa.table(
        "media_types",
        sa.column("extension", sa.String), sa.column("kind", sa.String), sa.column("label", sa.String),
        sa.column("max_bytes", sa.BigInteger), sa.column("enabled", sa.Boolean),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(table, [
        {"extension": ext, "kind": kind, "label": label, "max_bytes": size, "enabled": True, "updated_at": now}
        for ext, kind, label, size in _DEFAULT_TYPES
    ])


def upgrade() -> None:
    op.create_table('media_types',
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.Enum('image', 'video', 'audio', name='mediakind', native_enum=False, length=8), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('max_bytes', sa.BigInteger(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('extension', name=op.f('pk_media_types'))
    )
    op.create_table('media_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'stored', 'ready', 'failed', name='mediastatus', native_enum=False, length=8), nullable=False),
    sa.Column('kind', sa.Enum('image', 'video', 'audio', name='mediakind', native_enum=False, length=8), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=5000), nullable=False),
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('mime', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('codec', sa.String(length=32), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_at_offset_minutes', sa.Integer(), nullable=True),
    sa.Column('sort_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('exif', sa.JSON(), nullable=False),
    sa.Column('preview_key', sa.String(length=64), nullable=True),
    sa.Column('preview_jpeg_key', sa.String(length=64), nullable=True),
    sa.Column('thumbnail_key', sa.String(length=64), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trashed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_media_items_owner_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_media_items_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_items')),
    sa.UniqueConstraint('owner_id', 'sha256', name='uq_media_items_owner_id_sha256')
    )
    op.create_index(op.f('ix_media_items_owner_id'), 'media_items', ['owner_id'], unique=False)
    op.create_index('ix_media_items_owner_sort_taken', 'media_items', ['owner_id', 'trashed_at', 'sort_at', 'id'], unique=False)
    op.create_index('ix_media_items_owner_sort_uploaded', 'media_items', ['owner_id', 'trashed_at', 'uploaded_at', 'id'], unique=False)
    op.create_index(op.f('ix_media_items_status'), 'media_items', ['status'], unique=False)
    op.create_index(op.f('ix_media_items_trashed_at'), 'media_items', ['trashed_at'], unique=False)
    op.create_table('playback_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('position_seconds', sa.Float(), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_playback_positions_media_id_media_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_playback_positions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playback_positions')),
    sa.UniqueConstraint('user_id', 'media_id', name='uq_playback_positions_user_id_media_id')
    )
    op.create_index(op.f('ix_playback_positions_media_id'), 'playback_positions', ['media_id'], unique=False)
    op.create_index('ix_playback_positions_user_id_updated_at', 'playback_positions', ['user_id', 'updated_at'], unique=False)
    op.add_column('users', sa.Column('storage_quota_bytes', sa.BigInteger(), nullable=True))
    # Existing accounts start at 0 bytes used; the default exists only while the column is added.
    op.add_column('users', sa.Column('storage_used_bytes', sa.BigInteger(), nullable=False, server_default=sa.text('0')))
    with op.batch_alter_table('users') as batch:
        batch.alter_column('storage_used_bytes', server_default=None)
    _seed_media_types()


def downgrade() -> None:
    op.drop_column('users', 'storage_used_bytes')
    op.drop_column('users', 'storage_quota_bytes')
    op.drop_index('ix_playback_positions_user_id_updated_at', table_name='playback_positions')
    op.drop_index(op.f('ix_playback_positions_media_id'), table_name='playback_positions')
    op.drop_table('playback_positions')
    op.drop_index(op.f('ix_media_items_trashed_at'), table_name='media_items')
    op.drop_index(op.f('ix_media_items_status'), table_name='media_items')
    op.drop_index('ix_media_items_owner_sort_uploaded', table_name='media_items')
    op.drop_index('ix_media_items_owner_sort_taken', table_name='media_items')
    op.drop_index(op.f('ix_media_items_owner_id'), table_name='media_items')
    op.drop_table('media_items')
    op.drop_table('media_types')
