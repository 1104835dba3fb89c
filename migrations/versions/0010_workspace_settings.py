"""workspace settings: reminder limits and channel rule per workspace, and their audit

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'workspace_settings',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('max_active_reminders', sa.Integer(), nullable=True),
        sa.Column('channel_reminders', sa.String(length=16), nullable=False),
        sa.Column('updated_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_workspace_settings_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_workspace_settings')),
    )
    op.create_table(
        'settings_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('changed_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'],
            name=op.f('fk_settings_changes_member_id_members'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_settings_changes_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_settings_changes')),
    )
    op.create_index(
        'ix_settings_changes_workspace_at', 'settings_changes', ['workspace_id', 'changed_at'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_settings_changes_workspace_at', table_name='settings_changes')
    op.drop_table('settings_changes')
    op.drop_table('workspace_settings')
