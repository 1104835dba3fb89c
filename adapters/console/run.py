"""`mentorbot run` without platform tokens: a terminal chat as a local member.

Interactive on a terminal; with piped input it runs the commands, then stays until nothing is due
within `MENTORBOT_CONSOLE_LINGER_SECONDS`, so a scripted demo sees its reminders arrive.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from typing import TextIO

from adapters.console.chat import META_HELP, ConsoleChat
from bot.app import Core


async def run_console(
    core: Core, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    interactive = stdin.isatty()

    def write(lines: list[str]) -> None:
        for line in lines:
            print(line, file=stdout)
        if interactive:
            print("> ", end="", file=stdout)
        stdout.flush()

    chat = ConsoleChat(core, user=core.settings.console_user, output=write)
    if interactive:
        write([f"mentorbot console — you are {chat.user}. {META_HELP}"])
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        if line.strip() in {"/quit", "/exit"}:
            return
        if not line.strip():
            continue
        if not interactive:
            write([f"> {line.rstrip()}"])
        await chat.say(line)
    await _linger(core, timedelta(seconds=core.settings.console_linger_seconds))


async def _linger(core: Core, horizon: timedelta) -> None:
    """Input ended: wait for deliveries due within `horizon`, then leave."""
    while True:
        earliest = await core.queue.earliest_due()
        now = core.clock.now()
        if earliest is None or earliest - now > horizon:
            return
        await asyncio.sleep(max(0.05, (earliest - now).total_seconds() + 0.05))
        # Give the queue a moment to deliver what just came due.
        for _ in range(100):
            again = await core.queue.earliest_due()
            if again is None or again > core.clock.now():
                break
            await asyncio.sleep(0.02)
