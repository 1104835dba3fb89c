"""The real `mentorbot run` on Discord survives gateway events discord.py cannot read.

An interaction without `data` used to raise inside discord.py's receive loop and end the whole
process. Now it is logged and dropped, on the same gateway session: the next `/remind` is
answered and its DM delivered, and the bot never had to identify again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from tests.e2e.process import BotProcess
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Member
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import text_of


async def until(
    fake: FakeDiscord, bot: BotProcess, what: str, check: Callable[[], object], timeout: float
) -> None:
    """Wait without blocking the loop (the fake serves from it) until `check()` holds."""
    with contextlib.suppress(TimeoutError):
        await fake.wait_until(lambda: check() or bot.process.poll() is not None, timeout)
    if not check():
        raise AssertionError(
            f"{what}: not seen within {timeout}s (exit code {bot.process.poll()})\n"
            "stderr:\n" + "\n".join(bot.errors)
        )


def without_data(fake: FakeDiscord, kind: int, member: Member) -> p.Json:
    payload = p.interaction_payload(
        interaction_id=fake.ids(),
        application_id=fake.application_id,
        kind=kind,
        data={},
        member=member,
        channel_id=fake.channel_id,
        guild_id=fake.guild_id,
    )
    del payload["data"]
    return payload


async def test_an_interaction_without_data_is_dropped_and_the_bot_keeps_serving(
    store_url: str, tmp_path: Path
) -> None:
    async with FakeDiscord() as fake:
        bot = BotProcess(
            store_url,
            tmp_path,
            MENTORBOT_DISCORD_TOKEN=fake.token,
            MENTORBOT_DISCORD_API_BASE=fake.api_base,
            MENTORBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        try:
            assert bot.process.stdin is not None
            bot.process.stdin.close()

            def connected() -> bool:
                return bool(fake.gateway.identifies) and fake.gateway.is_connected()

            await until(fake, bot, "IDENTIFY on the gateway", connected, 60)
            ann = Member(fake.ids(), "ann")
            for kind in (p.MESSAGE_COMPONENT, p.MODAL_SUBMIT):
                payload = without_data(fake, kind, ann)
                await fake.gateway.dispatch("INTERACTION_CREATE", payload, guild_id=fake.guild_id)

            def dropped() -> bool:
                return sum("dropped a INTERACTION_CREATE event" in e for e in bot.errors) >= 2

            await until(fake, bot, "the malformed events logged", dropped, 15)

            spec = fake.command("remind", guild_id=fake.guild_id)
            data = p.slash_data(spec, {"when": "in 1 second", "what": "stretch"})
            record = await fake.interact(p.APPLICATION_COMMAND, data, ann)

            def confirmed() -> bool:
                shown = record.messages
                return bool(shown) and not int(shown[0].get("flags", 0)) & p.LOADING

            await until(fake, bot, "the /remind confirmation", confirmed, 15)
            assert "stretch" in text_of(record.messages[0])
            await until(fake, bot, "the reminder DM", lambda: fake.dms(ann.id), 15)
            assert "stretch" in fake.dms(ann.id)[0]["content"]

            assert bot.process.poll() is None
            assert len(fake.gateway.identifies) == 1, "the client restarted instead of dropping"
            assert not any("Traceback" in line for line in bot.errors), "\n".join(bot.errors)
        finally:
            if bot.process.poll() is None:
                bot.process.terminate()
            code = await asyncio.to_thread(bot.finish, 10)
        assert code == 0  # SIGTERM is a graceful stop
