"""A member's first contact is stamped with the bot's Clock, never the machine's wall clock."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Member, Workspace
from tests.conftest import START


async def test_new_member_and_workspace_get_the_clocks_time(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    assert clock.now() == START  # not today: a read of the machine's clock would not match
    await chat.say("/timezone")
    async with core.sessions() as session:
        member_created = await session.scalar(select(Member.created_at))
        workspace_created = await session.scalar(select(Workspace.created_at))
    assert member_created is not None and workspace_created is not None
    assert member_created.astimezone(UTC) == START
    assert workspace_created.astimezone(UTC) == START
