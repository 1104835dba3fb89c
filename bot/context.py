"""What every feature's handlers are built with (passed in, never global)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import Actor
from bot.clock import Clock
from bot.profile.service import MemberInfo, Profiles
from bot.settings import Settings


@dataclass(frozen=True)
class Context:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    profiles: Profiles
    # Call after queueing a delivery (due at that moment, if known): the queue wakes if sooner.
    wake_queue: Callable[[datetime | None], None]

    @asynccontextmanager
    async def transaction(self, actor: Actor) -> AsyncIterator[tuple[AsyncSession, MemberInfo]]:
        """One transaction for one member's request: all of it is written, or none of it."""
        async with self.sessions.begin() as session:
            yield session, await self.profiles.member(session, actor)
