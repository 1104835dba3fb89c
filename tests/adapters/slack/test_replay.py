"""A replayed request (same signature, or same Socket Mode envelope) has no second effect."""

from __future__ import annotations

from bot.app import Core
from tests.adapters.slack.test_slash_remind import reminder_texts
from tests.support.slack import SlackDriver, button


async def test_a_replayed_command_stores_one_reminder(slack: SlackDriver, core: Core) -> None:
    payload = slack.command_payload("remind in 1 hour stretch")

    acks = await slack.twice("command", payload)

    assert [ack.status for ack in acks] == [200, 200]  # Slack sees both acked
    assert await reminder_texts(core) == ["stretch"]
    confirmations = [p for p in slack.fake.posted if "I'll remind you" in p.body["text"]]
    assert len(confirmations) == 1


async def test_a_replayed_click_cancels_once(slack: SlackDriver) -> None:
    confirmation = (await slack.command("remind in 1 hour stretch", channel="D0ALICE")).posts[0]
    cancel = button(confirmation, "rem.cancel")
    payload = {
        "type": "block_actions",
        "trigger_id": "trigger-x",
        "response_url": slack.fake.response_url("replayed"),
        "team": {"id": "T0FAKE"},
        "user": {"id": "U0ALICE", "team_id": "T0FAKE"},
        "channel": {"id": "D0ALICE"},
        "container": {"type": "message", "channel_id": "D0ALICE"},
        "actions": [{"action_id": cancel["action_id"], "value": cancel["value"], "type": "button"}],
    }

    await slack.twice("interactive", payload)

    answers = slack.fake.posted_to("replayed")
    assert len(answers) == 1
    assert "Cancelled" in str(answers[0].body)


async def test_a_replayed_modal_submission_saves_once(slack: SlackDriver, core: Core) -> None:
    await slack.global_shortcut()
    view = slack.last_view()
    state = {
        "command": {"command": {"type": "static_select", "selected_option": {"value": "remind"}}},
        "details": {"details": {"type": "plain_text_input", "value": "in 2 hours stretch"}},
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0FAKE"},
        "user": {"id": "U0ALICE", "team_id": "T0FAKE"},
        "view": {**view, "id": "V1", "state": {"values": state}},
    }

    await slack.twice("interactive", payload)

    assert await reminder_texts(core) == ["stretch"]


async def test_a_replayed_home_event_publishes_once(slack: SlackDriver) -> None:
    payload = {
        "type": "event_callback",
        "team_id": "T0FAKE",
        "event_id": "Ev-once",
        "event": {"type": "app_home_opened", "user": "U0ALICE", "tab": "home"},
    }

    await slack.twice("event", payload)

    assert len(slack.fake.calls_to("views.publish")) == 1
