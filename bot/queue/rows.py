"""Queueing a delivery: the row a feature inserts inside its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Delivery, DeliveryStatus

KEY = ("family", "subject_id", "destination", "occurrence")


def delivery_row(
    kind: str,
    subject_id: int,
    *,
    workspace_id: int,
    platform: str,
    at: datetime,
    member_id: int | None = None,
    channel_id: str | None = None,
) -> dict[str, object]:
    """A pending delivery of `kind` about `subject_id` at `at`, ready for `enqueue`.

    To a member's DM (`member_id`) or posted in a shared channel (`channel_id`, through
    `Messenger.post`): exactly one of them. Channel rows are queued, deduplicated, rate limited
    and recovered like any other; only closed-DM bookkeeping is for DMs alone.
    """
    if (member_id is None) == (channel_id is None):
        raise ValueError("a delivery goes to a member or to a channel")
    destination = f"member:{member_id}" if member_id is not None else f"channel:{channel_id}"
    return {
        "workspace_id": workspace_id,
        "platform": platform,
        "kind": kind,
        "family": kind.partition(".")[0],
        "subject_id": subject_id,
        "destination": destination,
        "member_id": member_id,
        "channel_id": channel_id,
        "occurrence": at,
        "due_at": at,
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "recoveries": 0,
    }


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, object]]) -> bool:
    """Insert pending deliveries, reviving cancelled rows with the same key; True if any changed.

    A delivery is unique on its key, so computing the same firing twice cannot send it twice.
    But features *cancel* pending rows rather than delete them (pausing, editing, unfollowing,
    "Done"), and the row keeps its key: scheduling that same occurrence again (resume on the same
    day, an edit back to the old time, a series that reaches a moment an edit cancelled, following
    again, snoozing to the same moment twice) must bring that row back. A plain INSERT ... ON
    CONFLICT DO NOTHING silently dropped it, so the reminder vanished. Here a conflicting
    *cancelled* row is revived as a fresh pending one (taking the new kind: a snooze revives a
    cancelled fire); any other existing row (pending, sending, sent) is left alone, which keeps
    "never sent twice".
    """
    if not rows:
        return False
    table = cast(Table, Delivery.__table__)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in KEY],
        set_={
            "status": DeliveryStatus.PENDING,
            "kind": statement.excluded.kind,
            "due_at": statement.excluded.due_at,
            "attempts": 0,
            "recoveries": 0,
            "claimed_at": None,
            "sent_at": None,
            "message_id": None,
            "error": None,
        },
        where=table.c.status == DeliveryStatus.CANCELLED,
    )
    result = await session.execute(statement, list(rows))
    return bool(cast(Any, result).rowcount)
