"""Putting reminder firings on the delivery queue: every path after `create` goes through here.

A reminder's deliveries are of family `reminder`, so a fire and a snooze of one reminder to one
member at one moment are one row (see `bot.queue.enqueue` for why a cancelled row is revived
rather than skipped when that moment is scheduled again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queue import delivery_row, enqueue
from bot.storage.tables import ReminderFollower

FAMILY = "reminder"  # the `family` of every reminder delivery: `subject_id` is a reminder id
FIRE = "reminder.fire"  # the reminder's own moment (a repeating one schedules its next here)
SNOOZE = "reminder.snooze"  # the same reminder again, later, for one member
# A follower's DM saying the owner cancelled: its own family, so it never lists as a reminder.
CANCELLED = "reminder_notice.cancelled"


class Planned(Protocol):
    """What scheduling a firing needs of a reminder: a `Reminder`, or a row read with Core."""

    @property
    def id(self) -> int: ...

    @property
    def workspace_id(self) -> int: ...

    @property
    def owner_id(self) -> int: ...


def reminder_row(
    workspace_id: int,
    platform: str,
    reminder_id: int,
    member_id: int,
    at: datetime,
    kind: str = FIRE,
) -> dict[str, object]:
    """A pending DM of `reminder_id` to `member_id` at `at`."""
    return delivery_row(
        kind, reminder_id, workspace_id=workspace_id, platform=platform, member_id=member_id, at=at
    )


async def schedule_everyone(
    session: AsyncSession, plans: Sequence[tuple[Planned, datetime]], platform: str
) -> None:
    """Schedule each reminder's next firing for its owner and everyone who joined it.

    One query for all the followers, one insert for all the rows: the queue calls this for
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
    await enqueue(
        session,
        [
            reminder_row(reminder.workspace_id, platform, reminder.id, member_id, at)
            for reminder, at in plans
            for member_id in (reminder.owner_id, *followers.get(reminder.id, ()))
        ],
    )
