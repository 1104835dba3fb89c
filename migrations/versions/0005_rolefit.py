"""rolefit: finished role-fit questionnaires (answers and the scores shown)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rolefit_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('taken_at', bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column('answers', sa.Text(), nullable=False),
        sa.Column('scores', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'],
            name=op.f('fk_rolefit_results_member_id_members'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rolefit_results')),
    )
    op.create_index(
        'ix_rolefit_results_member_taken', 'rolefit_results', ['member_id', 'taken_at'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_rolefit_results_member_taken', table_name='rolefit_results')
    op.drop_table('rolefit_results')
