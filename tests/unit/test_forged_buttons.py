"""Forged button values: a press that names a reminder id it was never shown gets a kind refusal.

A button's value is an id that comes back from the platform as editable text, so these events are
built by hand, the way a modified client would send them, and dispatched to the real core.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import ActionClicked, Actor, FormSubmitted, Place
from bot.clock import FakeClock
from bot.ids import MAX_ID, parse_id
from bot.storage.tables import Delivery, Member, Reminder, ReminderFollower
from tests.conftest import make_settings
from tests.support.conversation import count, dispatcher_idle

GENERAL = Place("general", is_dm=False)
SECRET = "my secret salary talk"


def mallory(workspace: str = "local") -> Actor:
    return Actor("console", workspace, "mallory", display_name="mallory")


async def reminder_id(core: Core, text: str) -> int:
    async with core.sessions() as session:
        found = await session.scalar(select(Reminder.id).where(Reminder.text == text))
    assert found is not None
    return int(found)


async def deliveries_to(core: Core, user: str) -> int:
    async with core.sessions() as session:
        rows = await session.scalars(
            select(Delivery.id)
            .join(Member, Member.id == Delivery.member_id)
            .where(Member.user_id == user)
        )
        return len(rows.all())


async def assert_refused(core: Core, event: ActionClicked) -> str:
    response = await core.dispatch(event)
    text = response.text
    assert "I can't find that reminder" in text, text
    assert SECRET not in text
    assert all(reply.private for reply in response.replies)
    assert await count(core, ReminderFollower) == 0
    assert await deliveries_to(core, event.actor.user_id) == 0
    return text


async def only_the_owner_is_reminded(chat: ConsoleChat, clock: FakeClock) -> None:
    clock.advance(timedelta(hours=1))
    assert (await chat.next_dm())[0] == "📬 DM to you:"
    await dispatcher_idle(chat.core)
    assert not any(line.startswith("📬 DM to mallory") for line in chat.transcript)
    assert chat.dms.empty()


async def test_a_private_reminder_cannot_be_joined_by_its_id(core: Core, clock: FakeClock) -> None:
    chat = ConsoleChat(core)  # a DM: the reminder is private, no "Remind me too" is offered
    await chat.say(f"/remind in 1 hour {SECRET}")
    forged = ActionClicked("rem.follow", str(await reminder_id(core, SECRET)), mallory(), GENERAL)

    await assert_refused(core, forged)
    await only_the_owner_is_reminded(chat, clock)


async def test_a_public_reminder_cannot_be_joined_from_another_channel(
    core: Core, clock: FakeClock
) -> None:
    chat = ConsoleChat(core, in_channel=True)
    await chat.say(f"/remind in 1 hour {SECRET}")
    value = str(await reminder_id(core, SECRET))

    await assert_refused(
        core, ActionClicked("rem.follow", value, mallory(), Place("random", False))
    )
    await assert_refused(core, ActionClicked("rem.follow", value, mallory(), Place("dm", True)))
    await only_the_owner_is_reminded(chat, clock)


async def test_a_reminder_cannot_be_joined_from_another_workspace(
    core: Core, clock: FakeClock
) -> None:
    chat = ConsoleChat(core, in_channel=True)
    await chat.say(f"/remind in 1 hour {SECRET}")
    forged = ActionClicked(
        "rem.follow", str(await reminder_id(core, SECRET)), mallory("elsewhere"), GENERAL
    )

    await assert_refused(core, forged)
    await only_the_owner_is_reminded(chat, clock)


async def test_the_button_that_was_offered_still_works(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    await chat.say("/remind in 1 hour stand-up")
    offered = ActionClicked(
        "rem.follow", str(await reminder_id(core, "stand-up")), mallory(), GENERAL
    )

    response = await core.dispatch(offered)

    assert "👍 I'll remind you too" in response.text
    assert await count(core, ReminderFollower) == 1


def test_ids_are_parsed_within_the_databases_integer_range() -> None:
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    for forged in ("", "0", "-1", "+1", " 1", "1 ", "1_0", "1e3", "٣", str(MAX_ID + 1), "9" * 23):
        assert parse_id(forged) is None, forged


TOO_LARGE = ("99999999999999999999999", str(2**63), str(2**31))


@pytest.fixture
async def any_core(database_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    """A core on SQLite and on PostgreSQL, whose INTEGER ids overflow at 2^31-1."""
    bot = Core(make_settings(database_url, send_rate_per_second=1000.0), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


ACTIONS = (
    "rem.cancel",
    "rem.follow",
    "rem.edit",
    "rem.pause",
    "rem.resume",
    "rem.end",
    "rem.keep",
    "rem.snooze10",
    "rem.snoozecustom",
    "rem.done",
)


async def test_an_id_too_large_for_the_database_is_not_found(any_core: Core) -> None:
    chat = ConsoleChat(any_core, in_channel=True)
    await chat.say("/remind in 1 hour stand-up")

    for action in ACTIONS:
        for value in TOO_LARGE:
            event = ActionClicked(action, value, chat.actor(), GENERAL)
            response = await any_core.dispatch(event)
            assert "I can't find that reminder" in response.text, (action, value, response.text)
    assert await count(any_core, Reminder, status="active") == 1


async def test_a_form_context_too_large_for_the_database_is_not_found(any_core: Core) -> None:
    chat = ConsoleChat(any_core, in_channel=True)
    values = {"when": "in 2 hours", "what": "x"}
    expected = {
        "rem.edit": "I can't find that reminder",
        "rem.snooze": "I can't find that reminder",
        "rem.message": "That form has expired",
    }
    for form, answer in expected.items():
        event = FormSubmitted(form, values, chat.actor(), GENERAL, context=TOO_LARGE[0])
        response = await any_core.dispatch(event)
        assert answer in response.text, (form, response.text)
    assert await count(any_core, Reminder) == 0
