"""People: persons per owner, person tags (faces, with normalized boxes, and suggestions), face
scans and the per-user choice about face suggestions.

Revision ID: 0016
Revises: 0017
Create Date: 2026-11-21 18:28:47.278831
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_key', sa.String(length=80), nullable=False),
    sa.Column('cover_tag_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_people_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('owner_id', 'name_key', name='uq_people_owner_id_name_key')
    )
    op.create_table('people_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('suggestions', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_people_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_people_preferences'))
    )
    op.create_table('face_scans',
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('preview_key', sa.String(length=64), nullable=False),
    sa.Column('faces', sa.Integer(), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_face_scans_media_id_media_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('media_id', name=op.f('pk_face_scans'))
    )
    op.create_table('person_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('w', sa.Float(), nullable=True),
    sa.Column('h', sa.Float(), nullable=True),
    sa.Column('source', sa.Enum('manual', 'suggested', name='tagsource', native_enum=False, length=10), nullable=False),
    sa.Column('dismissed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media_items.id'], name=op.f('fk_person_tags_media_id_media_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_person_tags_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_tags_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_tags')),
    sa.UniqueConstraint('media_id', 'person_id', name='uq_person_tags_media_id_person_id')
    )
    op.create_index(op.f('ix_person_tags_media_id'), 'person_tags', ['media_id'], unique=False)
    op.create_index('ix_person_tags_owner_id_person_id', 'person_tags', ['owner_id', 'person_id'], unique=False)
    op.create_index(op.f('ix_person_tags_person_id'), 'person_tags', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_person_tags_person_id'), table_name='person_tags')
    op.drop_index('ix_person_tags_owner_id_person_id', table_name='person_tags')
    op.drop_index(op.f('ix_person_tags_media_id'), table_name='person_tags')
    op.drop_table('person_tags')
    op.drop_table('face_scans')
    op.drop_table('people_preferences')
    op.drop_table('people')
