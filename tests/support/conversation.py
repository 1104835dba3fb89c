"""Helpers for conversation tests in the console harness: row counts, the dispatcher at rest.

What the bot answered is read from `ConsoleChat.say()` itself: a `Said` with `.text`,
`.button(label)` and `.replies`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

from sqlalchemy import func, select

from bot import markup
from bot.app import Core
from bot.storage.tables import Base


async def count(core: Core, table: type[Base], **where: object) -> int:
    """Rows in `table`, optionally only those whose columns equal the given values."""
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(getattr(table, column) == value)
    async with core.sessions() as session:
        return int(await session.scalar(query) or 0)


def command_mentions_outside_code(text: str, commands: Iterable[str]) -> list[str]:
    """`/command` mentions in reply markup that are not code spans (Slack cannot rewrite them)."""
    names = "|".join(sorted((re.escape(name) for name in commands), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/])/(?:{names})(?![\w-])")
    found: list[str] = []
    for token in markup.parse(text):
        if token.kind in {"text", "bold", "italic"}:
            found.extend(pattern.findall(token.text))
    return found


async def dispatcher_idle(core: Core, timeout: float = 10.0) -> None:
    """Wait until the dispatcher's current pass (sends *and* their recorded outcomes) is over.

    Only meaningful once a send of that pass has been seen: the dispatcher clears `idle` before a
    pass and sets it after a pass that found nothing more to claim.
    """
    await asyncio.wait_for(core.queue.idle.wait(), timeout)
