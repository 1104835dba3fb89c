"""One nudge after a day without an answer, never in quiet hours; a warning before a streak breaks;
and a weekly 09:00 prompt stays at 09:00 local across the DST change."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery
from tests.support.conversation import dispatcher_idle

BERLIN = ZoneInfo("Europe/Berlin")


async def due(core: Core, kind: str, status: str = "pending") -> list[str]:
    async with core.sessions() as session:
        rows = await session.scalars(
            select(Delivery.due_at)
            .where(Delivery.kind == kind, Delivery.status == status)
            .order_by(Delivery.due_at)
        )
        return [at.astimezone(BERLIN).strftime("%a %d %b %H:%M") for at in rows]


async def test_a_nudge_waits_for_the_end_of_quiet_hours(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/timezone Europe/Berlin")
    await chat.say("/checkin setup monday 11pm")
    clock.advance(timedelta(hours=9))  # Mon 23 Nov 23:00 Berlin
    await chat.next_dm()
    await dispatcher_idle(core)
    # 24 h later is Tuesday 23:00, inside 22:00-08:00: the nudge comes at Wednesday 08:00.
    assert await due(core, "checkin.nudge") == ["Wed 25 Nov 08:00"]
    clock.advance(timedelta(days=1, hours=9))
    nudge = await chat.next_dm()
    assert "still waiting" in nudge.text
    assert "Answer" in nudge.buttons


async def test_quiet_hours_are_settable_in_the_form(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/timezone Europe/Berlin")
    await chat.say("/checkin setup")
    for value in ("monday 11pm", "-", "-", "2"):
        await chat.say(value)
    await chat.say("01:00-07:00")
    clock.advance(timedelta(hours=9))
    await chat.next_dm()
    await dispatcher_idle(core)
    assert await due(core, "checkin.nudge") == ["Tue 24 Nov 23:00"]


async def test_a_warning_comes_the_day_before_a_streak_would_break(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    clock.advance(timedelta(days=6, hours=20))
    dm = await chat.next_dm()
    await dispatcher_idle(core)
    await chat.say(dm.button("Answer"))
    for value in ("tutorial", "deploy", "-", "5", "3"):
        await chat.say(value)
    assert await due(core, "checkin.warning") == []  # no streak yet when this week began
    clock.advance(timedelta(days=7))  # week 2's prompt; nobody answers
    await chat.next_dm()
    await dispatcher_idle(core)
    clock.advance(timedelta(days=1))
    assert "still waiting" in (await chat.next_dm()).text
    clock.advance(timedelta(days=5))  # Sunday 09:00, a day before week 3's prompt
    warning = await chat.next_dm()
    assert "1 week streak ends" in warning.text


async def test_a_weekly_nine_oclock_prompt_stays_at_nine_across_dst(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/timezone Europe/Berlin")
    await chat.say("/checkin setup monday 9am")
    seen = []
    for _ in range(20):  # 30 Nov 2026 .. 12 Apr 2027, across 28 Mar 2027
        async with core.sessions() as session:
            at = await session.scalar(
                select(Delivery.due_at).where(
                    Delivery.kind == "checkin.prompt", Delivery.status == "pending"
                )
            )
        assert at is not None
        seen.append(at)
        clock.set(at)
        await chat.next_dm()
        await dispatcher_idle(core)
    local = {at.astimezone(BERLIN).strftime("%a %H:%M") for at in seen}
    assert local == {"Mon 09:00"}
    offsets = {at.astimezone(BERLIN).utcoffset() for at in seen}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of the change
