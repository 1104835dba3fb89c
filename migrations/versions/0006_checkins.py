"""checkins: weekly check-ins, their weeks, and workspaces' accountability channels

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:36:24.207838
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checkin_channels',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=64), nullable=False),
    sa.Column('digest_weekday', sa.Integer(), nullable=False),
    sa.Column('digest_hour', sa.Integer(), nullable=False),
    sa.Column('updated_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_checkin_channels_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_checkin_channels'))
    )
    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('first_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_at', bot.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('goal', sa.String(length=300), nullable=False),
    sa.Column('target_role', sa.String(length=100), nullable=False),
    sa.Column('share', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('paused_until', bot.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('quiet_start', sa.Integer(), nullable=False),
    sa.Column('quiet_end', sa.Integer(), nullable=False),
    sa.Column('nudge_hours', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_checkins_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_checkins_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('member_id', name=op.f('uq_checkins_member_id'))
    )
    op.create_table('checkin_weeks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('occurrence', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('confidence', sa.Integer(), nullable=True),
    sa.Column('skip_reason', sa.String(length=200), nullable=True),
    sa.Column('answered_at', bot.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], name=op.f('fk_checkin_weeks_checkin_id_checkins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_checkin_weeks_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_checkin_weeks_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_weeks')),
    sa.UniqueConstraint('checkin_id', 'occurrence', name=op.f('uq_checkin_weeks_checkin_id'))
    )
    with op.batch_alter_table('checkin_weeks', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_weeks_member_occurrence', ['member_id', 'occurrence'], unique=False)
        batch_op.create_index('ix_checkin_weeks_workspace_occurrence', ['workspace_id', 'occurrence'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('checkin_weeks', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_weeks_workspace_occurrence')
        batch_op.drop_index('ix_checkin_weeks_member_occurrence')

    op.drop_table('checkin_weeks')
    op.drop_table('checkins')
    op.drop_table('checkin_channels')
