"""Closed DMs: what the queue could not deliver, told privately on the member's next command.

A member who closed their DMs (or blocked the bot) still gets what was meant for them: the queue
keeps each such row as `undelivered`, and the first command they use afterwards answers with a
private list of it (one line per row, from its kind's `describe`). The set of such members is
kept in memory so the check costs no query on the usual command; it is re-read now and then
because on PostgreSQL other processes record failures too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import markup, tasks
from bot.chat import Actor, Reply
from bot.storage.tables import Delivery, DeliveryStatus, Member, Workspace

if TYPE_CHECKING:
    from bot.queue import DeliveryKind

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0
NOTICE_ITEMS = 10
MemberKey = tuple[str, str, str]  # platform, workspace, user


class ClosedDMs:
    """Who has undelivered messages, and the one-time notice that shows them."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], kinds: Mapping[str, DeliveryKind]
    ) -> None:
        self.sessions = sessions
        self.kinds = kinds
        self.members: set[MemberKey] = set()
        self._refresher: asyncio.Task[None] | None = None

    def add(self, platform: str, workspace: str, user_id: str) -> None:
        """A DM to this member failed for good: tell them on their next command."""
        self.members.add((platform, workspace, user_id))

    async def start(self) -> None:
        await self.load()
        if self._refresher is None:
            self._refresher = asyncio.create_task(self._refresh())

    async def stop(self) -> None:
        await tasks.stop(self._refresher)
        self._refresher = None

    async def load(self) -> None:
        async with self.sessions() as session:
            rows = await session.execute(
                select(Workspace.platform, Workspace.external_id, Member.user_id)
                .join(Member, Member.workspace_id == Workspace.id)
                .join(Delivery, Delivery.member_id == Member.id)
                .where(Delivery.status == DeliveryStatus.UNDELIVERED)
                .distinct()
            )
            self.members = {(platform, workspace, user) for platform, workspace, user in rows}

    async def _refresh(self) -> None:
        """Other processes (PostgreSQL deployments) record failed DMs too: re-read now and then."""
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self.load()
            except Exception:
                log.exception("refreshing undelivered deliveries failed")

    async def notice(self, actor: Actor) -> Reply | None:
        """What we could not DM `actor`, once; None (and no query) if nothing is known."""
        key = (actor.platform, actor.workspace_id, actor.user_id)
        if key not in self.members:
            return None
        async with self.sessions.begin() as session:
            found = (
                await session.execute(
                    select(Delivery.id, Delivery.kind, Delivery.subject_id)
                    .join(Member, Member.id == Delivery.member_id)
                    .join(Workspace, Workspace.id == Member.workspace_id)
                    .where(
                        Workspace.platform == actor.platform,
                        Workspace.external_id == actor.workspace_id,
                        Member.user_id == actor.user_id,
                        Delivery.status == DeliveryStatus.UNDELIVERED,
                    )
                    .order_by(Delivery.due_at)
                )
            ).all()
            rows = [(delivery_id, kind, subject_id) for delivery_id, kind, subject_id in found]
            if not rows:
                self.members.discard(key)
                return None
            lines = await self._describe(session, rows)
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_([delivery_id for delivery_id, _, _ in rows]))
                .values(status=DeliveryStatus.SHOWN)
            )
        # Only once shown: a failure not yet recorded keeps the flag for next time.
        self.members.discard(key)
        items = "\n".join(
            f"• {markup.escape(lines.get(delivery_id, 'a message'))}"
            for delivery_id, _, _ in rows[:NOTICE_ITEMS]
        )
        return Reply(
            "📭 I couldn't send you these messages because your DMs are closed:\n"
            f"{items}\nOpen your DMs to the bot to get them on time."
        )

    async def _describe(
        self, session: AsyncSession, rows: list[tuple[int, str, int]]
    ) -> dict[int, str]:
        """One line per delivery id, from each kind's `describe` (batched per kind)."""
        by_kind: dict[str, list[tuple[int, int]]] = {}
        for delivery_id, name, subject_id in rows:
            by_kind.setdefault(name, []).append((delivery_id, subject_id))
        lines: dict[int, str] = {}
        for name, pairs in by_kind.items():
            kind = self.kinds.get(name)
            if kind is None or kind.describe is None:
                continue
            texts = await kind.describe(session, [subject for _, subject in pairs])
            lines.update((did, texts[subject]) for did, subject in pairs if subject in texts)
        return lines
