"""member DM channels: the platform's DM channel id of each member, kept across restarts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

A first DM on Discord (and Slack) costs a request to open the channel; with the id stored, a
repeat DM costs one request even after a restart. Nullable: unknown until the first DM.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: batch mode copies `members` into a new table and drops
# the old one, and the drop would cascade to every row that references a member.
def upgrade() -> None:
    op.add_column('members', sa.Column('dm_channel_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('members', 'dm_channel_id')
