"""Where an answer goes when there is no response_url: the channel, ephemerally, or a DM."""

from __future__ import annotations

from adapters.slack.translate import Origin
from bot.chat import Actor, Reply
from tests.fakes.slack_server import TEAM_ID
from tests.support.slack import MEMBER, SlackDriver, all_text

ALICE = Actor("slack", TEAM_ID, MEMBER)
CHANNEL = Origin("C0TEAM", is_dm=False)


async def test_private_answers_in_a_channel_are_ephemeral(slack: SlackDriver) -> None:
    await slack.runtime.app.say(Reply("only for you"), CHANNEL, ALICE)

    (call,) = slack.fake.calls_to("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == ("C0TEAM", MEMBER)
    assert all_text(call.params) == "only for you"


async def test_public_answers_are_posted_in_the_channel(slack: SlackDriver) -> None:
    await slack.runtime.app.say(Reply("for everyone", private=False), CHANNEL, ALICE)

    (call,) = slack.fake.calls_to("chat.postMessage")
    assert call.params["channel"] == "C0TEAM"


async def test_if_the_bot_is_not_in_the_channel_the_answer_comes_by_dm(
    slack: SlackDriver,
) -> None:
    slack.fake.fail("chat.postEphemeral", error="not_in_channel")

    await slack.runtime.app.say(Reply("only for you"), CHANNEL, ALICE)

    (call,) = slack.fake.calls_to("chat.postMessage")
    assert call.params["channel"] == f"D{MEMBER}"


async def test_without_any_conversation_the_answer_is_a_dm(slack: SlackDriver) -> None:
    await slack.runtime.app.say(Reply("hello"), Origin(), ALICE)

    (opened,) = slack.fake.calls_to("conversations.open")
    (posted,) = slack.fake.calls_to("chat.postMessage")
    assert posted.params["channel"] == f"D{opened.params['users']}"
