"""The message shortcut "Remind me about this": a modal asks when; the reminder links back."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Flow, Reminder
from tests.support.conversation import count
from tests.support.slack import CHANNEL, SlackDriver, all_text


async def test_remind_me_about_this_message(slack: SlackDriver, clock: FakeClock) -> None:
    shortcut = await slack.message_shortcut(
        "Paper &lt;draft&gt; for <@U0BOB>: <https://arxiv.org/abs/1|the paper>",
        ts="1763900000.000100",
    )

    assert shortcut.ack.status == 200
    permalink = slack.fake.calls_to("chat.getPermalink")[0].params
    assert permalink == {"channel": CHANNEL, "message_ts": "1763900000.000100"}
    modal = slack.last_view()
    assert modal["title"]["text"] == "Remind me about this"
    assert [b["block_id"] for b in modal["blocks"] if b["type"] == "input"] == ["when", "what"]

    await slack.submit(modal, {"when": "tomorrow 9am", "what": ""})

    assert "I'll remind you" in shortcut.text
    assert f"<https://fake.invalid/archives/{CHANNEL}/p1763900000000100|the message>" in (
        shortcut.text
    )
    clock.advance(timedelta(days=1))
    dm = (await slack.fake.wait_calls("chat.postMessage"))[0].params
    shown = all_text(dm)
    assert "Paper &lt;draft&gt; for @U0BOB: the paper" in shown  # readable, and no ping
    assert "Jump to the message" in shown


async def test_without_a_permalink_it_still_works(slack: SlackDriver) -> None:
    slack.fake.fail("chat.getPermalink", error="message_not_found")
    shortcut = await slack.message_shortcut("read this")

    await slack.submit(slack.last_view(), {"when": "in 2 hours", "what": "read it"})

    assert "I'll remind you" in shortcut.text
    assert "read it" in shortcut.text


async def test_a_bad_time_keeps_the_modal_open_with_the_error_on_when(
    slack: SlackDriver, core: Core
) -> None:
    shortcut = await slack.message_shortcut("read this")
    modal = slack.last_view()

    ack = await slack.submit(modal, {"when": "whenever pigs fly", "what": "read it"})

    assert ack.status == 200
    assert ack.body["response_action"] == "errors"
    assert list(ack.body["errors"]) == ["when"]
    assert 0 < len(ack.body["errors"]["when"]) <= 150
    assert shortcut.posts == []  # nothing explained separately, nothing confirmed
    assert await count(core, Reminder) == 0
    assert await count(core, Flow) == 1  # kept, so the open modal can still be submitted

    again = await slack.submit(modal, {"when": "in 2 hours", "what": "read it"})  # fixed

    assert again.body.get("response_action") is None
    assert "I'll remind you" in shortcut.text
    assert await count(core, Reminder) == 1
