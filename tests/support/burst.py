"""A burst of due reminders in a shared database, and what the processes made of it.

Seeded straight into the tables (members, reminders, their pending deliveries) so 3,000 rows
cost one transaction; read back with plain SQL so a test can watch the queue from outside.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.queue import delivery_row
from bot.reminders.schedule import FIRE
from bot.storage.engine import make_sessions
from bot.storage.tables import Delivery, Member, Reminder, Workspace

TEXT = re.compile(r"burst (\d+)\b")


async def seed_burst(
    engine: AsyncEngine, *, platform: str, count: int, members: int, user: Callable[[int], str]
) -> None:
    """`count` reminders due now ("burst N"), owned round-robin by `members` members."""
    now = datetime.now(UTC)
    async with make_sessions(engine).begin() as session:
        workspace = (
            await session.execute(
                insert(Workspace)
                .values(platform=platform, external_id="burst", created_at=now)
                .returning(Workspace.id)
            )
        ).scalar_one()
        member_ids = (
            (
                await session.execute(
                    insert(Member).returning(Member.id),
                    [
                        {
                            "workspace_id": workspace,
                            "user_id": user(i),
                            "tz": "UTC",
                            "created_at": now,
                        }
                        for i in range(members)
                    ],
                )
            )
            .scalars()
            .all()
        )
        reminder_ids = (
            (
                await session.execute(
                    insert(Reminder).returning(Reminder.id),
                    [
                        {
                            "workspace_id": workspace,
                            "owner_id": member_ids[i % members],
                            "text": f"burst {i}",
                            "first_at": now,
                            "next_at": now,
                            "status": "active",
                            "shared": False,
                            "created_at": now,
                        }
                        for i in range(count)
                    ],
                )
            )
            .scalars()
            .all()
        )
        await session.execute(
            insert(Delivery),
            [
                delivery_row(
                    FIRE,
                    reminder_ids[i],
                    workspace_id=workspace,
                    platform=platform,
                    member_id=member_ids[i % members],
                    at=now,
                )
                for i in range(count)
            ],
        )


async def statuses(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT status, count(*) FROM deliveries GROUP BY status")
        )
        return {str(status): int(n) for status, n in rows}


async def claimed_before(engine: AsyncEngine, moment: datetime) -> int:
    """Rows still `sending` that were claimed before `moment` (a dead process's claims)."""
    async with engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM deliveries WHERE status = 'sending' AND claimed_at <= :at"),
            {"at": moment},
        )
        return int(found or 0)


def repeats(texts: Iterable[str]) -> tuple[Counter[int], dict[int, int]]:
    """How often each burst reminder was sent, and those sent more than once."""
    seen: Counter[int] = Counter()
    for body in texts:
        for number in TEXT.findall(body):
            seen[int(number)] += 1
    return seen, {n: times for n, times in seen.items() if times > 1}


async def poll(check: Callable[[], object], what: str, timeout: float, every: float = 0.1) -> float:
    """Seconds until `check()` (sync or async) holds; fails after `timeout`."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return loop.time() - started
        assert loop.time() - started < timeout, f"{what}: not within {timeout} s"
        await asyncio.sleep(every)
