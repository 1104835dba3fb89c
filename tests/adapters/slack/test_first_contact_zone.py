"""On first contact the member's zone comes from their Slack profile, and they learn how to
change it."""

from __future__ import annotations

from tests.support.slack import MEMBER, SlackDriver


async def test_zone_is_taken_from_the_slack_profile(slack: SlackDriver) -> None:
    slack.fake.user(MEMBER, tz="Asia/Tokyo")

    exchange = await slack.command("remind in 1 hour stretch")

    assert "I took your time zone, Asia/Tokyo, from your profile" in exchange.text
    assert "`/mentor timezone &lt;city or zone&gt;`" in exchange.text  # escaped: no <...>
    zone = await slack.command("timezone")
    assert "Asia/Tokyo" in zone.text


async def test_the_profile_is_looked_up_once(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch")
    await slack.command("reminders")
    await slack.command("help")

    looked_up = slack.fake.calls_to("users.info")
    assert [call.params["user"] for call in looked_up] == [MEMBER]


async def test_a_profile_without_zone_gets_the_default_and_a_hint(slack: SlackDriver) -> None:
    slack.fake.user(MEMBER, tz=None)

    exchange = await slack.command("remind in 1 hour stretch")

    assert "I'm using UTC for your times" in exchange.text


async def test_a_failing_profile_lookup_does_not_block_the_command(slack: SlackDriver) -> None:
    slack.fake.fail("users.info", error="user_not_found")

    exchange = await slack.command("remind in 1 hour stretch")

    assert "I'll remind you" in exchange.text
