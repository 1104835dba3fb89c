"""`/mentor remind` without a time: the answer offers an external select that previews the time
as the member types (the core's own autocomplete), and picking it sets the reminder."""

from __future__ import annotations

from tests.support.slack import CHANNEL, MEMBER, SlackDriver, _who


async def test_a_missing_time_is_asked_with_a_live_preview(slack: SlackDriver) -> None:
    asked = await slack.command("remind")

    [message] = asked.posts
    assert "Tell me when" in asked.text
    block_id = "mentorbot.complete:remind:when"
    [block] = [b for b in message["blocks"] if b.get("block_id") == block_id]
    [menu] = block["elements"]
    where = {
        "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
        "channel": {"id": CHANNEL, "name": "general"},
    }

    suggested = await slack.send(
        "interactive",
        {
            "type": "block_suggestion",
            "action_id": menu["action_id"],
            "block_id": block["block_id"],
            "value": "in 2 hours stretch",
            **_who(MEMBER),
            **where,
        },
    )

    [choice] = suggested.body["options"]
    assert choice["value"] == "in 2 hours stretch"
    assert choice["text"]["text"].startswith("in 2 hours stretch → ")

    await slack.send(
        "interactive",
        {
            "type": "block_actions",
            "trigger_id": "trigger-z",
            **_who(MEMBER),
            **where,
            "actions": [
                {
                    "action_id": menu["action_id"],
                    "block_id": block["block_id"],
                    "type": "external_select",
                    "selected_option": {"value": choice["value"]},
                }
            ],
            "message": {"type": "message", "ts": "1.0", "text": ""},
            "response_url": slack.fake.response_url("picked"),
        },
    )

    [confirmation] = [post.body for post in slack.fake.posted_to("picked")]
    assert "I'll remind you" in str(confirmation["blocks"])
    assert "stretch" in (await slack.command("reminders")).text
