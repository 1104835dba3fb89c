"""When the core takes longer than Discord's 3-second window, the interaction is deferred and
the answer follows: the member never sees "The application did not respond"."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.app import Core
from bot.chat import Event, Response
from bot.delivery import Messenger
from bot.router import Router
from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import FAST, DiscordHarness, is_ephemeral, text_of


class HeldCore:
    """The real core, except that it answers only when the test opens `gate`."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.gate = asyncio.Event()
        self.gate.set()

    @property
    def router(self) -> Router:
        return self.core.router

    def attach(self, messenger: Messenger) -> None:
        self.core.attach(messenger)

    async def dispatch(self, event: Event) -> Response:
        await self.gate.wait()
        return await self.core.dispatch(event)


@pytest.fixture
async def held(fake: FakeDiscord, core: Core) -> AsyncIterator[tuple[DiscordHarness, HeldCore]]:
    slow = HeldCore(core)
    harness = DiscordHarness(fake, slow, replace(FAST, defer_after=0.05, autocomplete_timeout=0.1))
    await harness.start()
    try:
        yield harness, slow
    finally:
        slow.gate.set()
        await harness.stop()


async def test_a_slow_private_answer_fills_the_thinking_placeholder(
    held: tuple[DiscordHarness, HeldCore],
) -> None:
    harness, slow = held
    slow.gate.clear()
    record = await harness.slash("reminders", harness.member("ann"))
    assert record.callback == {"type": p.DEFERRED_MESSAGE, "data": {"flags": p.EPHEMERAL}}
    slow.gate.set()
    [answer] = await harness.settled(record)
    assert is_ephemeral(answer) and "no upcoming reminders" in text_of(answer)


async def test_a_slow_public_answer_replaces_the_placeholder(
    held: tuple[DiscordHarness, HeldCore],
) -> None:
    harness, slow = held
    slow.gate.clear()
    record = await harness.slash("remind", harness.member("ann"), when="in 5 days", what="demo")
    assert record.callback_type == p.DEFERRED_MESSAGE
    slow.gate.set()
    await harness.fake.wait_until(lambda: record.original_deleted)
    public = record.followups[0]
    assert not is_ephemeral(public) and "demo" in text_of(public)


async def test_a_slow_click_is_acknowledged_then_updates_the_message(
    held: tuple[DiscordHarness, HeldCore],
) -> None:
    harness, slow = held
    ann = harness.member("ann")
    for day in range(1, 6):
        await harness.slash("remind", ann, in_dm=True, when=f"in {day} days", what=f"task {day}")
    [listing] = await harness.settled(await harness.slash("reminders", ann))  # maybe deferred
    slow.gate.clear()
    record = await harness.click(listing, "Next ▶", ann)
    assert record.callback_type == p.DEFERRED_UPDATE
    slow.gate.set()
    await harness.fake.wait_until(lambda: "page 2 of 2" in text_of(listing))


async def test_a_form_that_comes_too_late_is_explained(
    held: tuple[DiscordHarness, HeldCore],
) -> None:
    harness, slow = held
    ann = harness.member("ann")
    await harness.slash("remind", ann, in_dm=True, when="in 2 days", what="stretch")
    [listing] = await harness.settled(await harness.slash("reminders", ann))  # maybe deferred
    slow.gate.clear()
    record = await harness.click(listing, "Edit 1", ann)
    slow.gate.set()
    await harness.fake.wait_until(lambda: record.followups)
    assert "too long to open the form" in text_of(record.followups[0])


async def test_a_slow_autocomplete_answers_nothing_rather_than_late(
    held: tuple[DiscordHarness, HeldCore],
) -> None:
    harness, slow = held
    slow.gate.clear()
    assert await harness.autocomplete("remind", harness.member("ann"), "when", "in 5") == []
