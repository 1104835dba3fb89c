"""Sharding through discord.py: a shard count, and the shard ids this process runs."""

from __future__ import annotations

from dataclasses import replace

from bot.app import Core
from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import FAST, DiscordHarness


def _guild_on_shard(fake: FakeDiscord, shard: int, count: int) -> str:
    """A guild id that Discord's rule, (id >> 22) % count, puts on `shard`."""
    timestamp = int(fake.ids()) >> 22
    return str((timestamp - timestamp % count + shard) << 22)


async def test_every_shard_identifies_and_serves_its_guilds(fake: FakeDiscord, core: Core) -> None:
    harness = DiscordHarness(fake, core, replace(FAST, shard_count=2))
    await harness.start()
    try:
        assert sorted(tuple(i["shard"]) for i in fake.gateway.identifies) == [(0, 2), (1, 2)]
        ann = harness.member("ann")
        for shard in (0, 1):
            guild = _guild_on_shard(fake, shard, 2)
            record = await fake.interact(
                p.APPLICATION_COMMAND, p.slash_data(fake.command("help"), {}), ann, guild_id=guild
            )
            await fake.answered(record)
        record = await fake.interact(
            p.APPLICATION_COMMAND, p.slash_data(fake.command("help"), {}), ann, in_dm=True
        )
        await fake.answered(record)
    finally:
        await harness.stop()


async def test_a_process_runs_only_its_own_shards(fake: FakeDiscord, core: Core) -> None:
    harness = DiscordHarness(fake, core, replace(FAST, shard_count=3, shard_ids=(1, 2)))
    await harness.start()
    try:
        assert sorted(tuple(i["shard"]) for i in fake.gateway.identifies) == [(1, 3), (2, 3)]
        assert not fake.calls_to("GET", "/gateway/bot")
    finally:
        await harness.stop()


async def test_without_a_count_discords_recommendation_is_used_on_our_gateway(
    fake: FakeDiscord, core: Core
) -> None:
    harness = DiscordHarness(fake, core)
    await harness.start()
    try:
        assert fake.calls_to("GET", "/gateway/bot")
        assert fake.gateway.identifies[0]["shard"] == [0, 1]
        assert fake.gateway.connection_paths == ["/gateway"]
    finally:
        await harness.stop()
