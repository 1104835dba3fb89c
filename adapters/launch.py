"""The composition root for `mentorbot run`: which adapters start, given the settings.

Platform SDKs are imported only when their tokens are set (discord.py and slack_bolt cost
~200 ms each to import); with no tokens the console chat is the embedded default.
"""

from __future__ import annotations

import asyncio

from bot.app import Core
from bot.settings import Settings


async def run_adapters(core: Core, settings: Settings) -> None:
    runners = []
    if settings.discord_token:
        from adapters.discord.setup import run_discord

        runners.append(run_discord(core, settings))
    if settings.slack_bot_token:
        from adapters.slack.setup import run_slack

        runners.append(run_slack(core, settings))
    if not runners:
        from adapters.console.run import run_console

        await run_console(core)
        return
    await asyncio.gather(*runners)
