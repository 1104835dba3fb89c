"""Many workspaces from one deployment: OAuth installs through the real HTTP endpoints.

The in-process Bolt app serves `/slack/install` and `/slack/oauth_redirect`; a member's browser
is played with plain HTTP (the state cookie carried by hand, as a browser would), and the fake
Slack's authorize page hands out one-time codes for the workspace asked for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from adapters.slack.setup import SlackRuntime, slack_running
from adapters.slack.workspaces import REFUSAL
from bot.app import Core
from bot.chat import Recipient, Reply
from bot.clock import FakeClock
from bot.delivery import DeliveryError
from bot.storage.installations import TABLES
from bot.storage.tables import Delivery, DeliveryStatus
from tests.conftest import make_settings
from tests.fakes.slack_server import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.support.slack import FAST, SIGNING_SECRET, SlackDriver
from tests.support.slack_install import Installer, Landing

ANN, BEN = "U0ANN", "U0BEN"  # one member in each workspace
T1, T2 = "T0ONE", "T0TWO"
TOKEN_KEY = Fernet.generate_key().decode()


@dataclass
class Deployment:
    slack: SlackDriver
    runtime: SlackRuntime
    fake: FakeSlack
    browser: Installer

    async def install(self, team: str) -> Landing:
        return await self.browser.install(team)


@pytest.fixture
async def deployment(core: Core, fake_slack: FakeSlack) -> AsyncIterator[Deployment]:
    fake_slack.team(T1, "Team One", bot_user_id="U0BOT1")
    fake_slack.team(T2, "Team Two", bot_user_id="U0BOT2")
    settings = make_settings(
        core.settings.database_url,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_signing_secret=SIGNING_SECRET,
        slack_token_key=TOKEN_KEY,
        slack_api_url=fake_slack.api_url,
        http_host="127.0.0.1",
        http_port=0,
    )
    async with slack_running(core, settings, policy=FAST) as runtime:
        fake_slack.redirect_url = f"http://127.0.0.1:{runtime.http_port}/slack/oauth_redirect"
        installer = Installer(f"http://127.0.0.1:{runtime.http_port}")
        yield Deployment(SlackDriver("http", fake_slack, runtime), runtime, fake_slack, installer)


async def stored_bots(core: Core) -> list[dict[str, object]]:
    """The bot rows as the database holds them (tokens as stored, not decrypted)."""
    async with core.engine.connect() as connection:
        rows = await connection.execute(select(TABLES.bots))
        return [dict(row) for row in rows.mappings()]


def tokens_used(fake: FakeSlack, method: str, **params: str) -> list[str | None]:
    return [
        call.token
        for call in fake.calls_to(method)
        if all(call.params.get(k) == v for k, v in params.items())
    ]


async def test_two_workspaces_install_and_each_is_served_with_its_own_token(
    deployment: Deployment, core: Core, clock: FakeClock
) -> None:
    fake, slack = deployment.fake, deployment.slack

    for team in (T1, T2):
        done = await deployment.install(team)
        assert done.status == 200 and "Thank you" in done.text
    [one], [two] = fake.bot_tokens(T1), fake.bot_tokens(T2)

    ann = await slack.command("remind in 1 hour stretch", user=ANN, team=T1)
    ben = await slack.command("remind in 2 hours drink water", user=BEN, team=T2)

    assert "stretch" in ann.text and "drink water" in ben.text
    assert tokens_used(fake, "users.info", user=ANN) == [one]
    assert tokens_used(fake, "users.info", user=BEN) == [two]
    clock.advance(timedelta(hours=2))
    await fake.wait_calls("chat.postMessage", 2)
    assert tokens_used(fake, "chat.postMessage", channel=f"D{ANN}") == [one]
    assert tokens_used(fake, "chat.postMessage", channel=f"D{BEN}") == [two]
    assert tokens_used(fake, "conversations.open", users=ANN) == [one]
    # Stored encrypted: the database never holds a token as it is.
    bots = await stored_bots(core)
    assert sorted(str(row["team_id"]) for row in bots) == [T1, T2]
    for row in bots:
        assert str(row["bot_token"]).startswith("fernet:")
        assert one not in str(row["bot_token"]) and two not in str(row["bot_token"])


async def test_a_reinstall_replaces_the_workspace_token(deployment: Deployment, core: Core) -> None:
    fake, slack = deployment.fake, deployment.slack
    await deployment.install(T1)
    await slack.command("help", user=ANN, team=T1)
    await deployment.install(T1)
    first, second = fake.bot_tokens(T1)

    await slack.command("help", user="U0ANA", team=T1)

    assert tokens_used(fake, "users.info", user=ANN) == [first]
    assert tokens_used(fake, "users.info", user="U0ANA") == [second]
    assert [row["team_id"] for row in await stored_bots(core)] == [T1]
    assert first != second


async def test_a_state_from_another_browser_or_used_twice_is_refused(
    deployment: Deployment, core: Core
) -> None:
    browser = deployment.browser
    url, cookie = await browser.start(T1)
    _, other_cookie = await browser.start(T1)
    location = await browser.authorize(url)

    forged = await browser.come_back(location, other_cookie)  # the state is not this browser's
    assert forged.status == 400
    assert await stored_bots(core) == []
    assert deployment.fake.calls_to("oauth.v2.access") == []

    done = await browser.come_back(location, cookie)
    assert done.status == 200
    again = await browser.come_back(await browser.authorize(url), cookie)  # state reused
    assert again.status == 401
    assert len(await stored_bots(core)) == 1


async def test_a_workspace_that_never_installed_is_refused_politely(
    deployment: Deployment,
) -> None:
    await deployment.install(T1)

    refused = await deployment.slack.command("reminders", user=BEN, team=T2)

    assert refused.ack.status == 200
    assert [post["text"] for post in refused.posts] == [REFUSAL]
    assert deployment.fake.calls_to("users.info") == []


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT2"]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
async def test_uninstalling_removes_the_install_and_stops_deliveries(
    deployment: Deployment, core: Core, clock: FakeClock, event: dict[str, object]
) -> None:
    fake, slack = deployment.fake, deployment.slack
    await deployment.install(T1)
    await deployment.install(T2)
    await slack.command("remind in 1 hour stretch", user=ANN, team=T1)
    await slack.command("remind in 1 hour drink water", user=BEN, team=T2)

    fake.revoke(T2)
    ack = await slack.event(event, team=T2)

    assert ack.status == 200
    assert [row["team_id"] for row in await stored_bots(core)] == [T1]
    refused = await slack.command("reminders", user=BEN, team=T2)
    assert [post["text"] for post in refused.posts] == [REFUSAL]
    clock.advance(timedelta(hours=1))
    await _until_recorded(core, 2)
    async with core.sessions() as session:
        rows = await session.execute(select(Delivery.member_id, Delivery.status))
        statuses = {member: status for member, status in rows}
    assert sorted(statuses.values()) == sorted([DeliveryStatus.SENT, DeliveryStatus.UNDELIVERED])
    [only] = fake.calls_to("chat.postMessage")
    assert only.params["channel"] == f"D{ANN}"  # nothing went to the uninstalled workspace


async def _until_recorded(core: Core, count: int, timeout: float = 10.0) -> None:
    """Poll (with a deadline) until `count` deliveries have an outcome recorded."""
    finished = (DeliveryStatus.SENT, DeliveryStatus.UNDELIVERED, DeliveryStatus.FAILED)
    async with asyncio.timeout(timeout):
        while True:
            async with core.sessions() as session:
                found = await session.execute(
                    select(Delivery.id).where(Delivery.status.in_(finished))
                )
                if len(found.all()) >= count:
                    return
            await asyncio.sleep(0.02)


async def test_an_expiring_token_is_refreshed_once_before_it_expires(
    deployment: Deployment, caplog: pytest.LogCaptureFixture
) -> None:
    fake, slack = deployment.fake, deployment.slack
    fake.token_lifetime = 3 * 3600  # Slack's rotating tokens live 12 h; these 3 h
    caplog.set_level(logging.DEBUG)
    await deployment.install(T1)
    [first] = fake.bot_tokens(T1)

    await slack.command("help", user=ANN, team=T1)
    assert fake.calls_to("oauth.v2.access")[1:] == []  # 3 h left: outside the 2 h window

    # The token comes inside the refresh window: a wider window stands for time passing (as
    # if 1 h 20 min had gone by); the token that replaces it lives 12 h, outside the window.
    oauth = deployment.runtime.app.oauth
    assert oauth is not None
    oauth.workspaces.rotate_minutes = 3 * 60 + 20
    fake.token_lifetime = 12 * 3600
    await asyncio.gather(
        slack.command("reminders", user=ANN, team=T1),
        slack.command("timezone", user="U0ANA", team=T1),
    )

    refreshes = [
        c for c in fake.calls_to("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"
    ]
    assert len(refreshes) == 1  # once, although two requests wanted the token together
    first_after, second = fake.bot_tokens(T1)
    assert first_after == first
    assert tokens_used(fake, "users.info", user="U0ANA") == [second]
    assert fake.accepted[-1].token == second
    assert all(call.token != first for call in fake.calls[-2:])
    issued = [t for t in fake.tokens if t.startswith(("xoxb-t0one", "xoxe-"))]
    assert issued and not [t for t in issued if t in caplog.text]
    assert CLIENT_SECRET not in caplog.text


async def test_the_fake_refuses_expired_and_revoked_tokens(deployment: Deployment) -> None:
    fake = deployment.fake
    await deployment.install(T1)
    await deployment.install(T2)
    [one], [two] = fake.bot_tokens(T1), fake.bot_tokens(T2)
    fake.expire(one)
    fake.revoke(T2)

    async with aiohttp.ClientSession() as http:
        answers = []
        for token in (one, two, "xoxb-unknown"):
            headers = {"Authorization": f"Bearer {token}"}
            async with http.post(fake.api_url + "auth.test", headers=headers) as answer:
                answers.append((await answer.json())["error"])

    assert answers == ["token_expired", "token_revoked", "invalid_auth"]


async def test_a_rate_limited_workspace_does_not_hold_up_another(deployment: Deployment) -> None:
    fake = deployment.fake
    await deployment.install(T1)
    await deployment.install(T2)
    messenger = deployment.runtime.app.messenger
    fake.fail("chat.postMessage", status=429, retry_after=30)

    with pytest.raises(DeliveryError) as limited:
        await messenger.send_direct(Recipient("slack", T2, BEN), Reply("one"), key="k-ben")
    async with asyncio.timeout(5):  # Team One's budget is its own: no 30 s pause here
        sent = await messenger.send_direct(Recipient("slack", T1, ANN), Reply("two"), key="k-ann")

    assert limited.value.retry_after == 30
    assert sent.startswith(f"D{ANN}:")
    assert messenger.rate_limited == 1
    assert tokens_used(fake, "chat.postMessage", channel=f"D{ANN}") == fake.bot_tokens(T1)


async def test_a_delivery_to_a_workspace_never_installed_is_undelivered_not_retried(
    deployment: Deployment,
) -> None:
    messenger = deployment.runtime.app.messenger

    with pytest.raises(DeliveryError) as failed:
        await messenger.send_direct(Recipient("slack", T2, BEN), Reply("hi"), key="k")

    assert (failed.value.reason, failed.value.permanent) == ("not_installed", True)
    assert deployment.fake.calls_to("conversations.open") == []


async def test_a_failed_refresh_is_retried_later_not_given_up(deployment: Deployment) -> None:
    fake = deployment.fake
    fake.token_lifetime = 3600  # inside the 2 h window from the start: every use refreshes
    await deployment.install(T1)
    fake.token_lifetime = 12 * 3600
    messenger = deployment.runtime.app.messenger
    fake.fail("oauth.v2.access", error="internal_error")
    ann = Recipient("slack", T1, ANN)

    with pytest.raises(DeliveryError) as failed:
        await messenger.send_direct(ann, Reply("one"), key="k1")
    sent = await messenger.send_direct(ann, Reply("one"), key="k1")

    assert (failed.value.reason, failed.value.permanent) == ("internal_error", False)
    assert sent.startswith(f"D{ANN}:")
    assert tokens_used(fake, "chat.postMessage") == [fake.bot_tokens(T1)[-1]]
