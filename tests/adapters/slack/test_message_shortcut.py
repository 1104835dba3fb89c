"""The message shortcut "Remind me about this": a modal asks when; the reminder links back."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from tests.adapters.slack.conftest import CHANNEL, SlackDriver, all_text


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
