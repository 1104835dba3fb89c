"""`/mentor help` (or `/mentor` alone) lists every command, written the Slack way."""

from __future__ import annotations

from tests.support.slack import SlackDriver


async def test_help_lists_the_catalogue_as_mentor_subcommands(slack: SlackDriver) -> None:
    exchange = await slack.command("help")

    assert exchange.ack.status == 200
    assert [post["response_type"] for post in exchange.posts] == ["ephemeral"]
    for name in ("remind", "reminders", "timezone", "help"):
        assert f"`/mentor {name}`" in exchange.text
    assert "Remind me about this" in exchange.text


async def test_bare_command_shows_help(slack: SlackDriver) -> None:
    exchange = await slack.command("")

    assert "`/mentor remind`" in exchange.text


async def test_unknown_subcommand_points_to_help(slack: SlackDriver) -> None:
    exchange = await slack.command("fly to the moon")

    assert "I don't know `/fly`" in exchange.text
    assert "`/mentor help`" in exchange.text
