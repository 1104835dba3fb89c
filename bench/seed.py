"""Bulk-load members, reminders and pending deliveries for the benchmarks."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from bot.queue import delivery_row  # noqa: E402
from bot.reminders.schedule import FIRE  # noqa: E402
from bot.storage.tables import Delivery, Member, Reminder, Workspace  # noqa: E402

CHUNK = 5000


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    *,
    platform: str,
    members: int,
    due: list[datetime],
) -> None:
    """One workspace, `members` members, one reminder + one pending delivery per `due` entry."""
    now = datetime.now(UTC)
    async with sessions.begin() as session:
        await session.execute(
            insert(Workspace),
            [{"id": 1, "platform": platform, "external_id": "bench", "created_at": now}],
        )
        for start in range(0, members, CHUNK):
            await session.execute(
                insert(Member),
                [
                    {"id": i + 1, "workspace_id": 1, "user_id": f"u{i}", "display_name": f"u{i}",
                     "tz": "Europe/Berlin", "created_at": now}
                    for i in range(start, min(members, start + CHUNK))
                ],
            )
        for start in range(0, len(due), CHUNK):
            chunk = range(start, min(len(due), start + CHUNK))
            await session.execute(
                insert(Reminder),
                [
                    {"id": i + 1, "workspace_id": 1, "owner_id": i % members + 1,
                     "text": f"reminder {i}", "rule": None, "first_at": due[i],
                     "next_at": due[i], "status": "active", "channel_id": None, "shared": False,
                     "created_at": now}
                    for i in chunk
                ],
            )
            await session.execute(
                insert(Delivery),
                [
                    delivery_row(FIRE, i + 1, workspace_id=1, platform=platform,
                                 member_id=i % members + 1, at=due[i])
                    for i in chunk
                ],
            )
        await _advance_sequences(session)


async def _advance_sequences(session: AsyncSession) -> None:
    """Explicit ids leave PostgreSQL's id sequences behind; move them past the seeded rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("workspaces", "members", "reminders", "deliveries"):
        await session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        )


def future(count: int, after: timedelta) -> list[datetime]:
    """`count` moments spread over the 30 days after `after` from now."""
    base = datetime.now(UTC) + after
    return [base + timedelta(seconds=i * 30 * 86400 / count) for i in range(count)]
