"""The real discord.py client connects to Discord, identifies without privileged intents and
publishes every command in the core's catalogue."""

from __future__ import annotations

from dataclasses import replace

import discord
import pytest

from adapters.discord.client import MentorClient
from bot.app import Core
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import FAST, DiscordHarness
from tests.support.network import NonLoopbackTraffic


async def test_the_bot_logs_in_identifies_and_gets_ready(discord_: DiscordHarness) -> None:
    fake = discord_.fake
    [identify] = fake.gateway.identifies
    assert identify["token"] == fake.token
    assert identify["intents"] == discord.Intents(guilds=True).value
    assert fake.gateway.compression in (["zlib-stream"], ["zstd-stream"])  # what discord.py asked
    assert discord_.client is not None and discord_.client.is_ready()


async def test_every_core_command_is_synced_globally_for_servers_and_dms(
    discord_: DiscordHarness, core: Core
) -> None:
    [put] = discord_.fake.calls_to("PUT", r"/applications/\d+/commands")
    published = {command["name"]: command for command in put.body}
    for spec in core.router.catalogue:
        command = published[spec.name]
        assert command["type"] == 1
        assert command["description"] == spec.description[:100]
        assert command["contexts"] == [0, 1]
        assert command["integration_types"] == [0]
        options = {option["name"]: option for option in command.get("options", [])}
        assert set(options) == {option.name for option in spec.options}
        for option in spec.options:
            sent = options[option.name]
            assert sent["type"] == {"string": 3, "integer": 4, "boolean": 5}[option.kind]
            assert sent.get("required", False) == option.required
            assert sent.get("autocomplete", False) == option.autocomplete
            if option.max_length:
                assert sent["max_length"] == option.max_length
    for action in core.router.message_catalogue:
        assert published[action.label]["type"] == 3
    assert len(published) == len(list(core.router.catalogue)) + len(
        list(core.router.message_catalogue)
    )


async def test_a_dev_guild_gets_the_commands_instantly_instead(
    fake: FakeDiscord, core: Core
) -> None:
    harness = DiscordHarness(fake, core)
    await harness.start(options=replace(FAST, dev_guild=int(fake.guild_id)))
    try:
        assert not fake.calls_to("PUT", r"/applications/\d+/commands")
        [put] = fake.calls_to("PUT", rf"/applications/\d+/guilds/{fake.guild_id}/commands")
        assert "remind" in {command["name"] for command in put.body}
        record = await harness.slash("help", harness.member("ann"))
        assert "/remind" in record.messages[0]["content"]
    finally:
        await harness.stop()


async def test_without_the_endpoint_overrides_nothing_leaves_this_machine(core: Core) -> None:
    client = MentorClient(core, FAST)
    async with client:
        with pytest.raises(NonLoopbackTraffic):
            await client.login("not-a-real-token")
