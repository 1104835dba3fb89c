"""privacy: the content-free audit of members' data erasures

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'privacy_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('subject_digest', sa.String(length=64), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('at', bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_privacy_audit_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_audit')),
    )
    op.create_index(
        'ix_privacy_audit_workspace_at', 'privacy_audit', ['workspace_id', 'at'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_privacy_audit_workspace_at', table_name='privacy_audit')
    op.drop_table('privacy_audit')
