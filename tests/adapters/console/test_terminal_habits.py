"""The console as people use a terminal: Enter skips an optional form field, a button number
from an earlier screen is refused, plain text that reads like a command is understood, `/help`
lists the console's own commands, and member text never reaches the terminal raw."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from adapters.console.render import visible
from adapters.console.run import run_console
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery, Reminder
from tests.conftest import START, make_settings
from tests.support.conversation import count


async def reminder_texts(core: Core) -> list[str]:
    async with core.sessions() as session:
        return list((await session.scalars(select(Reminder.text).order_by(Reminder.id))).all())


async def test_enter_skips_an_optional_field_at_the_terminal(core: Core) -> None:
    typed = "/remind in 1 hour stretch\n/reminders\n2\n\nstretch and drink water\n"
    shown = io.StringIO()
    await run_console(core, stdin=io.StringIO(typed), stdout=shown)
    output = shown.getvalue()
    assert "[2] Edit 1" in output
    assert "New time (empty keeps it) (optional, Enter to skip):" in output
    assert "✏️ Saved: stretch and drink water — Mon 23 Nov 2026, 14:00 UTC" in output
    async with core.sessions() as session:
        saved = (await session.execute(select(Reminder.text, Reminder.next_at))).one()
    assert saved.text == "stretch and drink water"
    assert saved.next_at.replace(tzinfo=START.tzinfo) == START + timedelta(hours=1)


async def test_the_terminal_refuses_a_number_from_an_earlier_screen(core: Core) -> None:
    typed = "/remind every monday 9am review goals\n/remind in 1 hour stretch\n1\n"
    shown = io.StringIO()
    await run_console(core, stdin=io.StringIO(typed), stdout=shown)
    assert "[1] Cancel is on an earlier message (✅ I'll remind you" in shown.getvalue()
    assert await count(core, Reminder, status="active") == 2


async def test_stale_numbers_are_refused_and_insisting_presses_them(
    core: Core, clock: FakeClock
) -> None:
    chat = ConsoleChat(core, latest_only=True)
    goals = await chat.say("/remind every monday 9am review goals")
    await chat.say("/remind in 1 hour stretch")
    refused = await chat.say(goals.button("Cancel"))
    assert refused.text.startswith("[1] Cancel is on an earlier message (✅ I'll remind you Mon 30")
    assert refused.text.endswith(
        "not the latest one. Type `1!` to press it anyway, or show it again (e.g. `/reminders`)."
    )
    assert await count(core, Reminder, status="active") == 2

    asked = await chat.say(goals.button("Cancel") + "!")  # insisting: the repeat still asks
    assert "Cancel the repeating reminder review goals" in asked.text

    # A DM that arrives joins the screen; the answer on screen stays pressable too.
    listing = await chat.say("/reminders")
    clock.advance(timedelta(hours=1))
    dm = await chat.next_dm()
    snoozed = await chat.say(dm.button("Snooze 10 min"))
    assert "Snoozed" in snoozed.text
    listing_again = await chat.say(listing.button("Edit 1"))
    assert "is on an earlier message" in listing_again.text  # the snooze redrew the screen


async def test_numbers_are_never_reused(core: Core) -> None:
    chat = ConsoleChat(core, latest_only=True)
    first = await chat.say("/remind in 1 hour stretch")
    second = await chat.say("/remind in 2 hours drink water")
    assert int(second.button("Cancel")) > int(first.button("Cancel"))


async def test_plain_remind_me_is_understood(chat: ConsoleChat, core: Core) -> None:
    said = await chat.say("remind me in 5 minutes to stretch")
    assert said[0].startswith("✅ I'll remind you Mon 23 Nov 2026, 13:05 UTC")
    assert await reminder_texts(core) == ["stretch"]
    said = await chat.say("Remind me, tomorrow at 9am to call the recruiter")
    assert said[0].startswith("✅") and (await reminder_texts(core))[-1] == "call the recruiter"
    assert (await chat.say("remind me")).text.startswith("Tell me when and what")


async def test_remind_me_about_this_picks_the_last_message(chat: ConsoleChat) -> None:
    await chat.say("read the attention paper")
    form = await chat.say("remind me about this")
    assert form[0] == "📝 Remind me about this"


async def test_help_without_a_slash_and_the_console_commands(chat: ConsoleChat) -> None:
    for typed in ("help", "Help?", "/help"):
        said = await chat.say(typed)
        assert "/remind: Set a reminder" in said.text, typed
        assert "Console commands:" in said.text
        for command in ("/as NAME", "/channel", "/dm", "/quit", "/cancel"):
            assert command in said.text, (typed, command)


async def test_a_command_without_its_slash_gets_the_command_to_type(chat: ConsoleChat) -> None:
    said = await chat.say("reminders")
    assert said == [
        "(you said it as message m1)",
        "To run it as a command, type `/reminders` (with the /).",
    ]
    said = await chat.say("timezone berlin")
    assert said[-1] == "To run it as a command, type `/timezone berlin` (with the /)."
    assert (await chat.say("quit"))[-1] == "To leave, type `/quit`."
    assert (await chat.say("the reminders I set are great")) == ["(you said it as message m4)"]


RAW = {chr(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x202E)} - {"\n", "\t"}


async def test_member_text_is_shown_not_executed(core: Core, clock: FakeClock) -> None:
    chat = ConsoleChat(core, in_channel=True)
    nasty = "\x1b[2J\x1b[31mred\x07 ring\r over\x9b31m \u202eevil"
    await chat.say(f"/remind in 1 hour {nasty}")
    await chat.say("/reminders")
    await chat.say("/as bob\x1b[31m")
    await chat.say("hello\x1b[5m there")
    clock.advance(timedelta(hours=1))
    await chat.next_dm()
    shown = "\n".join(chat.transcript)
    assert not RAW & set(shown), sorted(RAW & set(shown))
    assert "␛[2J␛[31mred␇ ring over<U+009B>31m <U+202E>evil" in shown  # the parser made \r a space
    assert "You are now bob␛[31m." in shown


@pytest.fixture
async def postgres_core(postgres_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    bot = Core(make_settings(postgres_url, send_rate_per_second=1000.0), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


@pytest.mark.postgres
async def test_a_nul_byte_does_not_fail_the_command_on_postgresql(postgres_core: Core) -> None:
    chat = ConsoleChat(postgres_core)
    said = await chat.say("/remind in 1 hour stre\x00tch")
    assert said[0].startswith("✅ I'll remind you"), said.text
    edit = await chat.say((await chat.say("/reminders")).button("Edit 1"))
    assert edit[0] == "📝 Edit reminder"
    await chat.say("in 2\x00 hours")
    saved = await chat.say("drink\x00 water")
    assert saved[0].startswith("✏️ Saved: drink water"), saved.text

    await chat.say("read the \x00paper")
    await chat.say("/remind-message")
    await chat.say("tomorrow 9am")
    done = await chat.say("")
    assert done[0].startswith("✅"), done.text
    zone = await chat.say("/timezone ber\x00lin")
    assert "Europe/Berlin" in zone.text

    assert "went wrong" not in "\n".join(chat.transcript)
    assert await reminder_texts(postgres_core) == ["drink water", "the message you picked"]
    async with postgres_core.sessions() as session:
        excerpt = await session.scalar(select(Reminder.source_excerpt).where(Reminder.id == 2))
    assert excerpt == "read the paper"
    assert await count(postgres_core, Delivery, status="pending") == 2


def test_every_control_character_has_a_visible_form() -> None:
    assert visible("a\rb\x00c\x1bd\x7fe\tf") == "a␍b␀c␛d␡e\tf"
    assert not RAW & set(visible("".join(sorted(RAW))))
