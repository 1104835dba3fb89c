"""Members and their workspaces: who someone is in our tables, and which zone they live in."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Actor
from bot.clock import Clock
from bot.storage.tables import Member, Workspace
from bot.storage.upsert import insert_ignore
from bot.time.zones import get_zone, safe_zone


@dataclass(frozen=True)
class MemberInfo:
    """A member as the services need them; `new` is true on their very first contact."""

    id: int
    workspace_id: int
    platform: str
    workspace: str  # the platform's workspace id
    user_id: str
    tz_name: str
    tz_explicit: bool
    new: bool = False
    tz_from_platform: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return get_zone(self.tz_name)


@dataclass(frozen=True)
class ZoneChange:
    """Members whose zone just changed from `old` to `new` (one member, or a workspace default).

    Handed to every listener inside the transaction that changes the zone, so what follows the
    zone (a repeating reminder's next firing) moves in the same commit or not at all.
    """

    workspace_id: int
    platform: str
    member_ids: tuple[int, ...]
    old: str
    new: str


# What a feature registers to follow zone changes; returns how many of its things moved.
ZoneListener = Callable[[AsyncSession, ZoneChange], Awaitable[int]]


# Built once: this lookup runs on every command.
MEMBER_LOOKUP = (
    select(Member.id, Member.workspace_id, Member.tz, Workspace.default_tz)
    .join(Workspace, Workspace.id == Member.workspace_id)
    .where(
        Workspace.platform == bindparam("platform"),
        Workspace.external_id == bindparam("workspace"),
        Member.user_id == bindparam("user"),
    )
)
MemberKey = tuple[str, str, str]  # platform, workspace, user
CACHE_SECONDS = 30.0
CACHE_SIZE = 20_000


class Profiles:
    """Looks members up, creating them on first contact.

    Known members are cached for a few seconds: the lookup runs on every command, and on SQLite
    each query is a thread hop. Only rows that already existed are cached (a row created in a
    transaction that later rolls back must not be), and changes made here evict the entry.
    """

    def __init__(self, default_timezone: str, clock: Clock) -> None:
        self.default_timezone = default_timezone
        self.clock = clock
        self._cache: dict[MemberKey, tuple[float, MemberInfo]] = {}
        self._zone_listeners: list[ZoneListener] = []

    def on_zone_change(self, listener: ZoneListener) -> None:
        """Call `listener` in the transaction of every zone change (features register at build)."""
        self._zone_listeners.append(listener)

    def forget(self, key: MemberKey | None = None) -> None:
        if key is None:
            self._cache.clear()
        else:
            self._cache.pop(key, None)

    async def workspace_id(self, session: AsyncSession, platform: str, external_id: str) -> int:
        query = select(Workspace.id).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
        found = await session.scalar(query)
        if found is not None:
            return found
        await insert_ignore(
            session,
            Workspace,
            {"platform": platform, "external_id": external_id, "created_at": self.clock.now()},
        )
        found = await session.scalar(query)
        assert found is not None
        return found

    async def member(self, session: AsyncSession, actor: Actor) -> MemberInfo:
        """The member behind `actor`, created on first contact (with the platform's zone)."""
        key = (actor.platform, actor.workspace_id, actor.user_id)
        cached = self._cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        row = (
            await session.execute(
                MEMBER_LOOKUP,
                {
                    "platform": actor.platform,
                    "workspace": actor.workspace_id,
                    "user": actor.user_id,
                },
            )
        ).first()
        new = False
        from_platform = False
        if row is None:
            workspace_id = await self.workspace_id(session, actor.platform, actor.workspace_id)
            platform_tz = actor.platform_tz if _valid_zone(actor.platform_tz) else None
            inserted = await insert_ignore(
                session,
                Member,
                {
                    "workspace_id": workspace_id,
                    "user_id": actor.user_id,
                    "display_name": actor.display_name[:100],
                    "tz": platform_tz,
                    "created_at": self.clock.now(),
                },
            )
            new = inserted
            from_platform = inserted and platform_tz is not None
            return await self._reload(session, actor, new=new, from_platform=from_platform)
        member_id, workspace_id, tz_name, workspace_tz = row
        info = MemberInfo(
            id=member_id,
            workspace_id=workspace_id,
            platform=actor.platform,
            workspace=actor.workspace_id,
            user_id=actor.user_id,
            tz_name=safe_zone(tz_name or workspace_tz, self.default_timezone).key,
            tz_explicit=tz_name is not None,
        )
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = (time.monotonic(), info)
        return info

    async def _reload(
        self, session: AsyncSession, actor: Actor, *, new: bool, from_platform: bool
    ) -> MemberInfo:
        info = await self.member(session, actor)
        self.forget((actor.platform, actor.workspace_id, actor.user_id))  # may yet roll back
        return replace(info, new=new, tz_from_platform=from_platform)

    async def set_member_zone(self, session: AsyncSession, member: MemberInfo, tz_name: str) -> int:
        """Set `member`'s own zone; returns how many things (repeating reminders) moved with it."""
        await session.execute(update(Member).where(Member.id == member.id).values(tz=tz_name))
        self.forget((member.platform, member.workspace, member.user_id))
        change = ZoneChange(
            member.workspace_id, member.platform, (member.id,), member.tz_name, tz_name
        )
        return await self._zone_changed(session, change)

    async def set_workspace_zone(
        self, session: AsyncSession, workspace_id: int, tz_name: str
    ) -> int:
        """Set the community default; members without their own zone (and their things) move."""
        old, platform = (
            await session.execute(
                select(Workspace.default_tz, Workspace.platform).where(Workspace.id == workspace_id)
            )
        ).one()
        await session.execute(
            update(Workspace).where(Workspace.id == workspace_id).values(default_tz=tz_name)
        )
        self.forget()
        following = await session.scalars(
            select(Member.id).where(Member.workspace_id == workspace_id, Member.tz.is_(None))
        )
        change = ZoneChange(
            workspace_id,
            platform,
            tuple(following),
            safe_zone(old, self.default_timezone).key,
            safe_zone(tz_name, self.default_timezone).key,
        )
        return await self._zone_changed(session, change)

    async def _zone_changed(self, session: AsyncSession, change: ZoneChange) -> int:
        if change.old == change.new or not change.member_ids:
            return 0
        return sum([await listener(session, change) for listener in self._zone_listeners])


def _valid_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        get_zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
