"""Helpers for conversation tests in the console harness: buttons, row counts, reply spies."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

from sqlalchemy import func, select

from bot import markup
from bot.app import Core
from bot.chat import Event, Response
from bot.storage.tables import Base

_BUTTON = re.compile(r"\[(\d+)\] (.+?)(?=\s{2}\[\d+\]|\s*$)")


def buttons(lines: Iterable[str]) -> dict[str, str]:
    """Button label -> the number to type to press it (the last one shown wins)."""
    found: dict[str, str] = {}
    for line in lines:
        for number, label in _BUTTON.findall(line):
            found[label.strip()] = number
    return found


def button(lines: Iterable[str], label: str) -> str:
    """The number to type to press the button labelled exactly `label`."""
    shown = buttons(lines)
    if label not in shown:
        raise AssertionError(f"no button {label!r} in {sorted(shown)}")
    return shown[label]


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


class ReplySpy:
    """Records the markup of every reply `core.dispatch` answers (install on a Core)."""

    def __init__(self, core: Core) -> None:
        self.texts: list[str] = []
        self._dispatch = core.dispatch

        async def dispatch(event: Event) -> Response:
            response = await self._dispatch(event)
            self.texts.extend(reply.text for reply in response.replies)
            return response

        core.dispatch = dispatch  # type: ignore[method-assign]


async def dispatcher_idle(core: Core, timeout: float = 10.0) -> None:
    """Wait until the dispatcher's current pass (sends *and* their recorded outcomes) is over.

    Only meaningful once a send of that pass has been seen: the dispatcher clears `idle` before a
    pass and sets it after a pass that found nothing more to claim.
    """
    await asyncio.wait_for(core.queue.idle.wait(), timeout)
