"""flows: typed, persisted conversation state replaces drafts

Revision ID: 0003
Revises: 0001 (temporarily; 0002 on main)
Create Date: 2026-11-30

Open "Remind me about this" forms survive the upgrade: each member's newest draft becomes a flow
with the same id (the form carries that id), expiring a day after it was started, as drafts did.
"""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

DRAFT_LIFETIME = timedelta(days=1)
EXCERPT = 280


def upgrade() -> None:
    op.create_table('flows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('history', sa.Text(), nullable=False),
    sa.Column('started_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_flows_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flows')),
    sa.UniqueConstraint('member_id', 'name', name=op.f('uq_flows_member_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('flows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flows_expires_at'), ['expires_at'], unique=False)

    _carry_drafts_over()
    op.drop_table('drafts')


def _carry_drafts_over() -> None:
    drafts = sa.table(
        'drafts',
        sa.column('id', sa.Integer()),
        sa.column('member_id', sa.Integer()),
        sa.column('kind', sa.String()),
        sa.column('payload', sa.Text()),
        sa.column('created_at', bot.storage.types.UTCDateTime()),
    )
    flows = sa.table(
        'flows',
        sa.column('id', sa.Integer()),
        sa.column('member_id', sa.Integer()),
        sa.column('name', sa.String()),
        sa.column('step', sa.Integer()),
        sa.column('state', sa.Text()),
        sa.column('history', sa.Text()),
        sa.column('started_at', bot.storage.types.UTCDateTime()),
        sa.column('updated_at', bot.storage.types.UTCDateTime()),
        sa.column('expires_at', bot.storage.types.UTCDateTime()),
    )
    connection = op.get_bind()
    newest: dict[tuple[int, str], sa.Row[tuple[int, int, str, str, object]]] = {}
    for row in connection.execute(sa.select(drafts).order_by(drafts.c.id)):
        newest[(row.member_id, row.kind)] = row  # one flow per member and name: the newest
    rows = []
    for row in newest.values():
        try:
            payload = json.loads(row.payload)
        except ValueError:
            continue
        if not isinstance(payload, dict):
            continue
        excerpt = str(payload.get('excerpt', ''))
        if len(excerpt) > EXCERPT:
            excerpt = excerpt[: EXCERPT - 1] + '…'
        state = {
            'link': str(payload.get('link', '')),
            'excerpt': excerpt,
            'channel': str(payload.get('channel', '')),
        }
        rows.append({
            'id': row.id, 'member_id': row.member_id, 'name': row.kind[:32], 'step': 0,
            'state': json.dumps(state), 'history': '[]', 'started_at': row.created_at,
            'updated_at': row.created_at, 'expires_at': row.created_at + DRAFT_LIFETIME,
        })
    if rows:
        connection.execute(flows.insert(), rows)
    if connection.dialect.name == 'postgresql':
        # Ids were given explicitly: move the sequence past them.
        connection.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('flows', 'id'), "
            "(SELECT coalesce(max(id), 0) + 1 FROM flows), false)"
        ))


def downgrade() -> None:
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_drafts_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    with op.batch_alter_table('flows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flows_expires_at'))

    op.drop_table('flows')
