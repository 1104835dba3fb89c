"""The delivery queue: one task that sleeps until the earliest `due_at`, then claims and sends.

Why not one APScheduler job per message: measured here (see docs/performance.md), its job store
blocks the event loop per job and silently drops late jobs. A plain indexed queue drained in
batches is faster, never drops a late delivery, and works across processes on PostgreSQL
(`FOR UPDATE SKIP LOCKED`).

A delivery is claimed (`pending -> sending`) in a committed transaction before it is sent, so two
queues never send the same row; each send's outcome is recorded as soon as the platform answers
(group-committed with whatever else finished meanwhile, never held for the rest of its batch). A
crash between the two leaves a `sending` row, which `recover()` (run every few seconds, busy or
idle, by every process) requeues at most once; before sending a requeued row the queue asks the
platform whether it already went out (`SentLookup`), so a crash repeats nothing.

`stop()` is a graceful stop (SIGTERM): no new claims, sends in flight finish and are recorded,
claimed rows not yet sent go back to `pending` for another process, all within `STOP_GRACE`.

Features never send anything themselves: each registers a `DeliveryKind` (what to do inside the
claim, how to compose each row's message, what to do after) and the queue does the rest once for
all of them: the claim, the late notice, rate limits, 429/5xx hand-back, closed DMs and recovery.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, cast, runtime_checkable
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import logs, metrics, tasks
from bot.chat import Channel, Recipient, Reply
from bot.clock import Clock
from bot.closed_dms import ClosedDMs
from bot.delivery import DeliveryError, KeepsDMChannels, Messenger, RateLimiter
from bot.storage.tables import Delivery, DeliveryStatus, Member, Workspace
from bot.time import timefmt
from bot.time.zones import safe_zone

log = logging.getLogger(__name__)

IDLE_RECHECK = timedelta(seconds=60)  # safety net: re-read the queue at least this often
RECOVERY_EVERY = 5.0  # seconds between looks for stuck rows (at most a quarter of the timeout)
STOP_GRACE = 8.0  # seconds a graceful stop waits for sends in flight
OVERLAP = 2  # claimed batches in flight at once
MAX_BACKOFF = 900.0

KEY = ("family", "subject_id", "destination", "occurrence")


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed delivery."""

    delivery_id: int
    message_id: str | None = None
    retry_after: float | None = None  # transient failure: try again after this many seconds
    permanent_error: str | None = None
    undelivered: bool = False  # the member cannot be DMed (closed DMs): tell them next time
    dm_channel: str | None = None  # the member's DM channel changed: store it ("" forgets it)


@dataclass(frozen=True)
class Claim:
    """A row just claimed, as a kind's `prepare` sees it inside the claim transaction."""

    id: int
    kind: str
    subject_id: int
    member_id: int | None
    occurrence: datetime


@dataclass(frozen=True)
class Due:
    """A claimed row with its destination resolved, as a kind's `compose` sees it."""

    id: int
    kind: str
    subject_id: int
    occurrence: datetime
    platform: str
    workspace: str  # the platform's workspace id
    member_id: int | None
    user_id: str | None  # the member's platform id: a DM destination
    channel_id: str | None  # a channel destination: posted there, not DMed
    tz: ZoneInfo  # the member's zone, else the workspace's, else the default
    recovered: bool = False  # claimed before by a process that died: ask before re-sending
    dm_channel: str | None = None  # the member's stored DM channel (a repeat DM opens none)

    @property
    def key(self) -> str:
        """The idempotency key of this delivery: stable across retries and processes."""
        return f"mentorbot-d{self.id}"


@runtime_checkable
class SentLookup(Protocol):
    """A messenger that can tell whether a delivery already went out (its record was lost)."""

    async def find_sent(self, target: Recipient | Channel, *, key: str) -> str | None:
        """The platform's message id of an earlier send with `key`, or None if there was none."""
        ...


CLAIM_COLUMNS = tuple(getattr(Delivery, field.name) for field in fields(Claim))

Prepare = Callable[[AsyncSession, Sequence[Claim], datetime], Awaitable[None]]
Compose = Callable[[AsyncSession, Sequence[Due]], Awaitable[Mapping[int, Reply]]]
After = Callable[[AsyncSession, Sequence[tuple[Due, Outcome]]], Awaitable[None]]
Describe = Callable[[AsyncSession, Sequence[int]], Awaitable[Mapping[int, str]]]


@dataclass(frozen=True)
class DeliveryKind:
    """One kind of message a feature queues, e.g. `reminder.fire`, and its handlers.

    - `compose` (required) builds the message for each claimed row, batched: one call per kind
      per claimed batch. A row it leaves out is not sent (marked failed: nothing to send).
    - `prepare` runs inside the claim transaction, e.g. to store a repeating reminder's next
      firing in the same commit that claims this one, so a crash never loses the series.
    - `after` runs once the outcomes (sent, retried or undelivered) are committed, in its own
      transaction; if it fails, that is logged and nothing is sent again.
    - `describe` gives one line per subject for the closed-DM notice (else "a message").

    The part of `name` before the dot is its family: rows of one family, subject, destination
    and occurrence are the same delivery (a snooze and a fire of one reminder collide).
    """

    name: str
    compose: Compose
    prepare: Prepare | None = None
    after: After | None = None
    describe: Describe | None = None

    def __post_init__(self) -> None:
        family, dot, action = self.name.partition(".")
        if not (family and dot and action) or len(self.name) > 32:
            raise ValueError(f"a delivery kind is 'family.action' (≤ 32 chars): {self.name!r}")

    @property
    def family(self) -> str:
        return self.name.partition(".")[0]


def delivery_row(
    kind: str,
    subject_id: int,
    *,
    workspace_id: int,
    platform: str,
    at: datetime,
    member_id: int | None = None,
    channel_id: str | None = None,
) -> dict[str, object]:
    """A pending delivery of `kind` about `subject_id` at `at`, ready for `enqueue`.

    To a member's DM (`member_id`) or posted in a shared channel (`channel_id`, through
    `Messenger.post`): exactly one of them. Channel rows are queued, deduplicated, rate limited
    and recovered like any other; only closed-DM bookkeeping is for DMs alone.
    """
    if (member_id is None) == (channel_id is None):
        raise ValueError("a delivery goes to a member or to a channel")
    destination = f"member:{member_id}" if member_id is not None else f"channel:{channel_id}"
    return {
        "workspace_id": workspace_id,
        "platform": platform,
        "kind": kind,
        "family": kind.partition(".")[0],
        "subject_id": subject_id,
        "destination": destination,
        "member_id": member_id,
        "channel_id": channel_id,
        "occurrence": at,
        "due_at": at,
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "recoveries": 0,
    }


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, object]]) -> bool:
    """Insert pending deliveries, reviving cancelled rows with the same key; True if any changed.

    A delivery is unique on its key, so computing the same firing twice cannot send it twice.
    But features *cancel* pending rows rather than delete them (pausing, editing, unfollowing,
    "Done"), and the row keeps its key: scheduling that same occurrence again (resume on the same
    day, an edit back to the old time, a series that reaches a moment an edit cancelled, following
    again, snoozing to the same moment twice) must bring that row back. A plain INSERT ... ON
    CONFLICT DO NOTHING silently dropped it, so the reminder vanished. Here a conflicting
    *cancelled* row is revived as a fresh pending one (taking the new kind: a snooze revives a
    cancelled fire); any other existing row (pending, sending, sent) is left alone, which keeps
    "never sent twice".
    """
    if not rows:
        return False
    table = cast(Table, Delivery.__table__)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in KEY],
        set_={
            "status": DeliveryStatus.PENDING,
            "kind": statement.excluded.kind,
            "due_at": statement.excluded.due_at,
            "attempts": 0,
            "recoveries": 0,
            "claimed_at": None,
            "sent_at": None,
            "message_id": None,
            "error": None,
        },
        where=table.c.status == DeliveryStatus.CANCELLED,
    )
    result = await session.execute(statement, list(rows))
    return bool(cast(Any, result).rowcount)


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
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.messengers = messengers
        self.limiters = limiters
        self.default_tz = default_tz
        self.late_after = late_after
        self.batch = batch
        self.stuck_after = stuck_after
        self.kinds: dict[str, DeliveryKind] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.idle = asyncio.Event()
        self._next_recovery: datetime | None = None
        self._sleeping_until: datetime | None = None
        self.closed_dms = ClosedDMs(sessions, self.kinds)
        self.recovery_every = min(RECOVERY_EVERY, stuck_after / 4)
        self.stopping = False
        self._unrecorded: list[tuple[Due, Outcome, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
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
        if self._flusher is not None:
            await asyncio.wait({self._flusher}, timeout=1.0)
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

    async def _recover_when_due(self) -> None:
        """Look for stuck rows every `recovery_every` seconds, busy or idle: a dead process's
        rows are taken over within the stuck timeout plus that interval."""
        now = self.clock.now()
        if self._next_recovery is None or now >= self._next_recovery:
            await self.recover()
            self._next_recovery = now + timedelta(seconds=self.recovery_every)

    async def _deliver(self, ids: Sequence[int], slots: asyncio.Semaphore) -> None:
        self.in_flight += len(ids)
        metrics.IN_FLIGHT.inc(len(ids))
        try:
            await self.send(ids)  # records each outcome as soon as it is known
        except Exception:
            # Left in "sending": recover() requeues them once they count as stuck.
            log.exception("delivering %d claimed rows failed", len(ids))
        finally:
            self.in_flight -= len(ids)
            metrics.IN_FLIGHT.dec(len(ids))
            slots.release()

    async def claim(self, now: datetime) -> list[int]:
        """Claim up to `batch` due rows in one statement and run their kinds' `prepare`."""
        platforms = list(self.platforms())
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
            for name, group in _by_kind(claims, lambda claim: claim.kind).items():
                kind = self.kinds.get(name)
                if kind is not None and kind.prepare is not None:
                    await kind.prepare(session, group, now)
            return [claim.id for claim in claims]

    async def send(self, ids: Sequence[int]) -> tuple[list[Due], list[Outcome]]:
        """Compose every claimed row through its kind (batched), then send each one and record
        its outcome as soon as it is known (not when the whole batch is done)."""
        async with self.sessions() as session:
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
            due = [
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
            messages: dict[int, Reply | Outcome] = {}
            for name, group in _by_kind(due, lambda item: item.kind).items():
                messages.update(await self._compose(session, name, group))
        # Overdue rows go out in due order: sends start in due order (the rate limiter serves
        # first come, first served) and one destination's messages go one after another. Each
        # outcome is recorded as soon as it is known, without holding up the next send.
        outcomes: dict[int, Outcome] = {}
        records: list[asyncio.Future[None]] = []

        async def in_turn(items: list[Due]) -> None:
            for item in items:
                outcome = await self._send_observed(item, messages.get(item.id))
                outcomes[item.id] = outcome
                records.append(asyncio.ensure_future(self._record_soon(item, outcome)))

        turns: dict[tuple[int | None, str | None], list[Due]] = {}
        for item in due:
            turns.setdefault((item.member_id, item.channel_id), []).append(item)
        try:
            await asyncio.gather(*(in_turn(items) for items in turns.values()))
        finally:
            if records:  # every send's record is committed (or failed) before this returns
                await asyncio.gather(*records, return_exceptions=True)
        failed = [r.exception() for r in records if not r.cancelled() and r.exception()]
        if failed:
            raise failed[0]  # type: ignore[misc]
        return due, [outcomes[item.id] for item in due]

    async def _send_observed(self, item: Due, message: Reply | Outcome | None) -> Outcome:
        logs.correlation.set(item.key)  # every log line about this delivery names it
        outcome = await self._send_one(item, message)
        if outcome.permanent_error is not None:
            status = "undelivered" if outcome.undelivered else "failed"
        elif outcome.retry_after is not None:
            status = "retry"
        else:
            status = "sent"
            late = (self.clock.now() - item.occurrence).total_seconds()
            metrics.LATENESS.observe(max(0.0, late))
        metrics.DELIVERIES.labels(item.kind, status).inc()
        return outcome

    async def _record_soon(self, item: Due, outcome: Outcome) -> None:
        """Record one outcome now: outcomes that arrive while a commit runs share the next one."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._unrecorded.append((item, outcome, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="mentorbot-delivery-records")
        await asyncio.shield(done)

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

    async def _compose(
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

    async def _send_one(self, item: Due, message: Reply | Outcome | None) -> Outcome:
        outcome = await self._send_to_platform(item, message)
        messenger = self.messengers.get(item.platform)
        if item.user_id is None or not isinstance(messenger, KeepsDMChannels):
            return outcome
        recipient = Recipient(item.platform, item.workspace, item.user_id)
        channel = messenger.dm_channel_of(recipient) or ""
        if channel == (item.dm_channel or "") or (not channel and not outcome.undelivered):
            return outcome  # unchanged; an unknown channel is forgotten only for closed DMs
        return replace(outcome, dm_channel=channel)

    async def _send_to_platform(self, item: Due, message: Reply | Outcome | None) -> Outcome:
        if isinstance(message, Outcome):
            return message
        if message is None:
            return Outcome(item.id, permanent_error="nothing to send")
        if item.user_id is None and item.channel_id is None:
            return Outcome(item.id, permanent_error="no destination")
        messenger = self.messengers.get(item.platform)
        if messenger is None:
            return Outcome(item.id, retry_after=60.0)
        if self.stopping:  # shutting down: hand the claim back untouched
            return Outcome(item.id, retry_after=0.0)
        limiter = self.limiters[item.platform]
        async with limiter.in_flight:
            await limiter.acquire()
            if self.stopping:
                return Outcome(item.id, retry_after=0.0)
            message = self._with_late_notice(message, item.occurrence)
            key = item.key
            target: Recipient | Channel
            if item.channel_id is not None:
                target = Channel(item.platform, item.workspace, item.channel_id)
            else:
                assert item.user_id is not None
                target = Recipient(item.platform, item.workspace, item.user_id, item.dm_channel)
            try:
                if item.recovered and isinstance(messenger, SentLookup):
                    found = await messenger.find_sent(target, key=key)
                    if found is not None:
                        log.info("delivery %s had gone out before a crash: not re-sent", item.id)
                        return Outcome(item.id, message_id=found)
                if isinstance(target, Channel):
                    message_id = await messenger.post(target, message, key=key)
                else:
                    message_id = await messenger.send_direct(target, message, key=key)
            except DeliveryError as error:
                if error.permanent:
                    if item.channel_id is not None:  # cannot post there: failed, not a closed DM
                        return Outcome(item.id, permanent_error=error.reason)
                    assert item.user_id is not None
                    self.closed_dms.add(item.platform, item.workspace, item.user_id)
                    return Outcome(item.id, permanent_error=error.reason, undelivered=True)
                if error.retry_after:
                    limiter.pause(error.retry_after)
                    metrics.RATE_LIMITED.labels(item.platform).inc()
                return Outcome(item.id, retry_after=error.retry_after or 30.0)
            except Exception:  # a bug or an unknown failure must not lose the delivery
                log.exception("sending delivery %s failed", item.id)
                return Outcome(item.id, retry_after=60.0)
        return Outcome(item.id, message_id=message_id)

    def _with_late_notice(self, message: Reply, occurrence: datetime) -> Reply:
        """Every queued message owns up to being late, whichever feature composed it."""
        late = (self.clock.now() - occurrence).total_seconds()
        if late <= self.late_after:
            return message
        notice = f"__Sorry, this is {timefmt.lateness(late)} late: mentorbot was offline or busy.__"
        return replace(message, text=f"{message.text}\n{notice}")

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
            self.wake()
        hooked = {name for name, kind in self.kinds.items() if kind.after is not None}
        paired = [
            (by_id[o.delivery_id], o)
            for o in outcomes
            if o.delivery_id in by_id and by_id[o.delivery_id].kind in hooked
        ]
        for name, group in _by_kind(paired, lambda pair: pair[0].kind).items():
            kind = self.kinds[name]
            if kind.after is None:
                continue
            try:  # after the outcomes are committed: a failing hook can never cause a resend
                async with self.sessions.begin() as session:
                    await kind.after(session, group)
            except Exception:
                log.exception("the %s after-send hook failed for %d rows", name, len(group))

    async def recover(self, *, everything: bool = False) -> int:
        """Requeue rows claimed by a process that died before recording the send.

        Each row is requeued at most once (`recoveries`), never a loop; before it is sent again
        the messenger is asked whether the platform already has it (`SentLookup`).
        """
        cutoff = self.clock.now() - timedelta(seconds=0 if everything else self.stuck_after)
        async with self.sessions.begin() as session:
            stuck = Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at <= cutoff
            requeued = await session.execute(
                update(Delivery)
                .where(*stuck, Delivery.recoveries < 1)
                .values(status=DeliveryStatus.PENDING, recoveries=Delivery.recoveries + 1)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(Delivery)
                .where(*stuck)
                .values(status=DeliveryStatus.FAILED, error="crashed while sending twice")
                .execution_options(synchronize_session=False)
            )
        count = int(getattr(requeued, "rowcount", 0) or 0)
        if count:
            log.warning("requeued %d deliveries interrupted by a crash", count)
        return count


T = TypeVar("T")


def _by_kind(items: Iterable[T], kind: Callable[[T], str]) -> dict[str, list[T]]:
    """Rows grouped by kind, so each handler is called once per batch."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(kind(item), []).append(item)
    return groups
