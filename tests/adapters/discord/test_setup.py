"""Setting the bot up: the invite URL, the settings it reads, and `run_discord` end to end."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from adapters.discord.client import Options, intents
from adapters.discord.setup import invite_url, run_discord
from bot.app import Core
from tests.conftest import make_settings
from tests.fakes.discord_server import FakeDiscord


def test_the_invite_asks_for_the_two_scopes_and_no_permissions() -> None:
    url = invite_url("123456789012345678")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "discord.com", "/oauth2/authorize")
    assert parse_qs(parts.query) == {
        "client_id": ["123456789012345678"],
        "scope": ["bot applications.commands"],
        "permissions": ["0"],
    }


def test_no_privileged_intents() -> None:
    wanted = intents()
    assert not (wanted.members or wanted.presences or wanted.message_content)
    assert wanted.value == discord.Intents(guilds=True).value


def test_options_come_from_the_settings(store_url: str) -> None:
    settings = make_settings(
        store_url, discord_dev_guild="42", discord_shard_count=4, discord_shard_ids="2, 3"
    )
    assert Options.from_settings(settings) == Options(dev_guild=42, shard_count=4, shard_ids=(2, 3))
    assert Options.from_settings(make_settings(store_url)) == Options()


def test_shard_ids_need_a_shard_count(store_url: str) -> None:
    with pytest.raises(ValueError, match="SHARD_COUNT"):
        Options.from_settings(make_settings(store_url, discord_shard_ids="1"))


async def test_run_discord_connects_syncs_and_delivers(
    fake: FakeDiscord, core: Core, store_url: str
) -> None:
    settings = make_settings(
        store_url,
        discord_token=fake.token,
        discord_api_base=fake.api_base + "/",
        discord_gateway_url=fake.gateway_url,
    )
    discord.http.Route.BASE = "https://discord.invalid/api/v10"  # run_discord must set it
    running = asyncio.create_task(run_discord(core, settings))
    try:
        await fake.wait_until(lambda: fake.gateway.is_connected() or running.done())
        assert not running.done()
        assert fake.calls_to("PUT", r"/applications/\d+/commands")
        assert "discord" in core.messengers
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def test_run_discord_needs_a_token(core: Core, store_url: str) -> None:
    with pytest.raises(ValueError, match="MENTORBOT_DISCORD_TOKEN"):
        await run_discord(core, make_settings(store_url))
