"""The Messenger maps Slack's answers to what the core's delivery bookkeeping needs."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.slack.messenger import SlackMessenger, web_client
from adapters.slack.render import Renderer
from bot.chat import Recipient, Reply
from bot.delivery import DeliveryError
from tests.fakes.slack_server import BOT_TOKEN, TEAM_ID, FakeSlack
from tests.support.slack import FAST

ALICE = Recipient("slack", TEAM_ID, "U0ALICE")


@pytest.fixture
async def messenger(fake_slack: FakeSlack) -> AsyncIterator[SlackMessenger]:
    async with aiohttp.ClientSession() as session:
        client = web_client(BOT_TOKEN, base_url=fake_slack.api_url, session=session, policy=FAST)
        yield SlackMessenger(client, Renderer())


async def send(messenger: SlackMessenger) -> str:
    return await messenger.send_direct(ALICE, Reply("hello <!channel>"), key="k1")


async def test_a_dm_opens_the_conversation_then_posts(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    message_id = await send(messenger)

    assert [call.method for call in fake_slack.calls] == ["conversations.open", "chat.postMessage"]
    posted = fake_slack.calls[1].params
    assert message_id.startswith("DU0ALICE:1700000000.")  # channel:ts names a Slack message
    assert posted["text"] == "hello &lt;!channel&gt;"
    assert str(posted["unfurl_links"]).lower() == "false"


@pytest.mark.parametrize(
    ("method", "error"),
    [
        ("chat.postMessage", "account_inactive"),
        ("conversations.open", "user_not_found"),
        ("conversations.open", "user_disabled"),
        ("conversations.open", "cannot_dm_bot"),
    ],
)
async def test_members_who_cannot_be_reached_are_permanent(
    messenger: SlackMessenger, fake_slack: FakeSlack, method: str, error: str
) -> None:
    fake_slack.fail(method, error=error)

    with pytest.raises(DeliveryError) as failure:
        await send(messenger)

    assert failure.value.permanent
    assert failure.value.reason == error


async def test_a_broken_installation_is_retried_later(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", error="invalid_auth")

    with pytest.raises(DeliveryError) as failure:
        await send(messenger)

    assert not failure.value.permanent
    assert failure.value.retry_after == 300.0


async def test_a_short_429_is_waited_out_and_sent_once(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=429, retry_after=0)

    await send(messenger)

    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # the 429, then the message


async def test_a_long_429_goes_back_to_the_core_without_waiting(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=429, retry_after=120)
    started = time.monotonic()

    with pytest.raises(DeliveryError) as failure:
        await send(messenger)

    assert failure.value.retry_after == 120.0
    assert not failure.value.permanent
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert time.monotonic() - started < 1.0


async def test_server_errors_are_retried(messenger: SlackMessenger, fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", status=500, times=2)

    await send(messenger)

    assert len(fake_slack.calls_to("chat.postMessage")) == 3


async def test_lasting_server_errors_are_transient_failures(
    messenger: SlackMessenger, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=503, times=3)

    with pytest.raises(DeliveryError) as failure:
        await send(messenger)

    assert not failure.value.permanent
    assert failure.value.retry_after is None


async def test_an_unreachable_slack_is_a_transient_failure() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    async with aiohttp.ClientSession() as session:
        client = web_client(
            BOT_TOKEN, base_url=f"http://127.0.0.1:{port}/api/", session=session, policy=FAST
        )
        with pytest.raises(DeliveryError) as failure:
            await SlackMessenger(client, Renderer()).send_direct(ALICE, Reply("hi"), key="k")

    assert failure.value.reason.startswith("connection")
    assert not failure.value.permanent
