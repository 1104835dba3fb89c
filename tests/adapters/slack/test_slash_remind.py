"""`/mentor remind <when> <what>`: the reminder is stored and confirmed where it was set."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Core
from bot.storage.tables import Reminder
from tests.support.slack import SlackDriver, button


async def reminder_texts(core: Core) -> list[str]:
    async with core.sessions() as session:
        return list((await session.scalars(select(Reminder.text))).all())


async def test_remind_in_a_dm_confirms_privately(slack: SlackDriver, core: Core) -> None:
    exchange = await slack.command("remind in 5 days check the thread", channel="D0ALICE")

    confirmation = exchange.posts[0]
    assert confirmation["response_type"] == "ephemeral"
    assert "I'll remind you" in exchange.text
    assert "check the thread" in exchange.text
    assert button(confirmation, "rem.cancel")["style"] == "danger"
    assert await reminder_texts(core) == ["check the thread"]


async def test_remind_in_a_channel_is_shared_with_remind_me_too(
    slack: SlackDriver, core: Core
) -> None:
    exchange = await slack.command("remind tomorrow 9am standup notes")

    confirmation = exchange.posts[0]
    assert confirmation["response_type"] == "in_channel"
    follow, cancel = button(confirmation, "rem.follow"), button(confirmation, "rem.cancel")
    assert follow["value"] == cancel["value"]
    assert await reminder_texts(core) == ["standup notes"]


async def test_the_time_is_shown_in_each_viewers_zone(slack: SlackDriver) -> None:
    exchange = await slack.command("remind in 2 hours stretch")

    assert "<!date^" in exchange.text
    assert "^{date_long_pretty} at {time}|" in exchange.text


async def test_named_options_work_too(slack: SlackDriver, core: Core) -> None:
    await slack.command("remind in 3 days what:stretch")

    assert await reminder_texts(core) == ["stretch"]


async def test_a_time_that_cannot_be_read_is_explained(slack: SlackDriver, core: Core) -> None:
    exchange = await slack.command("remind whenever pigs fly")

    assert exchange.posts[0]["response_type"] == "ephemeral"
    assert "⚠️" in exchange.text
    assert await reminder_texts(core) == []
