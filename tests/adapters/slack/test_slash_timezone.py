"""`/mentor timezone`: see and set the member's zone."""

from __future__ import annotations

from tests.support.slack import SlackDriver, button


async def test_set_and_show_the_zone(slack: SlackDriver) -> None:
    changed = await slack.command("timezone Europe/Berlin")
    assert "Your time zone is now *Europe/Berlin*" in changed.text

    shown = await slack.command("timezone")
    assert "Your time zone is *Europe/Berlin*" in shown.text


async def test_an_unknown_zone_suggests_how_to_write_one(slack: SlackDriver) -> None:
    exchange = await slack.command("timezone Qqxzzyv")

    assert "I don't know the time zone `Qqxzzyv`" in exchange.text
    assert "`/mentor timezone berlin`" in exchange.text


async def test_a_typo_is_confirmed_with_a_button(slack: SlackDriver) -> None:
    asked = await slack.command("timezone berlni")
    assert "Did you mean *Europe/Berlin*?" in asked.text
    assert "Your time zone is now" not in asked.text

    used = await slack.click(button(asked.posts[0], "tz.pick"))

    assert "Your time zone is now *Europe/Berlin*" in used.text
    assert "Your time zone is *Europe/Berlin*" in (await slack.command("timezone")).text
