"""What every feature's handlers are built with (passed in, never global)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import Actor
from bot.clock import Clock
from bot.delivery import Messenger
from bot.profile.service import MemberInfo, Profiles
from bot.settings import Settings


class MemberDataHook(Protocol):
    """A feature's part of a member's data (the `export_member`/`delete_member` hooks)."""

    @property
    def name(self) -> str: ...

    async def export_member(
        self, session: AsyncSession, member: MemberInfo
    ) -> Mapping[str, object]: ...

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int: ...


@dataclass
class MemberData:
    """Every feature's member-data hooks, in feature-list order (filled by `bot.features.build`),
    so `/mydata` can run all of them inside its own one transaction."""

    hooks: Sequence[MemberDataHook] = ()

    async def export(
        self, session: AsyncSession, member: MemberInfo
    ) -> dict[str, Mapping[str, object]]:
        """Each feature's part, keyed by the feature's name."""
        return {hook.name: await hook.export_member(session, member) for hook in self.hooks}

    async def delete(self, session: AsyncSession, member: MemberInfo) -> dict[str, int]:
        """Rows removed per feature, in reverse list order: the profile (the member row) last."""
        return {
            hook.name: await hook.delete_member(session, member) for hook in reversed(self.hooks)
        }


@dataclass(frozen=True)
class Context:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    profiles: Profiles
    # Call after queueing a delivery (due at that moment, if known): the queue wakes if sooner.
    wake_queue: Callable[[datetime | None], None]
    # The attached platforms' messengers (filled by `Core.attach`): for the rare send that is not
    # a queued delivery (the check-in digest, until the queue posts in channels).
    messengers: Mapping[str, Messenger] = field(default_factory=dict)
    member_data: MemberData = field(default_factory=MemberData)

    @asynccontextmanager
    async def transaction(self, actor: Actor) -> AsyncIterator[tuple[AsyncSession, MemberInfo]]:
        """One transaction for one member's request: all of it is written, or none of it."""
        async with self.sessions.begin() as session:
            yield session, await self.profiles.member(session, actor)
