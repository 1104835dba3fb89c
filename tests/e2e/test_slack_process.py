"""The real `mentorbot run` on Slack, as a child process, against the fake Slack on loopback.

The fake runs in the test's event loop, so every wait here is async with a deadline: the child
talks to the fake while the test waits, and nothing sleeps for a fixed time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.process import BotProcess, free_port, launched, port_open, until
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.support.slack import MEMBER, SIGNING_SECRET, SlackDriver, all_text

pytestmark = pytest.mark.slow

START_TIMEOUT = 60.0  # a cold child imports slack_bolt and migrates a fresh database
DM_TIMEOUT = 30.0


async def remind_and_receive(driver: SlackDriver, bot: BotProcess) -> None:
    """`/mentor remind in 1 second stretch`: acked, confirmed, then delivered as a DM."""
    fake = driver.fake
    exchange = await driver.command("remind in 1 second stretch")

    assert exchange.ack.status == 200, bot.diagnostics()
    name = exchange.response_name
    assert name is not None
    await until(bot, "the confirmation", lambda: fake.posted_to(name), timeout=DM_TIMEOUT)
    confirmation = "\n".join(all_text(post.body) for post in fake.posted_to(name))
    assert "I'll remind you" in confirmation and "stretch" in confirmation, confirmation

    def delivered() -> bool:
        return any("stretch" in all_text(call.params) for call in fake.calls_to("chat.postMessage"))

    await until(bot, "the reminder DM", delivered, timeout=DM_TIMEOUT)
    opened = fake.calls_to("conversations.open")
    assert [call.params["users"] for call in opened] == [MEMBER]
    [dm] = [c.params for c in fake.calls_to("chat.postMessage") if "stretch" in all_text(c.params)]
    assert dm["channel"] == f"D{MEMBER}"
    assert "*Reminder:* stretch" in all_text(dm)
    web_api = [call for call in fake.calls if call.method != "apps.connections.open"]
    assert all(call.token == BOT_TOKEN for call in web_api)

    # Still serving, and the console never started (no echo of the typed line, no exit at EOF).
    assert bot.process.poll() is None, bot.diagnostics()
    assert not any("/help" in line for line in bot.lines), bot.diagnostics()


async def test_http_mode_reminder_round_trip(fake_slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    async with launched(
        tmp_path,
        MENTORBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        MENTORBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        MENTORBOT_SLACK_API_URL=fake_slack.api_url,
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_HTTP_PORT=str(port),
    ) as bot:
        await until(bot, f"port {port} open", lambda: port_open(port), timeout=START_TIMEOUT)
        await remind_and_receive(SlackDriver("http", fake_slack, http_port=port), bot)
    assert fake_slack.calls_to("apps.connections.open") == []


async def test_socket_mode_reminder_round_trip(fake_slack: FakeSlack, tmp_path: Path) -> None:
    async with launched(
        tmp_path,
        MENTORBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        MENTORBOT_SLACK_APP_TOKEN=APP_TOKEN,
        MENTORBOT_SLACK_API_URL=fake_slack.api_url,
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_HTTP_PORT=str(free_port()),
    ) as bot:
        await until(
            bot,
            "a Socket Mode connection",
            lambda: fake_slack.socket.connections >= 1,
            timeout=START_TIMEOUT,
        )
        await fake_slack.socket.wait_connected()
        opened = fake_slack.calls_to("apps.connections.open")
        assert [call.token for call in opened] == [APP_TOKEN]
        await remind_and_receive(SlackDriver("socket", fake_slack), bot)
