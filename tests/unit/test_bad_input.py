"""Bad input and failures: a private, friendly answer with an example, and nothing written."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete

from adapters.console.chat import ConsoleChat, Said
from bot.app import Core
from bot.chat import ActionClicked, FormSubmitted
from bot.clock import FakeClock
from bot.reminders.service import Reminders
from bot.storage.tables import Delivery, Flow, Member, Reminder, ReminderFollower
from bot.time.timeparse import TimeParseError, parse_when
from tests.support.conversation import count

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
CASES = {
    "invalid": "in 0 minutes stretch",
    "past": "yesterday at 9am call mom",
    "too_far": "in 10 years retire",
    "ambiguous": "tomorrow at 9 stretch",
    "ambiguous date": "05/06/2027 dentist",
}


async def nothing_written(core: Core) -> bool:
    return (
        await count(core, Reminder),
        await count(core, Delivery),
        await count(core, Flow),
    ) == (0, 0, 0)


def test_each_case_is_the_reason_it_claims() -> None:
    for reason, phrase in CASES.items():
        with pytest.raises(TimeParseError) as caught:
            parse_when(phrase, now=NOW, tz=ZoneInfo("UTC"), max_ahead_days=1826)
        assert caught.value.reason == reason.split()[0]


@pytest.mark.parametrize("reason", list(CASES))
async def test_a_parse_error_is_private_friendly_and_saves_nothing(core: Core, reason: str) -> None:
    chat = ConsoleChat(core, in_channel=True)
    lines = await chat.say(f"/remind {CASES[reason]}")
    assert lines[0] == "(only you can see this)"
    assert lines[1].startswith("⚠️ ")
    assert f"You wrote: {CASES[reason]}" in lines.text
    markup = lines.replies[0].text
    example = re.search(r"(?:Try|like|Give me a time like) `[^`]+`", markup)
    assert example is not None, markup
    assert await nothing_written(core)


async def test_no_time_at_all_asks_for_one(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/remind")
    assert lines[0] == "⚠️ Tell me when, e.g. /remind in 5 days check the thread or " + (
        "/remind every monday 9am review goals."
    )
    assert await nothing_written(core)


async def test_a_past_time_in_the_message_form_keeps_only_the_flow(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("read the RFC")
    await chat.say("/remind-message")
    await chat.say("yesterday at 9am")
    lines = await chat.say("")
    assert lines[0].startswith("⚠️ Yesterday is in the past")
    assert (await count(core, Reminder), await count(core, Delivery)) == (0, 0)
    assert await count(core, Flow) == 1  # the form can be submitted again


async def test_a_bad_custom_snooze_changes_nothing(
    chat: ConsoleChat, core: Core, clock: FakeClock, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    await chat.say(dm.button("Custom…"))
    lines = await chat.say("in 10 years")
    assert lines[0].startswith("⚠️ That's too far ahead")
    assert await count(core, Delivery) == 1
    assert await count(core, Delivery, status="sent") == 1


async def test_a_crash_inside_a_handler_apologises_and_writes_nothing(
    chat: ConsoleChat, core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    create = Reminders.create

    async def create_then_crash(self: Reminders, *args: object, **kwargs: object) -> None:
        await create(self, *args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("boom after writing")

    monkeypatch.setattr(Reminders, "create", create_then_crash)
    lines = await chat.say("/remind in 1 hour stretch")
    found = re.fullmatch(
        r"😵 Sorry, something went wrong on my side \(error id ([0-9a-f]{8})\)\. "
        r"Nothing was saved; please try again\.",
        lines[0],
    )
    assert found is not None, lines
    assert found.group(1) in caplog.text  # the id finds the traceback in the log
    assert "boom after writing" in caplog.text
    assert await nothing_written(core)
    assert await count(core, Member) == 0  # even the first-contact member row rolled back

    monkeypatch.undo()
    again = await chat.say("/remind in 1 hour stretch")
    assert again[0].startswith("✅")


async def test_a_crash_while_joining_leaves_no_follower(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    follow = Reminders.follow

    async def follow_then_crash(self: Reminders, *args: object, **kwargs: object) -> bool:
        await follow(self, *args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("boom")

    monkeypatch.setattr(Reminders, "follow", follow_then_crash)
    lines = await chat.say(confirmation.button("Remind me too"), as_user="bob")
    assert "error id" in lines.text
    assert "(only you can see this)" in lines[0]
    assert await count(core, ReminderFollower) == 0
    assert await count(core, Delivery) == 1


@pytest.mark.parametrize("label", ["Edit 1", "Cancel 1", "Pause 1", "End 1"])
async def test_a_button_for_a_deleted_reminder_answers_kindly(
    chat: ConsoleChat, core: Core, label: str
) -> None:
    await chat.say("/remind every monday 9am review goals")
    listed = await chat.say("/reminders")
    async with core.sessions.begin() as session:
        await session.execute(delete(Delivery))
        await session.execute(delete(Reminder))
    lines = await chat.say(listed.button(label))
    assert lines == ["⚠️ I can't find that reminder any more."]


async def test_dm_buttons_for_a_deleted_reminder_answer_kindly(
    chat: ConsoleChat, core: Core, clock: FakeClock, delivered_reminder: Said
) -> None:
    dm = delivered_reminder
    async with core.sessions.begin() as session:
        await session.execute(delete(Delivery))
        await session.execute(delete(Reminder))
    for label in ("Snooze 10 min", "Custom…", "Done"):
        assert await chat.say(dm.button(label)) == ["⚠️ I can't find that reminder any more."]
    assert await count(core, Delivery) == 0


async def test_stale_or_forged_buttons_and_forms_answer_kindly(
    chat: ConsoleChat, core: Core
) -> None:
    actor, place = chat.actor(), chat.place
    gone = await core.dispatch(ActionClicked("rem.retired", "1", actor, place))
    assert gone.text == "⚠️ That button no longer does anything; try `/help`."
    forged = await core.dispatch(ActionClicked("rem.cancel", "not-a-number", actor, place))
    assert forged.text == "⚠️ I can't find that reminder any more."
    expired = await core.dispatch(FormSubmitted("rem.retired", {}, actor, place))
    assert expired.text == "⚠️ That form has expired; please start again."
    edit = await core.dispatch(FormSubmitted("rem.edit", {"when": "in 1 hour"}, actor, place, "42"))
    assert edit.text == "⚠️ I can't find that reminder any more."
    assert await nothing_written(core)
