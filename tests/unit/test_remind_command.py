"""Setting reminders through the one door, as a member would, in the console harness."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery, Reminder
from tests.conftest import make_settings
from tests.support.conversation import count


async def test_in_five_days_confirms_exact_and_relative_time(chat: ConsoleChat) -> None:
    await chat.say("/timezone Europe/Berlin")
    lines = await chat.say("/remind in 5 days check the thread")
    first = lines[0]
    assert "Sat 28 Nov 2026, 14:00 CET, in 5 days" in first
    assert "check the thread" in first
    assert any("Cancel" in line for line in lines)


async def test_remindme_trigger_with_quoted_text(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say('RemindMe! 2 weeks "check the thread"')
    assert "in 2 weeks" in lines[0]
    assert "check the thread" in lines[0]
    assert await count(core, Reminder) == 1


async def test_separate_when_and_what_options(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/remind when:tomorrow what:stretch")
    assert "⚠" not in lines[0]
    assert lines[0].endswith(": stretch")
    assert await count(core, Reminder) == 1


async def test_a_reminder_without_text_asks_what_to_remind_about(
    chat: ConsoleChat, core: Core
) -> None:
    for typed in ("/remind when:tomorrow", "/remind in 2 hours", "RemindMe! 2 weeks"):
        lines = await chat.say(typed)
        assert lines[0].startswith("⚠️ What should I remind you about?"), lines
        assert "/remind tomorrow 9am water the plants" in lines[0]
    assert await count(core, Reminder) == 0


async def test_unparseable_time_explains_and_saves_nothing(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/remind whenever I feel like it")
    assert lines[0].startswith("⚠")
    assert "You wrote" in lines.text
    assert await count(core, Reminder) == 0
    assert await count(core, Delivery) == 0


async def test_past_time_is_refused(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/remind yesterday at 9am call mom")
    assert lines[0].startswith("⚠")
    assert await count(core, Reminder) == 0


async def test_text_over_the_limit_is_refused(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/remind in 1 hour " + "x" * 1001)
    assert "limit is 1000" in lines[0]
    assert await count(core, Reminder) == 0


async def test_mentions_are_kept_verbatim_and_never_markup(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/remind in 1 hour ping @everyone <!channel> **now**")
    async with core.sessions() as session:
        text = await session.scalar(select(Reminder.text))
    assert text == "ping @everyone <!channel> **now**"


async def test_recurring_reminder_says_it_repeats(chat: ConsoleChat) -> None:
    lines = await chat.say("/remind every monday 9am review goals")
    assert "Repeats" in lines.text
    assert "Mon 30 Nov 2026, 09:00 UTC" in lines[0]


async def test_first_contact_tells_member_how_to_set_zone(chat: ConsoleChat) -> None:
    lines = await chat.say("/remind in 1 hour stretch")
    assert any("/timezone" in line for line in lines)
    again = await chat.say("/remind in 2 hours stretch")
    assert not any("/timezone" in line for line in again)


async def test_active_reminder_limit(store_url: str, clock: FakeClock) -> None:
    core = Core(make_settings(store_url, max_active_reminders=3), clock=clock)
    await core.migrate()
    async with core:
        chat = ConsoleChat(core)
        for hours in range(1, 4):
            assert "✅" in (await chat.say(f"/remind in {hours} hours stretch"))[0]
        lines = await chat.say("/remind in 5 hours one too many")
        assert "3 active reminders" in lines[0]
        assert await count(core, Reminder) == 3


async def test_a_skipped_dst_time_is_said_in_the_confirmation(
    chat: ConsoleChat, clock: FakeClock
) -> None:
    await chat.say("/timezone berlin")
    clock.set(datetime(2027, 3, 27, 13, 0, tzinfo=UTC))  # Sat 14:00 in Berlin
    lines = await chat.say("/remind tomorrow at 2:30 water the plants")
    assert "Sun 28 Mar 2027, 03:30 CEST" in lines[0]
    assert (
        "🕑 02:30 doesn't exist on Sun 28 Mar (the clocks go forward), so it's set for 03:30."
        in ("\n".join(lines))
    )


async def test_the_confirmation_says_how_far_as_typed(chat: ConsoleChat) -> None:
    lines = await chat.say("/remind in 10 days water the plants")
    assert lines[0].endswith(", in 10 days: water the plants")
    lines = await chat.say("/remind in 90 minutes stretch")
    assert ", in 1 hour 30 minutes: stretch" in lines[0]
