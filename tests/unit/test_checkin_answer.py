"""The weekly prompt: answer with a form, see the streak, edit until the next prompt."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console.chat import ConsoleChat, Said
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import CheckinWeek, Delivery, Reminder
from tests.support.conversation import dispatcher_idle

UNTIL_PROMPT = timedelta(days=6, hours=20)  # Mon 23 Nov 13:00 UTC -> Mon 30 Nov 09:00 UTC


async def prompted(chat: ConsoleChat, core: Core, clock: FakeClock) -> Said:
    await chat.say("/checkin setup monday 9am")
    clock.advance(UNTIL_PROMPT)
    dm = await chat.next_dm()
    await dispatcher_idle(core)
    return dm


async def answer(chat: ConsoleChat, dm: Said, *, hours: str = "6", blockers: str = "") -> Said:
    await chat.say(dm.button("Answer"))
    await chat.say("finished the FastAPI tutorial")
    await chat.say("deploy the model")
    await chat.say(blockers or "-")
    await chat.say(hours)
    return await chat.say("4")


async def test_the_prompt_arrives_with_answer_skip_and_pause(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    dm = await prompted(chat, core, clock)
    assert "Weekly check-in" in dm.text
    assert {"Answer", "Skip this week", "Pause"} <= set(dm.buttons)


async def test_an_answer_shows_streak_squares_and_hours(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    dm = await prompted(chat, core, clock)
    saved = await answer(chat, dm)
    assert "Check-in saved" in saved.text
    assert "Streak: **1 week**" in saved.replies[0].text
    assert "🟩" in saved.text
    assert "latest 6 h" in saved.text
    async with core.sessions() as session:
        week = await session.scalar(select(CheckinWeek))
        nudges = (
            await session.scalars(select(Delivery.status).where(Delivery.kind == "checkin.nudge"))
        ).all()
    assert week is not None and week.status == "answered"
    assert week.hours == 6 and week.confidence == 4
    assert nudges == ["cancelled"]  # answered: no nudge


async def test_bad_hours_are_shown_on_the_field_and_kept_for_fixing(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    dm = await prompted(chat, core, clock)
    refused = await answer(chat, dm, hours="lots")
    assert "hours: Hours should be a number" in refused.text
    assert refused.replies[0].field_errors[0][0] == "hours"
    again = await chat.say(refused.button("Fix it"))
    assert "finished the FastAPI tutorial" in again.text  # what was typed is kept
    for value in ("finished the FastAPI tutorial", "deploy the model", "-", "2.5"):
        await chat.say(value)
    saved = await chat.say("4")
    assert "Check-in saved" in saved.text
    async with core.sessions() as session:
        week = await session.scalar(select(CheckinWeek))
    assert week is not None and week.hours == 2.5


async def test_an_answer_can_be_edited_until_the_next_prompt(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    dm = await prompted(chat, core, clock)
    saved = await answer(chat, dm)
    edit = saved.button("Edit")
    await chat.say(edit)
    for value in ("more done", "deploy the model", "-", "8"):
        await chat.say(value)
    updated = await chat.say("5")
    assert "Check-in updated" in updated.text
    clock.advance(timedelta(days=7))
    await chat.next_dm()  # next week's prompt
    await dispatcher_idle(core)
    late = await chat.say(edit)
    assert "That week is closed" in late.text


async def test_someone_else_cannot_answer_my_checkin(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    dm = await prompted(chat, core, clock)
    refused = await chat.say(dm.button("Answer"), as_user="mallory")
    assert "belong to the person" in refused.text
    refused = await chat.say(dm.button("Pause"), as_user="mallory")
    assert "belong to the person" in refused.text


async def test_a_blocker_becomes_a_reminder_with_one_click(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    dm = await prompted(chat, core, clock)
    saved = await answer(chat, dm, blockers="Docker networking")
    confirmed = await chat.say(saved.button("Remind me about the blocker"))
    assert "remind you about the blocker" in confirmed.text
    async with core.sessions() as session:
        reminder = await session.scalar(select(Reminder))
    assert reminder is not None and reminder.text == "Check-in blocker: Docker networking"


async def test_answering_early_moves_the_prompt_to_the_week_after(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    await chat.say("/checkin now")
    for value in ("early work", "plan", "-", "3"):
        await chat.say(value)
    saved = await chat.say("3")
    assert "Check-in saved" in saved.text
    async with core.sessions() as session:
        pending = (
            await session.scalars(
                select(Delivery.due_at).where(
                    Delivery.kind == "checkin.prompt", Delivery.status == "pending"
                )
            )
        ).all()
    assert [at.isoformat() for at in pending] == ["2026-12-07T09:00:00+00:00"]
