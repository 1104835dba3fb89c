"""Skip with a reason keeps the streak; pause (until a date), resume and stop."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import CheckinWeek, Delivery
from tests.support.conversation import dispatcher_idle

UNTIL_PROMPT = timedelta(days=6, hours=20)


async def pending_prompts(core: Core) -> list[str]:
    async with core.sessions() as session:
        rows = await session.scalars(
            select(Delivery.due_at).where(
                Delivery.kind == "checkin.prompt", Delivery.status == "pending"
            )
        )
        return [at.isoformat() for at in rows]


async def test_skip_with_a_reason_keeps_the_streak(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    clock.advance(UNTIL_PROMPT)
    dm = await chat.next_dm()
    await dispatcher_idle(core)
    await chat.say(dm.button("Answer"))
    for value in ("tutorial", "deploy", "-", "5", "3"):
        await chat.say(value)
    clock.advance(timedelta(days=7))
    dm = await chat.next_dm()
    await dispatcher_idle(core)
    await chat.say(dm.button("Skip this week"))
    skipped = await chat.say("holiday")
    assert "streak is kept" in skipped.text
    assert "Streak: **1 week**" in skipped.replies[0].text
    assert "🟩🟨" in skipped.text
    async with core.sessions() as session:
        week = await session.scalar(select(CheckinWeek).where(CheckinWeek.status == "skipped"))
    assert week is not None and week.skip_reason == "holiday"


async def test_a_silent_miss_breaks_the_streak(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    clock.advance(UNTIL_PROMPT)
    dm = await chat.next_dm()
    await dispatcher_idle(core)
    await chat.say(dm.button("Answer"))
    for value in ("tutorial", "deploy", "-", "5", "3"):
        await chat.say(value)
    clock.advance(timedelta(days=7))
    await chat.next_dm()
    clock.advance(timedelta(days=7))
    await chat.next_dm()
    await dispatcher_idle(core)
    status = await chat.say("/checkin")
    assert "Streak: **0 weeks**" in status.replies[0].text
    assert "🟩🟥⬜" in status.text


async def test_pause_until_a_date_then_prompts_resume_by_themselves(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/checkin setup monday 9am")
    paused = await chat.say("/checkin pause until december 20")
    assert "Paused until" in paused.text
    assert await pending_prompts(core) == ["2026-12-21T09:00:00+00:00"]


async def test_pause_and_resume(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/checkin setup monday 9am")
    paused = await chat.say("/checkin pause")
    assert "Paused" in paused.text
    assert await pending_prompts(core) == []
    resumed = await chat.say(paused.button("Resume"))
    assert "Next check-in" in resumed.text
    assert await pending_prompts(core) == ["2026-11-30T09:00:00+00:00"]


async def test_stop_ends_prompts_and_keeps_history(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/checkin setup monday 9am")
    stopped = await chat.say("/checkin stop")
    assert "stopped" in stopped.text
    assert await pending_prompts(core) == []
    assert "You have no weekly check-in" in (await chat.say("/checkin")).text
