"""The core: builds the services and the features from Settings; the one door adapters call.

    async with Core(settings) as core:
        core.attach(messenger)
        response = await core.dispatch(event)

Kept small on purpose: it composes features (the list in `bot.features`), it does not contain
them. Routing is the router's, sending is the delivery queue's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from types import TracebackType
from typing import Protocol

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import logs, metrics
from bot.calendar import CalendarJob, CalendarJobs
from bot.chat import (
    ActionClicked,
    Actor,
    Autocomplete,
    Event,
    FormSubmitted,
    Invocation,
    Reply,
    Response,
    reply,
)
from bot.clock import Clock, SystemClock
from bot.context import Context
from bot.delivery import DEFAULT_SEND_RATE, Messenger, RateLimiter, send_rate
from bot.errors import Problem
from bot.features import JSON, Feature, FeatureFactory, build
from bot.flows import expired
from bot.profile.service import Profiles
from bot.queue import OVERLAP, DeliveryQueue
from bot.router import Router
from bot.settings import Settings
from bot.storage import migrate
from bot.storage.checkpoint import WalCheckpointer
from bot.storage.engine import make_engine, make_sessions, sqlite_file
from bot.storage.tables import FINISHED, Delivery, SeenEvent
from bot.storage.upsert import insert_ignore

log = logging.getLogger(__name__)
SEEN_TTL = timedelta(minutes=10)
DELIVERY_RETENTION = timedelta(days=30)
RETENTION_JOB = "retention-sweep"
RETENTION_AT: dict[str, int | str] = {"hour": 3, "minute": 17}  # UTC, daily


class CorePort(Protocol):
    """What an adapter uses of the core (docs/architecture.md): the one port, for every adapter."""

    @property
    def router(self) -> Router: ...

    async def dispatch(self, event: Event) -> Response: ...

    async def first_time(self, key: str) -> bool: ...

    async def home(self, actor: Actor) -> Reply: ...

    def attach(self, messenger: Messenger) -> None: ...


def claim_size(settings: Settings) -> int:
    """Rows claimed at once: no more than the rate limit can send well before they count as stuck
    (another process would then requeue them and send them twice)."""
    rate = settings.send_rate_per_second or DEFAULT_SEND_RATE
    sendable = rate * settings.stuck_after_seconds / (4 * OVERLAP)
    return max(1, min(settings.dispatch_batch, int(sendable)))


class Core:
    """The database, the delivery queue, the calendar and the features, started and stopped
    together; `dispatch` answers every event an adapter translates."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        features: Sequence[FeatureFactory] | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        database_file = sqlite_file(settings.database_url)
        self.checkpoints = WalCheckpointer(database_file) if database_file else None
        self.engine: AsyncEngine = make_engine(
            settings.database_url, background_checkpoints=self.checkpoints is not None
        )
        self.sessions = make_sessions(self.engine)
        self.messengers: dict[str, Messenger] = {}
        self.limiters: dict[str, RateLimiter] = {}
        self.queue = DeliveryQueue(
            self.sessions,
            self.clock,
            messengers=self.messengers,
            limiters=self.limiters,
            default_tz=settings.default_timezone,
            late_after=settings.late_notice_seconds,
            batch=claim_size(settings),
            stuck_after=settings.stuck_after_seconds,
            senders=settings.send_concurrency,
        )
        self.context = Context(
            settings=settings,
            sessions=self.sessions,
            clock=self.clock,
            profiles=Profiles(settings.default_timezone, self.clock),
            wake_queue=self.queue.wake,
            messengers=self.messengers,
        )
        self.features: list[Feature]
        self.features, self._router = build(self.context, features)
        for feature in self.features:
            for kind in feature.delivery_kinds():
                self.queue.register(kind)
        retention = CalendarJob(RETENTION_JOB, run=self.sweep, cron=RETENTION_AT)
        jobs = [retention, *(job for f in self.features for job in f.calendar_jobs())]
        self.calendar = CalendarJobs(self.engine, settings.database_url, jobs)

    @property
    def router(self) -> Router:
        return self._router

    def feature(self, name: str) -> Feature:
        """The running feature called `name` (tests and tools)."""
        for feature in self.features:
            if feature.name == name:
                return feature
        raise KeyError(name)

    async def migrate(self) -> list[str]:
        """Apply pending migrations; returns the revisions applied."""
        return await migrate.upgrade(self.engine)

    def attach(self, messenger: Messenger) -> None:
        """Let the core send DMs on `messenger.platform`; its due deliveries start flowing."""
        self.messengers[messenger.platform] = messenger
        self.limiters[messenger.platform] = RateLimiter(
            send_rate(messenger, self.settings.send_rate_per_second),
            self.settings.send_concurrency,
        )
        self.queue.wake()

    async def start(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # One process owns a SQLite file, so anything still "sending" was cut off by a crash.
            await self.queue.recover(everything=True)
        await self.queue.start()
        self.calendar.start()
        if self.checkpoints is not None:
            self.checkpoints.start()

    async def close(self) -> None:
        await self.calendar.stop()
        await self.queue.stop()
        await self.engine.dispose()
        if self.checkpoints is not None:
            await self.checkpoints.stop()

    async def __aenter__(self) -> Core:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def dispatch(self, event: Event) -> Response:
        """Answer one event. Never raises: a problem or a crash becomes a private reply.

        Each event gets a correlation id (in every log line it causes) and is counted by name and
        outcome, with its latency, for `/metrics`.
        """
        correlation = logs.new_correlation()
        started = time.monotonic()
        outcome = "cancelled"
        try:
            response, outcome = await self._dispatch(event, correlation)
            return response
        finally:
            name = self._metric_name(event)
            metrics.COMMANDS.labels(name, outcome).inc()
            metrics.COMMAND_SECONDS.labels(name).observe(time.monotonic() - started)

    def _metric_name(self, event: Event) -> str:
        """A bounded label: a catalogue name, else `unknown`."""
        router = self._router
        match event:
            case Invocation(command=name) if name in router.commands or name in (
                router.message_actions
            ):
                return name
            case ActionClicked(action_id=action_id) if action_id in router.actions:
                return f"button:{action_id}"
            case FormSubmitted(form_id=form_id) if form_id in router.forms:
                return f"form:{form_id}"
            case Autocomplete(command=command) if command in router.commands:
                return f"autocomplete:{command}"
        return "unknown"

    async def _dispatch(self, event: Event, correlation: str) -> tuple[Response, str]:
        try:
            response = await self._router.handle(event)
            if isinstance(event, Invocation):
                notices = await self._notices(event.actor)
                if notices:
                    response = Response(
                        replies=(*response.replies, *notices), choices=response.choices
                    )
        except Problem as problem:
            return reply(f"⚠️ {problem}"), "problem"
        except Exception:
            log.exception("handling %s failed [%s]", type(event).__name__, correlation)
            return reply(
                f"😵 Sorry, something went wrong on my side (error id `{correlation}`). "
                "Nothing was saved; please try again."
            ), "error"
        return response, "ok"

    async def _notices(self, actor: Actor) -> list[Reply]:
        """What to tell the member privately after their command: closed DMs, then features'."""
        found = [await self.queue.closed_dms.notice(actor)]
        found.extend([await feature.notice(actor) for feature in self.features])
        return [notice for notice in found if notice is not None]

    async def sweep(self) -> int:
        """Retention: old finished deliveries, expired flows, then what each feature sweeps."""
        now = self.clock.now()
        async with self.sessions.begin() as session:
            results = [
                await session.execute(
                    delete(Delivery).where(
                        Delivery.status.in_(FINISHED), Delivery.due_at < now - DELIVERY_RETENTION
                    )
                ),
                await session.execute(expired(now)),
                await session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_TTL)),
            ]
            removed = sum(int(getattr(result, "rowcount", 0) or 0) for result in results)
            for feature in self.features:
                removed += await feature.sweep(session, now)
        return removed

    async def first_time(self, key: str) -> bool:
        """True the first time `key` is seen (within ten minutes): adapters' replay protection."""
        now = self.clock.now()
        async with self.sessions.begin() as session:
            await session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_TTL))
            return await insert_ignore(session, SeenEvent, {"key": key[:200], "seen_at": now})

    async def home(self, actor: Actor) -> Reply:
        """A member's overview (e.g. Slack's App Home): each feature's section, in list order."""
        sections = [await feature.home_section(actor) for feature in self.features]
        shown = [section for section in sections if section is not None]
        return Reply(
            "\n\n".join(section.text for section in shown),
            buttons=tuple(row for section in shown for row in section.buttons),
        )

    async def export_member(self, actor: Actor) -> dict[str, JSON]:
        """Everything mentorbot stores about `actor`, per feature (backs a `/mydata` export)."""
        async with self.context.transaction(actor) as (session, member):
            return await self.context.member_data.export(session, member)

    async def delete_member(self, actor: Actor) -> dict[str, int]:
        """Delete everything about `actor`, feature by feature in reverse list order (the
        profile, which owns the member row, goes last), in one transaction."""
        async with self.context.transaction(actor) as (session, member):
            return await self.context.member_data.delete(session, member)
