"""Video renditions: browser-playable H.264/AAC MP4 copies of videos, with status and progress.

Revision ID: 0020
Revises: 0021
Create Date: 2026-11-21 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('media_renditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'running', 'ready', 'failed', 'not_needed', name='renditionstatus',
                                native_enum=False, length=10), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_media_renditions_media_id_media_items'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_renditions')),
    sa.UniqueConstraint('media_id', 'label', name='uq_media_renditions_media_id_label')
    )
    op.create_index('ix_media_renditions_status_updated_at', 'media_renditions', ['status', 'updated_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_media_renditions_status_updated_at', table_name='media_renditions')
    op.drop_table('media_renditions')
