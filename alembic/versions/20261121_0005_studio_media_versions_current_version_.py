"""Studio: media versions (saved edits), the version an item shows, and credit charges (holds).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 11:45:10.915114
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = 'fk_media_items_current_version_id_media_versions'


def upgrade() -> None:
    op.create_table('credit_charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('held', 'captured', 'released', name='chargestatus', native_enum=False, length=10), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_credit_charges_amount_not_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['users.id'], name=op.f('fk_credit_charges_account_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_credit_charges_media_id_media_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_charges'))
    )
    op.create_index(op.f('ix_credit_charges_account_id'), 'credit_charges', ['account_id'], unique=False)
    op.create_index(op.f('ix_credit_charges_media_id'), 'credit_charges', ['media_id'], unique=False)
    op.create_table('media_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('ops', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'ready', 'failed', name='versionstatus', native_enum=False, length=8), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=True),
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('preview_key', sa.String(length=64), nullable=True),
    sa.Column('preview_jpeg_key', sa.String(length=64), nullable=True),
    sa.Column('thumbnail_key', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('charge_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['charge_id'], ['credit_charges.id'], name=op.f('fk_media_versions_charge_id_credit_charges'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_media_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_media_versions_media_id_media_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_versions')),
    sa.UniqueConstraint('media_id', 'number', name='uq_media_versions_media_id_number')
    )
    op.create_index(op.f('ix_media_versions_media_id'), 'media_versions', ['media_id'], unique=False)
    _add_current_version_column()


def _add_current_version_column() -> None:
    """media_items.current_version_id, a reference to the version shown (SET NULL when it goes)."""
    with _rebuilding_media_items() as batch:
        batch.add_column(sa.Column('current_version_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(_FK, 'media_versions', ['current_version_id'], ['id'], ondelete='SET NULL')


@contextmanager
def _rebuilding_media_items() -> Iterator[BatchOperations]:
    """Batch mode on media_items that keeps the playback positions.

    SQLite changes a foreign key only by rebuilding the table, and dropping the old table with
    foreign keys on deletes what cascades from it: the positions are kept aside and put back. (A
    column-level REFERENCES would avoid the rebuild, but SQLite's reflection cannot read its ON
    DELETE back, so the drift check would never pass.) PostgreSQL just alters the table."""
    bind = op.get_bind()
    kept = []
    if bind.dialect.name == 'sqlite':
        kept = [dict(row._mapping) for row in bind.execute(sa.text('SELECT * FROM playback_positions'))]
    with op.batch_alter_table('media_items') as batch:
        yield batch
    if kept and not bind.execute(sa.text('SELECT 1 FROM playback_positions LIMIT 1')).first():
        op.bulk_insert(sa.table('playback_positions', *(sa.column(name) for name in kept[0])), kept)


def downgrade() -> None:
    with _rebuilding_media_items() as batch:
        batch.drop_constraint(_FK, type_='foreignkey')
        batch.drop_column('current_version_id')
    op.drop_index(op.f('ix_media_versions_media_id'), table_name='media_versions')
    op.drop_table('media_versions')
    op.drop_index(op.f('ix_credit_charges_media_id'), table_name='credit_charges')
    op.drop_index(op.f('ix_credit_charges_account_id'), table_name='credit_charges')
    op.drop_table('credit_charges')
