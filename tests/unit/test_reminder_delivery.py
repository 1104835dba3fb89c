"""Reminders arrive by DM when due, with owner-only snooze and done buttons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console.chat import ConsoleChat, Said
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery


async def test_due_reminder_arrives_as_dm(chat: ConsoleChat, clock: FakeClock) -> None:
    await chat.say("/remind in 5 days check the thread")
    clock.advance(timedelta(days=5))
    dm = await chat.next_dm()
    assert "Reminder: check the thread" in dm.text
    assert "Sorry" not in dm.text


async def test_late_delivery_apologises(chat: ConsoleChat, clock: FakeClock) -> None:
    await chat.say("/remind in 1 hour stretch")
    clock.advance(timedelta(hours=3))
    dm = (await chat.next_dm()).text
    assert "Sorry, this is 2 hours late" in dm


async def test_snooze_ten_minutes_delivers_again(
    chat: ConsoleChat, clock: FakeClock, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    answer = await chat.say(dm.button("Snooze 10 min"))
    assert "Snoozed until" in answer.text
    clock.advance(timedelta(minutes=10))
    again = await chat.next_dm()
    assert "stretch" in again.text


async def test_custom_snooze_asks_when(
    chat: ConsoleChat, clock: FakeClock, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    prompt = await chat.say(dm.button("Custom…"))
    assert "When?" in prompt.text
    done = await chat.say("in 3 hours")
    assert "Snoozed until" in done.text
    clock.advance(timedelta(hours=3))
    assert "stretch" in (await chat.next_dm()).text


async def test_someone_else_cannot_press_my_buttons(
    chat: ConsoleChat, clock: FakeClock, core: Core, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    answer = await chat.say(dm.button("Done"), as_user="mallory")
    assert "belong to the person" in answer.text
    async with core.sessions() as session:
        statuses = set((await session.scalars(select(Delivery.status))).all())
    assert statuses == {"sent"}


async def test_done_cancels_a_pending_snooze(
    chat: ConsoleChat, clock: FakeClock, core: Core, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    await chat.say(dm.button("1 hour"))
    await chat.say(dm.button("Done"))
    async with core.sessions() as session:
        query = select(Delivery).where(Delivery.status == "pending")
        pending = (await session.scalars(query)).all()
    assert pending == []


async def test_repeating_reminder_keeps_local_time_across_dst(
    chat: ConsoleChat, clock: FakeClock, core: Core
) -> None:
    await chat.say("/timezone Europe/Berlin")
    await chat.say("/remind every monday 9am review goals")
    async with core.sessions() as session:
        first = await session.scalar(select(Delivery.due_at))
    assert first is not None
    # Step through firings until after the end of DST (2027-03-28) and check each stays 09:00.
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    seen = []
    for _ in range(20):
        async with core.sessions() as session:
            due = await session.scalar(select(Delivery.due_at).where(Delivery.status == "pending"))
        assert due is not None
        seen.append(due.astimezone(berlin))
        clock.set(due)
        await chat.next_dm()
    assert {moment.strftime("%a %H:%M") for moment in seen} == {"Mon 09:00"}
    assert any(moment.utcoffset() == timedelta(hours=2) for moment in seen)


async def test_snoozing_to_the_same_moment_twice_still_delivers(
    chat: ConsoleChat, clock: FakeClock, core: Core, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    await chat.say(dm.button("Tomorrow 09:00"))
    again = await chat.say(dm.button("Tomorrow 09:00"))  # the second press replaces the first
    assert "Snoozed until Tue 24 Nov 2026, 09:00 UTC" in again.text
    async with core.sessions() as session:
        query = select(Delivery.kind).where(Delivery.status == "pending")
        pending = (await session.scalars(query)).all()
    assert pending == ["reminder.snooze"]
    clock.advance(timedelta(hours=19))
    assert "stretch" in (await chat.next_dm()).text
