"""Slack wants an ack within 3 seconds: it is sent before the work, however slow the work is."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import Core
from bot.chat import Actor, Event, Reply, Response
from bot.delivery import Messenger
from tests.fakes.slack_server import FakeSlack
from tests.support.slack import SlackDriver, running


class SlowCore:
    """The real core, except that answering waits until the test opens the gate."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.router = core.router
        self.settings = core.settings
        self.gate = asyncio.Event()

    async def dispatch(self, event: Event) -> Response:
        await self.gate.wait()
        return await self.core.dispatch(event)

    async def first_time(self, key: str) -> bool:
        return await self.core.first_time(key)

    async def home(self, actor: Actor) -> Reply:
        return await self.core.home(actor)

    def attach(self, messenger: Messenger) -> None:
        self.core.attach(messenger)


@pytest.fixture(params=["http", "socket"])
async def slow(
    core: Core, fake_slack: FakeSlack, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[SlackDriver, SlowCore]]:
    gated = SlowCore(core)
    async with running(gated, fake_slack, str(request.param)) as driver:
        yield driver, gated


async def test_a_command_is_acked_before_it_is_answered(
    slow: tuple[SlackDriver, SlowCore],
) -> None:
    slack, gated = slow
    payload = slack.command_payload("remind in 1 hour stretch")

    ack = await slack.send("command", payload, wait=False)

    assert ack.status == 200
    assert slack.fake.posted == []  # acked, not yet answered
    gated.gate.set()
    await slack.runtime.app.idle()
    assert "I'll remind you" in str(slack.fake.posted[0].body)


async def test_a_slow_modal_submission_closes_and_answers_later(
    slow: tuple[SlackDriver, SlowCore],
) -> None:
    slack, gated = slow
    slack.runtime.app.ack_budget = 0.05  # instead of 2.5 s, so the test is quick
    view = slack.runtime.app.renderer.menu(
        gated.router.catalogue,
        metadata="",
        form_id="mentorbot.menu",
        command_input="command",
        details_input="details",
    )

    ack = await slack.submit(
        view, {"command": "remind", "details": "in 1 hour stretch"}, wait=False
    )

    assert ack.status == 200
    assert ack.body == {}  # the modal closes; the answer follows
    assert slack.fake.calls_to("chat.postMessage") == []
    gated.gate.set()
    await slack.runtime.app.idle()
    dm = (await slack.fake.wait_calls("chat.postMessage"))[0].params
    assert "I'll remind you" in str(dm["blocks"])
