"""Repeating reminders can be paused, resumed and ended from the list."""

from __future__ import annotations

from typing import Any

from tests.support.slack import SlackDriver, button


async def listing(slack: SlackDriver) -> dict[str, Any]:
    return (await slack.command("reminders")).posts[0]


async def test_pause_then_resume(slack: SlackDriver) -> None:
    await slack.command("remind every monday 9am review goals", channel="D0ALICE")

    paused = await slack.click(button(await listing(slack), "rem.pause"))
    assert "Paused" in paused.text
    assert "`/mentor reminders`" in paused.text
    assert "paused" in (await slack.command("reminders")).text

    resumed = await slack.click(button(await listing(slack), "rem.resume"))
    assert "Resumed; next <!date^" in resumed.text


async def test_end_stops_the_repeats(slack: SlackDriver) -> None:
    await slack.command("remind every monday 9am review goals", channel="D0ALICE")

    asked = await slack.click(button(await listing(slack), "rem.end"))
    assert "Every future reminder stops" in asked.text
    kept = await slack.click(button(asked.posts[-1], "rem.keep"))
    assert "Kept, nothing changed: review goals" in kept.text
    asked = await slack.click(button(await listing(slack), "rem.end"))
    ended = await slack.click(button(asked.posts[-1], "rem.end"))

    assert "Ended: it won't repeat any more" in ended.text
