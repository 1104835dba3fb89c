"""generic delivery queue: kind + subject instead of reminder_id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Carries every existing row over: `reminder_id` becomes `subject_id` of family `reminder`, kind
`fire`/`snooze` becomes `reminder.fire`/`reminder.snooze`, and each row's destination is its
member's DM. Written by hand (autogenerate cannot move data); batch mode for SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('destination', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('channel_id', sa.String(length=64), nullable=True))

    op.execute(
        "UPDATE deliveries SET family = 'reminder', subject_id = reminder_id, "
        "kind = 'reminder.' || kind, "
        "destination = 'member:' || CAST(member_id AS VARCHAR(20))"
    )

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_deliveries_reminder_id', type_='unique')
        batch_op.drop_constraint('fk_deliveries_reminder_id_reminders', type_='foreignkey')
        batch_op.drop_column('reminder_id')
        batch_op.alter_column('kind', existing_type=sa.String(length=16),
                              type_=sa.String(length=32), existing_nullable=False)
        batch_op.alter_column('family', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('destination', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('member_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(
            'uq_deliveries_key', ['family', 'subject_id', 'destination', 'occurrence']
        )


def downgrade() -> None:
    # Only reminder deliveries to members existed at 0001; anything else cannot be kept.
    op.execute(
        "DELETE FROM deliveries WHERE family <> 'reminder' OR member_id IS NULL "
        "OR subject_id NOT IN (SELECT id FROM reminders)"
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE deliveries SET reminder_id = subject_id, "
        "kind = CASE WHEN kind = 'reminder.snooze' THEN 'snooze' ELSE 'fire' END"
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_deliveries_key', type_='unique')
        batch_op.drop_column('channel_id')
        batch_op.drop_column('destination')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('family')
        batch_op.alter_column('kind', existing_type=sa.String(length=32),
                              type_=sa.String(length=16), existing_nullable=False)
        batch_op.alter_column('reminder_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('member_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_deliveries_reminder_id_reminders', 'reminders',
                                    ['reminder_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(
            'uq_deliveries_reminder_id', ['reminder_id', 'member_id', 'occurrence']
        )
