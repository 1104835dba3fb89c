"""`run_slack`: starts from Settings, serves until cancelled, and refuses unusable settings."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from adapters.slack.messenger import web_client
from adapters.slack.setup import SlackNotConfigured, run_slack, slack_running
from bot.app import Core
from tests.conftest import make_settings
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.support.network import NonLoopbackTraffic
from tests.support.slack import FAST, SIGNING_SECRET, slack_settings


async def test_both_modes_can_run_at_once(core: Core, fake_slack: FakeSlack) -> None:
    settings = make_settings(
        core.settings.database_url,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        http_host="127.0.0.1",
        http_port=0,
    )
    async with slack_running(core, settings, policy=FAST) as runtime:
        await fake_slack.socket.wait_connected()
        assert runtime.http_port
        assert core.messengers["slack"] is runtime.app.messenger


async def test_run_slack_serves_until_cancelled(core: Core, fake_slack: FakeSlack) -> None:
    task = asyncio.ensure_future(run_slack(core, slack_settings(core, fake_slack, "socket")))
    await fake_slack.socket.wait_connected()

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()


@pytest.mark.parametrize(
    ("tokens", "missing"),
    [
        ({}, "MENTORBOT_SLACK_BOT_TOKEN"),
        ({"slack_bot_token": BOT_TOKEN}, "MENTORBOT_SLACK_APP_TOKEN"),
        (
            {"slack_bot_token": BOT_TOKEN, "slack_client_id": CLIENT_ID},
            "either MENTORBOT_SLACK_BOT_TOKEN .* not both",
        ),
        ({"slack_client_id": CLIENT_ID}, "MENTORBOT_SLACK_CLIENT_SECRET"),
        (
            {"slack_client_id": CLIENT_ID, "slack_client_secret": CLIENT_SECRET},
            "HTTP mode: set MENTORBOT_SLACK_SIGNING_SECRET",
        ),
        (
            {
                "slack_client_id": CLIENT_ID,
                "slack_client_secret": CLIENT_SECRET,
                "slack_signing_secret": SIGNING_SECRET,
                "slack_token_key": "not-a-fernet-key",
            },
            "MENTORBOT_SLACK_TOKEN_KEY must be Fernet keys",
        ),
    ],
)
async def test_unusable_settings_say_what_is_missing(
    core: Core, tokens: dict[str, str], missing: str
) -> None:
    with pytest.raises(SlackNotConfigured, match=missing):
        async with slack_running(core, make_settings(core.settings.database_url, **tokens)):
            pass


async def test_the_network_guard_stops_calls_to_the_real_slack() -> None:
    async with aiohttp.ClientSession() as session:
        client = web_client(BOT_TOKEN, session=session, policy=FAST)
        with pytest.raises(NonLoopbackTraffic):
            await client.auth_test()
