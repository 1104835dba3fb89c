"""Putting deliveries on the queue: the one way every path after `create` schedules a firing.

A delivery is unique on (reminder, member, occurrence), so computing the same firing twice
cannot send it twice. But pausing, editing, unfollowing and "Done" *cancel* pending rows rather
than delete them, and the row keeps its key: scheduling that same occurrence again (resume on
the same day, an edit back to the old time, a series that reaches a moment an edit cancelled,
following again, snoozing to the same moment twice) must bring that row back. A plain
INSERT ... ON CONFLICT DO NOTHING silently dropped it, so the reminder vanished. Here a
conflicting *cancelled* row is revived as a fresh pending one; any other existing row (pending,
sending, sent) is left alone, which keeps "never sent twice".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Delivery, Reminder, ReminderFollower

KEY = ("reminder_id", "member_id", "occurrence")


def delivery_row(
    workspace_id: int,
    platform: str,
    reminder_id: int,
    member_id: int,
    at: datetime,
    kind: str = "fire",
) -> dict[str, object]:
    """A pending delivery of `reminder_id` to `member_id` at `at`."""
    return {
        "workspace_id": workspace_id,
        "platform": platform,
        "reminder_id": reminder_id,
        "member_id": member_id,
        "kind": kind,
        "occurrence": at,
        "due_at": at,
        "status": "pending",
        "attempts": 0,
        "recoveries": 0,
    }


async def schedule(session: AsyncSession, rows: Sequence[dict[str, object]]) -> bool:
    """Insert pending deliveries, reviving cancelled rows with the same key; True if any changed."""
    if not rows:
        return False
    table = cast(Table, Delivery.__table__)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in KEY],
        set_={
            "status": "pending",
            "kind": statement.excluded.kind,
            "due_at": statement.excluded.due_at,
            "attempts": 0,
            "recoveries": 0,
            "claimed_at": None,
            "sent_at": None,
            "message_id": None,
            "error": None,
        },
        where=table.c.status == "cancelled",
    )
    result = await session.execute(statement, list(rows))
    return bool(cast(Any, result).rowcount)


async def schedule_everyone(
    session: AsyncSession, plans: Sequence[tuple[Reminder, datetime]], platform: str
) -> None:
    """Schedule each reminder's next firing for its owner and everyone who joined it.

    One query for all the followers, one insert for all the rows: the dispatcher calls this for
    every repeating reminder in a claimed batch (a Monday 09:00 burst).
    """
    if not plans:
        return
    followers: dict[int, list[int]] = {}
    rows = await session.execute(
        select(ReminderFollower.reminder_id, ReminderFollower.member_id).where(
            ReminderFollower.reminder_id.in_([reminder.id for reminder, _ in plans])
        )
    )
    for reminder_id, member_id in rows:
        followers.setdefault(reminder_id, []).append(member_id)
    await schedule(
        session,
        [
            delivery_row(reminder.workspace_id, platform, reminder.id, member_id, at)
            for reminder, at in plans
            for member_id in (reminder.owner_id, *followers.get(reminder.id, ()))
        ],
    )
