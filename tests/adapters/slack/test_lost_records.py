"""Slack has no nonce: the delivery key rides as message metadata and is read back from the
DM's recent history before a recovered row is sent again."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.clock import FakeClock
from tests.support.lost_records import lose_record, taken_over
from tests.support.slack import MEMBER, SlackDriver


async def test_a_sent_dm_whose_record_was_lost_is_found_in_history_not_sent_again(
    http_slack: SlackDriver, core: Core, clock: FakeClock
) -> None:
    fake = http_slack.fake
    await http_slack.command("remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    [post] = await fake.wait_calls("chat.postMessage")
    metadata = post.params["metadata"]
    assert metadata["event_type"] == "mentorbot_delivery"
    assert metadata["event_payload"]["key"].startswith("mentorbot-d")
    delivery_id = await lose_record(core, clock)

    message_id = await taken_over(core, clock, delivery_id)
    assert message_id == f"D{MEMBER}:{fake.history[f'D{MEMBER}'][0]['ts']}"
    assert len(fake.calls_to("chat.postMessage")) == 1
    [lookup] = fake.calls_to("conversations.history")
    assert lookup.params["channel"] == f"D{MEMBER}"


async def test_a_lost_send_missing_from_history_is_sent_again(
    http_slack: SlackDriver, core: Core, clock: FakeClock
) -> None:
    fake = http_slack.fake
    await http_slack.command("remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    await fake.wait_calls("chat.postMessage")
    delivery_id = await lose_record(core, clock)
    fake.history[f"D{MEMBER}"].clear()  # as if the post never reached Slack

    await taken_over(core, clock, delivery_id)
    assert len(fake.calls_to("chat.postMessage")) == 2
