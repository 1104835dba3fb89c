"""Injected 429s and 5xx: answers still arrive once and no reminder delivery is lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery
from tests.fakes.slack_server import RESPOND
from tests.support.slack import SlackDriver, all_text


async def statuses(core: Core) -> list[str]:
    async with core.sessions() as session:
        return list((await session.scalars(select(Delivery.status))).all())


async def test_a_rate_limited_dm_is_sent_once(
    slack: SlackDriver, clock: FakeClock, core: Core
) -> None:
    await slack.command("remind in 1 hour stretch")
    slack.fake.fail("chat.postMessage", status=429, retry_after=0)

    clock.advance(timedelta(hours=1))
    await slack.fake.wait_calls("chat.postMessage", 2)

    await wait_status(core, ["sent"])
    assert len(slack.fake.calls_to("chat.postMessage")) == 2  # the 429, then the DM
    assert "stretch" in all_text(slack.fake.calls_to("chat.postMessage")[1].params)


async def test_a_dm_that_keeps_failing_is_retried_by_the_core(
    slack: SlackDriver, clock: FakeClock, core: Core
) -> None:
    await slack.command("remind in 1 hour stretch")
    slack.fake.fail("chat.postMessage", status=500, times=3)  # all of the client's attempts

    clock.advance(timedelta(hours=1))
    await slack.fake.wait_calls("chat.postMessage", 3)
    await wait_status(core, ["pending"])

    clock.advance(timedelta(seconds=30))
    await slack.fake.wait_calls("chat.postMessage", 4)
    await wait_status(core, ["sent"])
    assert len(slack.fake.calls_to("chat.postMessage")) == 4  # three 500s, one delivery


async def wait_status(core: Core, expected: list[str]) -> None:
    """Poll the database with a deadline (the dispatcher records outcomes asynchronously)."""
    async with asyncio.timeout(5):
        while await statuses(core) != expected:
            await asyncio.sleep(0.01)


async def test_a_failing_response_url_is_retried(slack: SlackDriver) -> None:
    slack.fake.fail(RESPOND, status=500)

    exchange = await slack.command("help")

    assert len(exchange.posts) == 1
    assert "`/mentor remind`" in exchange.text


async def test_a_dead_response_url_falls_back_to_a_dm(slack: SlackDriver) -> None:
    slack.fake.fail(RESPOND, status=404, times=1)

    exchange = await slack.command("help")

    assert exchange.posts == []
    dm = (await slack.fake.wait_calls("chat.postMessage"))[0].params
    assert "`/mentor remind`" in all_text(dm)


async def test_a_rate_limited_profile_lookup_is_retried(slack: SlackDriver) -> None:
    slack.fake.user("U0ALICE", tz="Asia/Kolkata")
    slack.fake.fail("users.info", status=429, retry_after=0)

    exchange = await slack.command("remind in 1 hour stretch")

    assert "Asia/Kolkata" in exchange.text


async def test_a_modal_opens_despite_a_server_error(slack: SlackDriver) -> None:
    slack.fake.fail("views.open", status=503)

    await slack.global_shortcut()

    assert len(slack.fake.calls_to("views.open")) == 2
    assert slack.last_view()["callback_id"] == "mentorbot.menu"
