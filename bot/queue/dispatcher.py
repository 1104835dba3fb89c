"""The queue's task: sleep until the earliest `due_at`, then claim, send and record, batch by batch.

Why not one APScheduler job per message: measured here (see docs/performance.md), its job store
blocks the event loop per job and silently drops late jobs. A plain indexed queue drained in
batches is faster, never drops a late delivery, and works across processes on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics, tasks
from bot.clock import Clock
from bot.closed_dms import ClosedDMs
from bot.delivery import Messenger, RateLimiter
from bot.queue import recovery
from bot.queue.claims import Claims
from bot.queue.kinds import DeliveryKind, Due, Outcome
from bot.queue.records import Records
from bot.queue.sending import Sender
from bot.storage.tables import Delivery, DeliveryStatus

log = logging.getLogger(__name__)

IDLE_RECHECK = timedelta(seconds=60)  # safety net: re-read the queue at least this often
RECOVERY_EVERY = 5.0  # seconds between looks for stuck rows (at most a quarter of the timeout)
STOP_GRACE = 8.0  # seconds a graceful stop waits for sends in flight
OVERLAP = 2  # claimed batches in flight at once
TURN = 0.005  # seconds a sender runs before it lets other work on the event loop


class DeliveryQueue:
    """Due rows in, DMs out: claims, composes through each kind's handler, sends, records."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        messengers: Mapping[str, Messenger],
        limiters: Mapping[str, RateLimiter],
        default_tz: str = "UTC",
        late_after: float = 60.0,
        batch: int = 500,
        stuck_after: float = 120.0,
        senders: int = 32,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.messengers = messengers
        self.stuck_after = stuck_after
        self.senders = max(1, senders)  # concurrent sends per batch: the platforms' in-flight bound
        self.kinds: dict[str, DeliveryKind] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.idle = asyncio.Event()
        self._next_recovery: datetime | None = None
        self._sleeping_until: datetime | None = None
        self.closed_dms = ClosedDMs(sessions, self.kinds)
        self.recovery_every = min(RECOVERY_EVERY, stuck_after / 4)
        self.stopping = False
        self.claims = Claims(sessions, self.kinds, default_tz=default_tz, batch=batch)
        self.sender = Sender(
            clock,
            messengers=messengers,
            limiters=limiters,
            closed_dms=self.closed_dms,
            late_after=late_after,
            stopping=lambda: self.stopping,
        )
        self.records = Records(sessions, clock, self.kinds, on_retry=self.wake)
        self.in_flight = 0  # claimed rows not yet recorded (metrics, graceful stop)

    def register(self, kind: DeliveryKind) -> None:
        """Let rows of `kind.name` be sent; a name is registered once."""
        if kind.name in self.kinds:
            raise ValueError(f"delivery kind {kind.name!r} is registered twice")
        self.kinds[kind.name] = kind

    def platforms(self) -> Collection[str]:
        return self.messengers.keys()

    def wake(self, due_at: datetime | None = None) -> None:
        """Something was queued (due at `due_at`, if known): wake up if that is sooner.

        A delivery due after the time the queue already sleeps until needs no wake-up, so
        a burst of `/remind` commands does not turn into a burst of queue reads.
        """
        if (
            due_at is not None
            and self._sleeping_until is not None
            and due_at >= self._sleeping_until
        ):
            return
        self._wake.set()

    async def start(self) -> None:
        await self.closed_dms.start()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="mentorbot-delivery-queue")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop claiming, let sends in flight finish and be recorded, hand back the rest.

        Claimed rows whose send has not started go back to `pending` (another process, or the
        next start, sends them); after `grace` seconds what is still in flight is cancelled and
        left `sending` for recovery, whose platform lookup keeps it from being sent twice.
        """
        self.stopping = True
        self._wake.set()
        if self._task is not None and not self._task.done():
            await asyncio.wait({self._task}, timeout=grace)
        await tasks.stop(self._task)
        self._task = None
        await self.records.drained(timeout=1.0)
        await self.closed_dms.stop()

    async def _run(self) -> None:
        while not self.stopping:
            try:
                claimed = await self.drain_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery queue pass failed; retrying in 5 s")
                await asyncio.sleep(5)
                continue
            if claimed or self.stopping:
                continue
            self.idle.set()
            earliest = await self.earliest_due()
            now = self.clock.now()
            until = min(earliest, now + IDLE_RECHECK) if earliest else now + IDLE_RECHECK
            if self.stuck_after and self._next_recovery is not None:
                # Stuck rows of a dead process must not wait for the idle re-check.
                until = min(until, self._next_recovery)
            self._sleeping_until = until
            await self.clock.sleep_until(until, self._wake)
            self._sleeping_until = None
            self._wake.clear()
            self.idle.clear()

    async def depth(self) -> int:
        """Pending deliveries due now (all processes): the queue depth operators watch."""
        async with self.sessions() as session:
            found = await session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(
                    Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= self.clock.now()
                )
            )
        return int(found or 0)

    async def earliest_due(self) -> datetime | None:
        platforms = list(self.platforms())
        if not platforms:
            return None
        async with self.sessions() as session:
            return await session.scalar(
                select(func.min(Delivery.due_at)).where(
                    Delivery.status == DeliveryStatus.PENDING, Delivery.platform.in_(platforms)
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
        await self._recover_when_due()
        slots = asyncio.Semaphore(OVERLAP)
        running: set[asyncio.Task[None]] = set()
        try:
            while not self.stopping:
                await slots.acquire()
                await self._recover_when_due()  # a long burst must not hide a dead process
                due = await self.claims.claim(self.clock.now(), list(self.platforms()))
                if not due:
                    slots.release()
                    break
                total += len(due)
                task = asyncio.create_task(self._deliver(due, slots))
                running.add(task)
                task.add_done_callback(running.discard)
        finally:
            if running:
                await asyncio.gather(*running, return_exceptions=True)
        return total

    async def _recover_when_due(self) -> None:
        """Look for stuck rows every `recovery_every` seconds, busy or idle: a dead process's
        rows are taken over within the stuck timeout plus that interval."""
        now = self.clock.now()
        if self._next_recovery is None or now >= self._next_recovery:
            await self.recover()
            self._next_recovery = now + timedelta(seconds=self.recovery_every)

    async def _deliver(self, due: Sequence[Due], slots: asyncio.Semaphore) -> None:
        self.in_flight += len(due)
        metrics.IN_FLIGHT.inc(len(due))
        try:
            await self.send(due)  # records each outcome as soon as it is known
        except Exception:
            # Left in "sending": recover() requeues them once they count as stuck.
            log.exception("delivering %d claimed rows failed", len(due))
        finally:
            self.in_flight -= len(due)
            metrics.IN_FLIGHT.dec(len(due))
            slots.release()

    async def claim(self, now: datetime) -> list[int]:
        """Claim up to `batch` due rows in one statement and run their kinds' `prepare`; the
        ids claimed, in order (the queue's own pass sends what it claims)."""
        return sorted(item.id for item in await self.claims.claim(now, list(self.platforms())))

    async def send(self, due: Sequence[Due]) -> list[Outcome]:
        """Compose every claimed row through its kind (batched), then send each one and record
        its outcome as soon as it is known (not when the whole batch is done)."""
        messages = await self.claims.compose(due)
        # Overdue rows go out in due order: destinations are served in the order of their first
        # due row (the rate limiter serves first come, first served) and one destination's
        # messages go one after another. Each outcome goes to the record writer as soon as it
        # is known, without holding up the next send.
        turns: dict[tuple[int | None, str | None], list[Due]] = {}
        for item in due:
            turns.setdefault((item.member_id, item.channel_id), []).append(item)
        waiting = deque(turns.values())
        outcomes: dict[int, Outcome] = {}
        records: list[asyncio.Future[None]] = []
        workers: list[asyncio.Task[None]] = []

        async def worker() -> None:
            # A worker starts the next one before its first send, so the pool grows one worker
            # at a time (up to `senders`) only while sends wait: a platform that answers at
            # once is served by a few tasks, a slow one by `senders`, never a task per row.
            if waiting and 1 + len(workers) < self.senders:  # 1: the batch's own task
                workers.append(asyncio.create_task(worker()))
            loop = asyncio.get_running_loop()
            turn_ends = loop.time() + TURN
            while waiting:
                for item in waiting.popleft():
                    outcome = await self.sender.send(item, messages.get(item.id))
                    outcomes[item.id] = outcome
                    records.append(self.records.add(item, outcome))
                    if loop.time() >= turn_ends:
                        # Sends that never wait (a fast platform) would hold the loop for the
                        # whole batch: let the next claim's and the records' results in.
                        await asyncio.sleep(0)
                        turn_ends = loop.time() + TURN

        try:
            await worker()  # returns once nothing waits: no worker starts another after that
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()  # only when this send was itself cancelled or a worker failed
            if records:  # every send's record is committed (or failed) before this returns
                await asyncio.gather(*records, return_exceptions=True)
        failed = [r.exception() for r in records if not r.cancelled() and r.exception()]
        if failed:
            raise failed[0]  # type: ignore[misc]
        return [outcomes[item.id] for item in due]

    async def record(self, outcomes: Sequence[Outcome], due: Sequence[Due] = ()) -> None:
        """Store each outcome (sent, retry later, undelivered), then run the kinds' `after`."""
        await self.records.record(outcomes, due)

    async def recover(self, *, everything: bool = False) -> int:
        """Requeue rows claimed by a process that died before recording the send (at most once
        each; the platform is asked before one is sent again)."""
        return await recovery.recover(
            self.sessions, self.clock, self.stuck_after, everything=everything
        )
