"""Fixtures for the Discord scenarios: the fake Discord, the real core, the real client.

discord.py reads its endpoints from class attributes; every test points them at its own fake
(port 0) and puts them back afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.setup import use_endpoints
from bot.app import Core
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import DiscordHarness


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket,
        "DEFAULT_GATEWAY",
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )
    async with FakeDiscord() as server:
        use_endpoints(server.api_base, server.gateway_url)
        yield server


@pytest.fixture
async def discord_(fake: FakeDiscord, core: Core) -> AsyncIterator[DiscordHarness]:
    """The mentorbot Discord client, connected to the fake and serving the real core."""
    harness = DiscordHarness(fake, core)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
