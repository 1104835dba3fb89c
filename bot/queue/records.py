"""Recording outcomes: each send's result is written as soon as the platform answers.

One writer task per queue takes every outcome that arrived since its last commit and writes them
in one transaction (one executemany per status, Core statements), then starts again at once if
more arrived meanwhile. So an outcome waits for at most the commit in progress, never for the
rest of its batch: a crash leaves at most the sends in flight (and the one commit) unrecorded.
After each commit, each kind's `after` hook runs in its own transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.queue.kinds import DeliveryKind, Due, Outcome, by_kind
from bot.storage.tables import Delivery, DeliveryStatus, Member

log = logging.getLogger(__name__)

MAX_BACKOFF = 900.0

_TABLE = cast(Table, Delivery.__table__)
# Core statements with the id as a bound parameter: one executemany per status, no ORM work per
# row (the ORM's bulk update by primary key cost more than the database on a 5,000-row burst).
_BY_ID = _TABLE.c.id == bindparam("row_id")
SENT = (
    update(_TABLE)
    .where(_BY_ID)
    .values(
        status=DeliveryStatus.SENT,
        sent_at=bindparam("sent_moment"),
        message_id=bindparam("message"),
    )
)
RETRY = (
    update(_TABLE).where(_BY_ID).values(status=DeliveryStatus.PENDING, due_at=bindparam("next_try"))
)
GIVEN_UP = (
    update(_TABLE).where(_BY_ID).values(status=bindparam("new_status"), error=bindparam("reason"))
)


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
        self._writer: asyncio.Task[None] | None = None

    def add(self, item: Due, outcome: Outcome) -> asyncio.Future[None]:
        """Queue one outcome for the writer; the future is done once it is committed (or has
        the error if the commit failed: the row stays `sending`, and recovery takes over)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._unrecorded.append((item, outcome, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="mentorbot-delivery-records")
        return done

    async def drained(self, timeout: float) -> None:
        """Wait (at most `timeout` s) for the records being written to be committed."""
        if self._writer is not None:
            await asyncio.wait({self._writer}, timeout=timeout)

    async def _write(self) -> None:
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
        sent, retried, given_up = _parameters(outcomes, self.clock.now())
        async with self.sessions.begin() as session:
            for statement, rows in ((SENT, sent), (RETRY, retried), (GIVEN_UP, given_up)):
                if rows:
                    await session.execute(statement, rows)
            by_id = {item.id: item for item in due}
            channels = [
                {"id": by_id[o.delivery_id].member_id, "dm_channel_id": o.dm_channel or None}
                for o in outcomes
                if o.dm_channel is not None and o.delivery_id in by_id
            ]
            if channels:  # in the outcome's commit: a repeat DM opens no channel again
                await session.execute(update(Member), channels)
        if retried:
            self.on_retry()
        await self._after(outcomes, due)

    async def _after(self, outcomes: Sequence[Outcome], due: Sequence[Due]) -> None:
        hooked = {name for name, kind in self.kinds.items() if kind.after is not None}
        if not hooked:
            return
        by_id = {item.id: item for item in due}
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


Parameters = list[dict[str, Any]]


def _parameters(
    outcomes: Sequence[Outcome], now: datetime
) -> tuple[Parameters, Parameters, Parameters]:
    """The bound parameters of the three statements: sent, handed back, given up."""
    sent: Parameters = []
    retried: Parameters = []
    given_up: Parameters = []
    for outcome in outcomes:
        if outcome.permanent_error is not None:
            status = DeliveryStatus.UNDELIVERED if outcome.undelivered else DeliveryStatus.FAILED
            given_up.append(
                {
                    "row_id": outcome.delivery_id,
                    "new_status": status,
                    "reason": outcome.permanent_error[:200],
                }
            )
        elif outcome.retry_after is not None:
            delay = timedelta(seconds=min(outcome.retry_after, MAX_BACKOFF))
            retried.append({"row_id": outcome.delivery_id, "next_try": now + delay})
        else:
            sent.append(
                {"row_id": outcome.delivery_id, "sent_moment": now, "message": outcome.message_id}
            )
    return sent, retried, given_up
