"""Claiming due rows and composing their messages: the reads and the claim of one batch.

A batch is claimed (`pending -> sending`) with one conditional `UPDATE … RETURNING` (`SKIP
LOCKED` on PostgreSQL) and committed before anything is sent, so two processes never send one
row; each kind's `prepare` runs inside that same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import Reply
from bot.queue.kinds import Claim, DeliveryKind, Due, Outcome, by_kind
from bot.storage.tables import Delivery, DeliveryStatus, Member, Workspace
from bot.time.zones import safe_zone

log = logging.getLogger(__name__)

CLAIM_COLUMNS = tuple(getattr(Delivery, field.name) for field in fields(Claim))


class Claims:
    """Claims batches of due rows and turns them into composed messages."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        kinds: Mapping[str, DeliveryKind],
        *,
        default_tz: str,
        batch: int,
    ) -> None:
        self.sessions = sessions
        self.kinds = kinds
        self.default_tz = default_tz
        self.batch = batch

    async def claim(self, now: datetime, platforms: Sequence[str]) -> list[Due]:
        """Claim up to `batch` due rows in one statement, run their kinds' `prepare`, and read
        their destinations, in one transaction; the rows come back in due order."""
        if not platforms:
            return []
        async with self.sessions.begin() as session:
            due = (
                select(Delivery.id)
                .where(
                    Delivery.status == DeliveryStatus.PENDING,
                    Delivery.due_at <= now,
                    Delivery.platform.in_(platforms),
                )
                .order_by(Delivery.due_at)
                .limit(self.batch)
            )
            if session.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            result = await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(due.scalar_subquery()))
                .values(
                    status=DeliveryStatus.SENDING, claimed_at=now, attempts=Delivery.attempts + 1
                )
                .returning(*CLAIM_COLUMNS)
                .execution_options(synchronize_session=False)
            )
            # Positional on purpose: CLAIM_COLUMNS lists Claim's fields in order (fast per row).
            claims = sorted((Claim(*row) for row in result), key=lambda claim: claim.id)
            for name, group in by_kind(claims, lambda claim: claim.kind).items():
                kind = self.kinds.get(name)
                if kind is not None and kind.prepare is not None:
                    await kind.prepare(session, group, now)
            return await self._destinations(session, [claim.id for claim in claims])

    async def _destinations(self, session: AsyncSession, ids: Sequence[int]) -> list[Due]:
        if not ids:
            return []
        rows = await session.execute(
            select(
                Delivery.id,
                Delivery.kind,
                Delivery.subject_id,
                Delivery.occurrence,
                Delivery.platform,
                Workspace.external_id,
                Delivery.member_id,
                Member.user_id,
                Delivery.channel_id,
                Member.tz,
                Workspace.default_tz,
                Delivery.recoveries,
                Member.dm_channel_id,
            )
            .join(Workspace, Workspace.id == Delivery.workspace_id)
            .outerjoin(Member, Member.id == Delivery.member_id)
            .where(Delivery.id.in_(ids))
            .order_by(Delivery.due_at, Delivery.id)
        )
        return [
            Due(
                id=delivery_id,
                kind=kind,
                subject_id=subject_id,
                occurrence=occurrence,
                platform=platform,
                workspace=workspace,
                member_id=member_id,
                user_id=user_id,
                channel_id=channel_id,
                tz=safe_zone(member_tz or workspace_tz, self.default_tz),
                recovered=bool(recoveries),
                dm_channel=dm_channel,
            )
            for (
                delivery_id,
                kind,
                subject_id,
                occurrence,
                platform,
                workspace,
                member_id,
                user_id,
                channel_id,
                member_tz,
                workspace_tz,
                recoveries,
                dm_channel,
            ) in rows
        ]

    async def compose(self, due: Sequence[Due]) -> dict[int, Reply | Outcome]:
        """Each claimed row's message, composed through its kind (one call per kind), or the
        outcome that replaces it (no handler, or the kind failed)."""
        async with self.sessions() as session:
            messages: dict[int, Reply | Outcome] = {}
            for name, group in by_kind(due, lambda item: item.kind).items():
                messages.update(await self._compose_kind(session, name, group))
        return messages

    async def _compose_kind(
        self, session: AsyncSession, name: str, group: Sequence[Due]
    ) -> Mapping[int, Reply | Outcome]:
        """One kind's messages; a kind that fails (a bug) delays only its own rows."""
        kind = self.kinds.get(name)
        if kind is None:
            log.error("no handler for delivery kind %r; %d rows not sent", name, len(group))
            return {item.id: Outcome(item.id, permanent_error=f"no kind {name}") for item in group}
        try:
            return await kind.compose(session, group)
        except Exception:
            log.exception("composing %d %s deliveries failed; retrying later", len(group), name)
            return {item.id: Outcome(item.id, retry_after=60.0) for item in group}
