"""The due-row queue: claimed once, recovered at most once, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.app import Core
from bot.chat import Actor, Invocation, Place, Recipient, Reply
from bot.clock import FakeClock
from bot.storage.tables import Delivery
from tests.conftest import make_settings


class Recorder:
    platform = "console"

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.arrived = asyncio.Event()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        self.keys.append(key)
        self.arrived.set()
        return key


async def remind(core: Core, user: str, when: str) -> None:
    actor = Actor("console", "w1", user)
    response = await core.dispatch(Invocation("remind", {"when": when}, actor, Place("d", True)))
    assert "✅" in response.replies[0].text, response.text


async def test_two_dispatchers_never_claim_the_same_row(
    database_url: str, clock: FakeClock
) -> None:
    first = Core(make_settings(database_url), clock=clock)
    second = Core(make_settings(database_url), clock=clock)
    await first.migrate()
    try:
        for i in range(60):
            await remind(first, f"u{i}", "in 1 hour stretch")
        first.messengers["console"] = second.messengers["console"] = Recorder()  # type: ignore[assignment]
        clock.advance(timedelta(hours=1))
        claims = await asyncio.gather(
            *(core.queue.claim(clock.now()) for core in (first, second, first, second))
        )
        every = [row for claim in claims for row in claim]
        assert len(every) == 60
        assert len(set(every)) == 60
    finally:
        await first.close()
        await second.close()


async def test_crash_between_send_and_record_is_retried_once(
    database_url: str, clock: FakeClock
) -> None:
    core = Core(make_settings(database_url, stuck_after_seconds=30), clock=clock)
    await core.migrate()
    try:
        await remind(core, "ada", "in 1 hour stretch")
        core.messengers["console"] = Recorder()  # type: ignore[assignment]
        clock.advance(timedelta(hours=1))
        claimed = await core.queue.claim(clock.now())
        assert len(claimed) == 1  # ...and the process "dies" before sending or recording
        assert await core.queue.recover() == 0  # not stuck yet: another process may be sending
        clock.advance(timedelta(seconds=31))
        assert await core.queue.recover() == 1
        assert await core.queue.claim(clock.now()) == claimed
        clock.advance(timedelta(seconds=31))
        assert await core.queue.recover() == 0  # the second crash is not retried again
        async with core.sessions() as session:
            row = await session.scalar(select(Delivery))
        assert row is not None and row.status == "failed"
    finally:
        await core.close()


async def test_nothing_is_dropped_for_being_late(database_url: str, clock: FakeClock) -> None:
    core = Core(make_settings(database_url, late_notice_seconds=60), clock=clock)
    await core.migrate()
    recorder = Recorder()
    try:
        await remind(core, "ada", "in 1 hour stretch")
        clock.advance(timedelta(days=30))  # the bot was down for a month
        async with core:
            core.attach(recorder)
            await asyncio.wait_for(recorder.arrived.wait(), 10)
        assert recorder.keys == ["mentorbot-d1"]
    finally:
        await core.close()
