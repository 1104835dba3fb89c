"""resources: members' saved resources and suggested resources

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'resource_bookmarks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.String(length=80), nullable=False),
        sa.Column('created_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_resource_bookmarks_member_id_members'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_bookmarks')),
        sa.UniqueConstraint('member_id', 'resource_id', name=op.f('uq_resource_bookmarks_member_id')),
    )
    op.create_table(
        'resource_suggestions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('why', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('topic', sa.String(length=40), nullable=True),
        sa.Column('cost', sa.String(length=16), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('created_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['decided_by'], ['members.id'], name=op.f('fk_resource_suggestions_decided_by_members'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_resource_suggestions_member_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_resource_suggestions_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_suggestions')),
    )
    op.create_index(
        'ix_resource_suggestions_workspace_status',
        'resource_suggestions',
        ['workspace_id', 'status'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_resource_suggestions_workspace_status', table_name='resource_suggestions')
    op.drop_table('resource_suggestions')
    op.drop_table('resource_bookmarks')
