"""Recording outcomes: each send's result is written as soon as the platform answers.

Outcomes that arrive while a commit runs share the next one (group commit), but no outcome
waits for the rest of its batch: a crash leaves at most the sends in flight unrecorded.
After the commit, each kind's `after` hook runs in its own transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.queue.kinds import DeliveryKind, Due, Outcome, by_kind
from bot.storage.tables import Delivery, DeliveryStatus, Member

log = logging.getLogger(__name__)

MAX_BACKOFF = 900.0


class Records:
    """Writes outcomes (sent, retry later, undelivered) and runs the kinds' `after` hooks."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        kinds: Mapping[str, DeliveryKind],
        *,
        on_retry: Callable[[], None],
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.kinds = kinds
        self.on_retry = on_retry  # a row handed back to pending: the queue should look again
        self._unrecorded: list[tuple[Due, Outcome, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def record_soon(self, item: Due, outcome: Outcome) -> None:
        """Record one outcome now: outcomes that arrive while a commit runs share the next one."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._unrecorded.append((item, outcome, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="mentorbot-delivery-records")
        await asyncio.shield(done)

    async def drained(self, timeout: float) -> None:
        """Wait (at most `timeout` s) for the records being written to be committed."""
        if self._flusher is not None:
            await asyncio.wait({self._flusher}, timeout=timeout)

    async def _flush(self) -> None:
        while self._unrecorded:
            taken, self._unrecorded = self._unrecorded, []
            try:
                await self.record([outcome for _, outcome, _ in taken], [d for d, _, _ in taken])
            except Exception as error:  # left "sending": recovery and the lookup take over
                for _, _, done in taken:
                    if not done.done():
                        done.set_exception(error)
            else:
                for _, _, done in taken:
                    if not done.done():
                        done.set_result(None)

    async def record(self, outcomes: Sequence[Outcome], due: Sequence[Due] = ()) -> None:
        """Store each outcome (sent, retry later, undelivered), then run the kinds' `after`."""
        if not outcomes:
            return
        now = self.clock.now()
        rows: list[dict[str, object]] = []
        for outcome in outcomes:
            if outcome.permanent_error is not None:
                status = (
                    DeliveryStatus.UNDELIVERED if outcome.undelivered else DeliveryStatus.FAILED
                )
                rows.append(
                    {
                        "id": outcome.delivery_id,
                        "status": status,
                        "error": outcome.permanent_error[:200],
                    }
                )
            elif outcome.retry_after is not None:
                rows.append(
                    {
                        "id": outcome.delivery_id,
                        "status": DeliveryStatus.PENDING,
                        "due_at": now + timedelta(seconds=min(outcome.retry_after, MAX_BACKOFF)),
                    }
                )
            else:
                rows.append(
                    {
                        "id": outcome.delivery_id,
                        "status": DeliveryStatus.SENT,
                        "sent_at": now,
                        "message_id": outcome.message_id,
                    }
                )
        by_id = {item.id: item for item in due}
        async with self.sessions.begin() as session:
            for status in DeliveryStatus:
                batch = [row for row in rows if row["status"] == status]
                if batch:
                    await session.execute(update(Delivery), batch)
            channels = [
                {"id": by_id[o.delivery_id].member_id, "dm_channel_id": o.dm_channel or None}
                for o in outcomes
                if o.dm_channel is not None and o.delivery_id in by_id
            ]
            if channels:  # in the outcome's commit: a repeat DM opens no channel again
                await session.execute(update(Member), channels)
        if any(outcome.retry_after is not None for outcome in outcomes):
            self.on_retry()
        hooked = {name for name, kind in self.kinds.items() if kind.after is not None}
        paired = [
            (by_id[o.delivery_id], o)
            for o in outcomes
            if o.delivery_id in by_id and by_id[o.delivery_id].kind in hooked
        ]
        for name, group in by_kind(paired, lambda pair: pair[0].kind).items():
            kind = self.kinds[name]
            if kind.after is None:
                continue
            try:  # after the outcomes are committed: a failing hook can never cause a resend
                async with self.sessions.begin() as session:
                    await kind.after(session, group)
            except Exception:
                log.exception("the %s after-send hook failed for %d rows", name, len(group))
