"""The real `mentorbot run` process against the fake Discord: sync, /remind, the reminder DM.

The fake serves from this test's event loop while the bot runs as a child process, so every wait
here is an asyncio wait with a deadline (`until`), never a blocking one.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.process import launched, until
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Member
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import text_of


async def test_the_real_process_syncs_answers_remind_and_sends_the_dm(tmp_path: Path) -> None:
    async with (
        FakeDiscord() as fake,
        launched(
            tmp_path,
            MENTORBOT_DISCORD_TOKEN=fake.token,
            MENTORBOT_DISCORD_API_BASE=fake.api_base,
            MENTORBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
            MENTORBOT_CONSOLE_LINGER_SECONDS="0",
        ) as bot,
    ):

        def synced() -> bool:
            return bool(fake.calls_to("PUT", r"/applications/\d+/commands"))

        await until(bot, "the bulk PUT of commands", synced, timeout=30)
        [put] = fake.calls_to("PUT", r"/applications/\d+/commands")
        assert put.status == 200
        assert {"remind", "reminders", "timezone", "help"} <= {c["name"] for c in put.body}

        def connected() -> bool:
            return bool(fake.gateway.identifies) and fake.gateway.is_connected()

        await until(bot, "IDENTIFY on the gateway", connected, timeout=15)
        assert fake.gateway.identifies[0]["token"] == fake.token

        ann = Member(fake.ids(), "ann")
        spec = fake.command("remind", guild_id=fake.guild_id)
        data = p.slash_data(spec, {"when": "in 1 second", "what": "stretch"})
        record = await fake.interact(p.APPLICATION_COMMAND, data, ann)

        def confirmed() -> bool:
            shown = record.messages
            return bool(shown) and not int(shown[0].get("flags", 0)) & p.LOADING

        await until(bot, "the /remind confirmation", confirmed, timeout=10)
        assert record.callback_type in (p.CHANNEL_MESSAGE, p.DEFERRED_MESSAGE)
        assert "stretch" in text_of(record.messages[0])

        await until(bot, "the reminder DM", lambda: fake.dms(ann.id), timeout=15)
        [dm] = fake.dms(ann.id)
        assert "⏰ **Reminder:** stretch" in dm["content"]

        assert bot.process.poll() is None, "the bot exited (did the console read stdin?)"
        assert bot.lines == []  # the console would have echoed "> /help"
        assert not any("mentorbot console" in line for line in bot.lines + bot.errors)
    assert bot.process.returncode == 0  # SIGTERM is a graceful stop
