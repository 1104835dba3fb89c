"""The due-row dispatcher: one task that sleeps until the earliest `due_at`, then claims and sends.

Why not one APScheduler job per reminder: measured here (see docs/performance.md), its job store
blocks the event loop per job and silently drops late jobs. A plain indexed queue drained in
batches is faster, never drops a late delivery, and works across processes on PostgreSQL
(`FOR UPDATE SKIP LOCKED`).

A delivery is claimed (`pending -> sending`) in a committed transaction before it is sent, so two
dispatchers never send the same row; after the send its outcome is recorded. A crash between the
two leaves a `sending` row, which `recover()` requeues at most once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import tasks
from bot.clock import Clock
from bot.storage.tables import Delivery

log = logging.getLogger(__name__)

IDLE_RECHECK = timedelta(seconds=60)  # safety net: re-read the queue at least this often
OVERLAP = 2  # claimed batches in flight at once
MAX_BACKOFF = 900.0


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed delivery."""

    delivery_id: int
    message_id: str | None = None
    retry_after: float | None = None  # transient failure: try again after this many seconds
    permanent_error: str | None = None


Prepare = Callable[[AsyncSession, Sequence[int], datetime], Awaitable[None]]
Send = Callable[[Sequence[int]], Awaitable[list[Outcome]]]


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        prepare: Prepare,
        send: Send,
        platforms: Callable[[], Collection[str]],
        batch: int = 500,
        stuck_after: float = 120.0,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.prepare = prepare
        self.send = send
        self.platforms = platforms
        self.batch = batch
        self.stuck_after = stuck_after
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.idle = asyncio.Event()
        self._next_recovery: datetime | None = None
        self._sleeping_until: datetime | None = None

    def poke(self, due_at: datetime | None = None) -> None:
        """Something was scheduled (due at `due_at`, if known): wake up if that is sooner.

        A reminder due after the time the dispatcher already sleeps until needs no wake-up, so
        a burst of `/remind` commands does not turn into a burst of queue reads.
        """
        if (
            due_at is not None
            and self._sleeping_until is not None
            and due_at >= self._sleeping_until
        ):
            return
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="mentorbot-dispatcher")

    async def stop(self) -> None:
        await tasks.stop(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                claimed = await self.drain_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("dispatcher pass failed; retrying in 5 s")
                await asyncio.sleep(5)
                continue
            if claimed:
                continue
            self.idle.set()
            earliest = await self.earliest_due()
            now = self.clock.now()
            until = min(earliest, now + IDLE_RECHECK) if earliest else now + IDLE_RECHECK
            self._sleeping_until = until
            await self.clock.sleep_until(until, self._wake)
            self._sleeping_until = None
            self._wake.clear()
            self.idle.clear()

    async def earliest_due(self) -> datetime | None:
        platforms = list(self.platforms())
        if not platforms:
            return None
        async with self.sessions() as session:
            return await session.scalar(
                select(func.min(Delivery.due_at)).where(
                    Delivery.status == "pending", Delivery.platform.in_(platforms)
                )
            )

    async def drain_due(self) -> int:
        """Claim every row due now, batch by batch, and send them; returns how many.

        Batches overlap (up to `OVERLAP` in flight) so one slow send, e.g. a platform retrying a
        500, does not hold back the deliveries claimed after it.
        """
        total = 0
        if not self.platforms():
            return 0
        now = self.clock.now()
        if self._next_recovery is None or now >= self._next_recovery:
            # Stuck rows are rare: look for them now and then, not on every pass.
            await self.recover()
            self._next_recovery = now + timedelta(seconds=self.stuck_after / 4)
        slots = asyncio.Semaphore(OVERLAP)
        running: set[asyncio.Task[None]] = set()
        try:
            while True:
                await slots.acquire()
                ids = await self.claim(self.clock.now())
                if not ids:
                    slots.release()
                    break
                total += len(ids)
                task = asyncio.create_task(self._deliver(ids, slots))
                running.add(task)
                task.add_done_callback(running.discard)
        finally:
            if running:
                await asyncio.gather(*running, return_exceptions=True)
        return total

    async def _deliver(self, ids: Sequence[int], slots: asyncio.Semaphore) -> None:
        try:
            await self.record(await self.send(ids))
        except Exception:
            # Left in "sending": recover() requeues them once they count as stuck.
            log.exception("delivering %d claimed rows failed", len(ids))
        finally:
            slots.release()

    async def claim(self, now: datetime) -> list[int]:
        platforms = list(self.platforms())
        if not platforms:
            return []
        async with self.sessions.begin() as session:
            due = (
                select(Delivery.id)
                .where(
                    Delivery.status == "pending",
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
                .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
                .returning(Delivery.id)
                .execution_options(synchronize_session=False)
            )
            ids = sorted(result.scalars().all())
            if ids:
                await self.prepare(session, ids, now)
            return ids

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        if not outcomes:
            return
        now = self.clock.now()
        rows: list[dict[str, object]] = []
        for outcome in outcomes:
            if outcome.permanent_error is not None:
                rows.append(
                    {
                        "id": outcome.delivery_id,
                        "status": "undelivered",
                        "error": outcome.permanent_error[:200],
                    }
                )
            elif outcome.retry_after is not None:
                rows.append(
                    {
                        "id": outcome.delivery_id,
                        "status": "pending",
                        "due_at": now + timedelta(seconds=min(outcome.retry_after, MAX_BACKOFF)),
                    }
                )
            else:
                rows.append(
                    {
                        "id": outcome.delivery_id,
                        "status": "sent",
                        "sent_at": now,
                        "message_id": outcome.message_id,
                    }
                )
        async with self.sessions.begin() as session:
            for status in ("sent", "pending", "undelivered"):
                batch = [row for row in rows if row["status"] == status]
                if batch:
                    await session.execute(update(Delivery), batch)
        if any(outcome.retry_after is not None for outcome in outcomes):
            self.poke()

    async def recover(self, *, everything: bool = False) -> int:
        """Requeue rows claimed by a process that died before recording the send.

        Each row is requeued at most once (`recoveries`), so a crash can cause at most one
        duplicate and never a loop; on Discord the message nonce drops even that duplicate.
        """
        cutoff = self.clock.now() - timedelta(seconds=0 if everything else self.stuck_after)
        async with self.sessions.begin() as session:
            stuck = Delivery.status == "sending", Delivery.claimed_at <= cutoff
            requeued = await session.execute(
                update(Delivery)
                .where(*stuck, Delivery.recoveries < 1)
                .values(status="pending", recoveries=Delivery.recoveries + 1)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(Delivery)
                .where(*stuck)
                .values(status="failed", error="crashed while sending twice")
                .execution_options(synchronize_session=False)
            )
        count = int(getattr(requeued, "rowcount", 0) or 0)
        if count:
            log.warning("requeued %d deliveries interrupted by a crash", count)
        return count
