"""A member's check-in data: exported whole, deleted without touching anyone else's."""

from __future__ import annotations

from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor
from bot.clock import FakeClock
from bot.storage.tables import Checkin, CheckinWeek, Delivery
from tests.support.conversation import count, dispatcher_idle


async def test_export_and_delete_cover_checkins(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    await chat.say("/checkin setup monday 10am", as_user="bob")
    clock.advance(timedelta(days=6, hours=20))
    dm = await chat.next_dm()
    await dispatcher_idle(core)
    await chat.say(dm.button("Answer"))
    for value in ("tutorial", "deploy", "-", "5", "3"):
        await chat.say(value)

    exported = await core.export_member(Actor("console", "local", "you"))
    part = exported["checkins"]
    assert part["checkin"]["repeat_rule"].startswith("FREQ=WEEKLY;BYDAY=MO")  # type: ignore[index]
    weeks = part["weeks"]
    assert isinstance(weeks, list) and weeks[0]["answers"]["plan"] == "deploy"

    removed = await core.delete_member(Actor("console", "local", "you"))
    assert removed["checkins"] >= 3  # the check-in, its week, its queued messages
    assert await count(core, Checkin) == 1  # bob's
    assert await count(core, CheckinWeek) == 0
    assert await count(core, Delivery, kind="checkin.prompt", status="pending") == 1
