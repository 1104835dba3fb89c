"""Weekly check-ins on Discord: /checkin setup, the prompt DM, the answer modal (five inputs,
confidence as a select), a bad value explained with Fix it, and streak squares after answering."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import CheckinWeek
from tests.fakes import discord_payloads as p
from tests.support.discord import DiscordHarness, buttons_of, text_of

GOOD = {"done": "shipped the API", "plan": "write it up", "blockers": "", "confidence": "4"}


async def test_setup_prompt_and_answer(
    discord_: DiscordHarness, clock: FakeClock, core: Core
) -> None:
    ann = discord_.member("ann")
    setup = await discord_.slash("checkin", ann, action="setup", when="monday 9am")
    [saved] = await discord_.settled(setup)
    assert "every Monday at 09:00" in text_of(saved)

    clock.advance(timedelta(days=6, hours=20))
    [dm] = await discord_.dms(ann)
    assert "Weekly check-in" in dm["content"]
    assert {"Answer", "Skip this week", "Pause"} <= set(buttons_of(dm))

    opened = await discord_.click(dm, "Answer", ann)
    assert opened.callback_type == p.MODAL
    refused = await discord_.submit(opened, ann, **GOOD, hours="lots")
    [problem] = await discord_.settled(refused)
    assert "Hours should be a number" in text_of(problem)
    reopened = await discord_.click(problem, "Fix it", ann)
    assert reopened.callback_type == p.MODAL
    assert "lots" in str(reopened.callback)  # what was typed is back in the form

    answered = await discord_.submit(reopened, ann, **GOOD, hours="6")
    [shown] = await discord_.settled(answered)
    assert "Check-in saved" in text_of(shown)
    assert "🟩" in text_of(shown)
    async with core.sessions() as session:
        week = await session.scalar(select(CheckinWeek))
    assert week is not None and week.hours == 6 and week.confidence == 4


async def test_someone_else_cannot_press_my_prompt(
    discord_: DiscordHarness, clock: FakeClock
) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    await discord_.slash("checkin", ann, action="setup", when="monday 9am")
    clock.advance(timedelta(days=6, hours=20))
    [dm] = await discord_.dms(ann)
    pressed = await discord_.click(dm, "Skip this week", bo)
    [refused] = await discord_.settled(pressed)
    assert "belong to the person" in text_of(refused)
