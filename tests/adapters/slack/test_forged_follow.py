"""A forged "Remind me too" (a button value naming another reminder's id) is refused kindly.

Slack sends the button's value back as the member's client has it, so these clicks are built the
way a modified client would build them: another channel, a private reminder, another workspace.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import Core
from bot.storage.tables import Reminder
from tests.fakes.slack_server import TEAM_ID
from tests.support.conversation import count
from tests.support.slack import CHANNEL, SlackDriver, all_text

SECRET = "my secret salary talk"
MALLORY = "U0MALLORY"


async def forged_follow(
    slack: SlackDriver, reminder_id: int, *, channel: str = CHANNEL, team: str = TEAM_ID
) -> str:
    """Press "Remind me too" with `reminder_id` as its value; returns what Mallory was told."""
    name = slack.new_name("forged")
    payload: dict[str, Any] = {
        "type": "block_actions",
        "trigger_id": slack.new_name("trigger-"),
        "team": {"id": team, "domain": "other"},
        "user": {"id": MALLORY, "username": "mallory", "team_id": team},
        "api_app_id": "A0FAKE",
        "token": "legacy",
        "actions": [
            {
                "action_id": "rem.follow~1",
                "block_id": "b",
                "type": "button",
                "value": str(reminder_id),
                "action_ts": "1.3",
            }
        ],
        "container": {"type": "message", "message_ts": "1.0", "channel_id": channel},
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "ts": "1.0", "text": ""},
        "response_url": slack.fake.response_url(name),
    }
    await slack.send("interactive", payload)
    return "\n".join(all_text(post.body) for post in slack.fake.posted_to(name))


async def secret_id(core: Core) -> int:
    async with core.sessions() as session:
        found = await session.scalar(select(Reminder.id).where(Reminder.text == SECRET))
    assert found is not None
    return int(found)


def assert_refused(answer: str) -> None:
    assert "I can't find that reminder" in answer, answer
    assert SECRET not in answer


async def test_a_private_reminder_cannot_be_joined(slack: SlackDriver, core: Core) -> None:
    await slack.command(f"remind in 1 hour {SECRET}", channel="D0ALICE")

    assert_refused(await forged_follow(slack, await secret_id(core)))
    assert_refused(await forged_follow(slack, await secret_id(core), channel="D0ALICE"))

    assert SECRET not in (await slack.command("reminders", user=MALLORY)).text
    assert await count(core, Reminder) == 1


async def test_a_channel_reminder_cannot_be_joined_from_another_channel(
    slack: SlackDriver, core: Core
) -> None:
    await slack.command(f"remind in 1 hour {SECRET}")

    assert_refused(await forged_follow(slack, await secret_id(core), channel="C0RANDOM"))

    assert SECRET not in (await slack.command("reminders", user=MALLORY)).text


async def test_a_reminder_cannot_be_joined_from_another_workspace(
    slack: SlackDriver, core: Core
) -> None:
    await slack.command(f"remind in 1 hour {SECRET}")

    assert_refused(await forged_follow(slack, await secret_id(core), team="T0OTHER"))
