"""The real `mentorbot run` serving two Slack workspaces installed through OAuth.

The child serves `/slack/install` and `/slack/oauth_redirect` next to `/slack/events`; the test
installs two workspaces through them, then each workspace's member gets an answer and a DM,
each with that workspace's token, and the child's log (at DEBUG) never shows a token.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.e2e.process import free_port, launched, port_open, until
from tests.fakes.slack_server import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.support.slack import SIGNING_SECRET, SlackDriver, all_text
from tests.support.slack_install import Installer

pytestmark = pytest.mark.slow

START_TIMEOUT = 60.0
DM_TIMEOUT = 30.0
TEAMS = {"T0ONE": "U0ANN", "T0TWO": "U0BEN"}


async def test_two_workspaces_installed_and_served_by_one_process(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    for team in TEAMS:
        fake_slack.team(team)
    fake_slack.redirect_url = f"http://127.0.0.1:{port}/slack/oauth_redirect"
    fake_slack.token_lifetime = 12 * 3600
    async with launched(
        tmp_path,
        MENTORBOT_SLACK_CLIENT_ID=CLIENT_ID,
        MENTORBOT_SLACK_CLIENT_SECRET=CLIENT_SECRET,
        MENTORBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        MENTORBOT_SLACK_TOKEN_KEY=Fernet.generate_key().decode(),
        MENTORBOT_SLACK_API_URL=fake_slack.api_url,
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_HTTP_PORT=str(port),
        MENTORBOT_LOG_LEVEL="DEBUG",
    ) as bot:
        await until(bot, f"port {port} open", lambda: port_open(port), timeout=START_TIMEOUT)
        installer = Installer(f"http://127.0.0.1:{port}")
        for team in TEAMS:
            landed = await installer.install(team)
            assert landed.status == 200, bot.diagnostics()

        driver = SlackDriver("http", fake_slack, http_port=port)
        for team, member in TEAMS.items():
            exchange = await driver.command("remind in 1 second stretch", user=member, team=team)
            assert exchange.ack.status == 200, bot.diagnostics()
            name = exchange.response_name
            assert name is not None
            await until(bot, f"{team}'s answer", lambda n=name: fake_slack.posted_to(n))
            assert "stretch" in all_text(fake_slack.posted_to(name)[0].body)

        def delivered() -> bool:
            return len(fake_slack.calls_to("chat.postMessage")) >= len(TEAMS)

        await until(bot, "both DMs", delivered, timeout=DM_TIMEOUT)
        for team, member in TEAMS.items():
            sent = [
                call.token
                for call in fake_slack.calls_to("chat.postMessage")
                if call.params["channel"] == f"D{member}"
            ]
            assert sent == fake_slack.bot_tokens(team), bot.diagnostics()
    log = bot.diagnostics()
    assert "DEBUG" in log  # the log was on at DEBUG
    leaked = [token for token in fake_slack.tokens if token in log]
    assert leaked == [] and CLIENT_SECRET not in log
