"""A due reminder arrives as a DM (conversations.open + chat.postMessage) with its buttons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from tests.support.slack import MEMBER, SlackDriver, all_text, button


async def next_dm(slack: SlackDriver, count: int = 1) -> dict[str, Any]:
    calls = await slack.fake.wait_calls("chat.postMessage", count)
    params: dict[str, Any] = calls[count - 1].params
    return params


async def test_due_reminder_is_a_dm_with_snooze_and_done(
    slack: SlackDriver, clock: FakeClock
) -> None:
    await slack.command("remind in 1 hour stretch")

    clock.advance(timedelta(hours=1))
    dm = await next_dm(slack)

    opened = slack.fake.calls_to("conversations.open")
    assert [call.params["users"] for call in opened] == [MEMBER]
    assert dm["channel"] == f"D{MEMBER}"
    assert "*Reminder:* stretch" in all_text(dm)
    assert dm["text"].startswith("⏰ *Reminder:* stretch")
    labels = [
        b["text"]["text"]
        for block in dm["blocks"]
        if block["type"] == "actions"
        for b in block["elements"]
    ]
    assert labels == ["Snooze 10 min", "1 hour", "Tomorrow 09:00", "Custom…", "Done"]


async def test_snooze_replaces_the_dm_and_comes_back(slack: SlackDriver, clock: FakeClock) -> None:
    await slack.command("remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    dm = await next_dm(slack)

    snoozed = await slack.click(button(dm, "rem.snooze10"), channel=f"D{MEMBER}")

    assert snoozed.posts[0]["replace_original"] is True
    assert "Snoozed until <!date^" in snoozed.text
    clock.advance(timedelta(minutes=10))
    again = await next_dm(slack, 2)
    assert "stretch" in all_text(again)
    assert len(slack.fake.calls_to("conversations.open")) == 1  # the DM channel is cached


@pytest.mark.parametrize(
    ("action", "later"),
    [("rem.snooze60", timedelta(hours=1)), ("rem.snoozetomorrow", timedelta(days=1))],
)
async def test_snooze_an_hour_or_until_tomorrow(
    slack: SlackDriver, clock: FakeClock, action: str, later: timedelta
) -> None:
    await slack.command("remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    dm = await next_dm(slack)

    snoozed = await slack.click(button(dm, action), channel=f"D{MEMBER}")

    assert "Snoozed until" in snoozed.text
    clock.advance(later)
    assert "stretch" in all_text(await next_dm(slack, 2))


async def test_custom_snooze_asks_when_in_a_modal(slack: SlackDriver, clock: FakeClock) -> None:
    await slack.command("remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    dm = await next_dm(slack)

    custom = await slack.click(button(dm, "rem.snoozecustom"), channel=f"D{MEMBER}")
    modal = slack.last_view()
    assert modal["callback_id"] == "rem.snooze"
    await slack.submit(modal, {"when": "in 3 hours"})

    assert "Snoozed until" in custom.text
    assert custom.posts[-1]["replace_original"] is True
    clock.advance(timedelta(hours=3))
    assert "stretch" in all_text(await next_dm(slack, 2))


async def test_done_marks_it_done(slack: SlackDriver, clock: FakeClock) -> None:
    await slack.command("remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    dm = await next_dm(slack)

    done = await slack.click(button(dm, "rem.done"), channel=f"D{MEMBER}")

    assert "Done: stretch" in done.text
    assert done.posts[0]["replace_original"] is True
