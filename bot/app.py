"""The core: builds the services from Settings and is the one door every adapter calls.

    async with Core(settings) as core:
        core.attach(messenger)
        response = await core.dispatch(event)

Kept small on purpose: it composes features, it does not contain them.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from types import TracebackType

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import markup, tasks
from bot.chat import (
    ActionClicked,
    Actor,
    Autocomplete,
    Event,
    FormSubmitted,
    Invocation,
    Place,
    Reply,
    Response,
    reply,
)
from bot.clock import Clock, SystemClock
from bot.context import Context
from bot.delivery import Messenger, RateLimiter
from bot.dispatcher import OVERLAP, Dispatcher
from bot.errors import Problem
from bot.flows import expired
from bot.help import HelpCommand
from bot.profile.commands import ProfileCommands
from bot.profile.service import Profiles
from bot.reminders.commands import ReminderCommands
from bot.reminders.firing import Firing
from bot.rolefit.commands import RolefitCommands
from bot.router import Router
from bot.scheduling import CalendarJobs
from bot.settings import Settings
from bot.storage import migrate
from bot.storage.checkpoint import WalCheckpointer
from bot.storage.engine import make_engine, make_sessions, sqlite_file
from bot.storage.tables import Delivery, SeenEvent
from bot.storage.upsert import insert_ignore

log = logging.getLogger(__name__)
SEEN_TTL = timedelta(minutes=10)
DELIVERY_RETENTION = timedelta(days=30)


def claim_size(settings: Settings) -> int:
    """Rows claimed at once: no more than the rate limit can send well before they count as stuck
    (another process would then requeue them and send them twice)."""
    sendable = settings.send_rate_per_second * settings.stuck_after_seconds / (4 * OVERLAP)
    return max(1, min(settings.dispatch_batch, int(sendable)))


class Core:
    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
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
        self.firing = Firing(
            self.sessions,
            messengers=self.messengers,
            limiters=self.limiters,
            now=self.clock.now,
            default_tz=settings.default_timezone,
            late_after=settings.late_notice_seconds,
        )
        self.dispatcher = Dispatcher(
            self.sessions,
            self.clock,
            prepare=self.firing.prepare,
            send=self.firing.send,
            platforms=self.messengers.keys,
            batch=claim_size(settings),
            stuck_after=settings.stuck_after_seconds,
        )
        context = Context(
            settings=settings,
            sessions=self.sessions,
            clock=self.clock,
            profiles=Profiles(settings.default_timezone, self.clock),
            scheduled=self.dispatcher.poke,
        )
        self._refresher: asyncio.Task[None] | None = None
        self.calendar = CalendarJobs(self.engine, settings.database_url, self)
        self.router = Router()
        self.reminders = ReminderCommands(context)
        self.reminders.register(self.router)
        ProfileCommands(context).register(self.router)
        RolefitCommands(context).register(self.router)
        HelpCommand(self.router).register()

    async def migrate(self) -> list[str]:
        """Apply pending migrations; returns the revisions applied."""
        return await migrate.upgrade(self.engine)

    def attach(self, messenger: Messenger) -> None:
        """Let the core send DMs on `messenger.platform`; its due deliveries start flowing."""
        self.messengers[messenger.platform] = messenger
        self.limiters[messenger.platform] = RateLimiter(
            self.settings.send_rate_per_second, self.settings.send_concurrency
        )
        self.dispatcher.poke()

    async def start(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # One process owns a SQLite file, so anything still "sending" was cut off by a crash.
            await self.dispatcher.recover(everything=True)
        await self.firing.load_undelivered()
        self.dispatcher.start()
        self._refresher = asyncio.create_task(self._refresh_undelivered())
        self.calendar.start()
        if self.checkpoints is not None:
            self.checkpoints.start()

    async def _refresh_undelivered(self) -> None:
        """Other processes (PostgreSQL deployments) record failed DMs too: re-read now and then."""
        while True:
            await asyncio.sleep(60)
            try:
                await self.firing.load_undelivered()
            except Exception:
                log.exception("refreshing undelivered reminders failed")

    async def close(self) -> None:
        await self.calendar.stop()
        await tasks.stop(self._refresher)
        self._refresher = None
        await self.dispatcher.stop()
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
        """Answer one event. Never raises: a problem or a crash becomes a private reply."""
        try:
            response = await self._route(event)
        except Problem as problem:
            return reply(f"⚠️ {problem}")
        except Exception:
            correlation = uuid.uuid4().hex[:8]
            log.exception("handling %s failed [%s]", type(event).__name__, correlation)
            return reply(
                f"😵 Sorry, something went wrong on my side (error id `{correlation}`). "
                "Nothing was saved; please try again."
            )
        actor = event.actor
        key = (actor.platform, actor.workspace_id, actor.user_id)
        if isinstance(event, Invocation) and key in self.firing.undelivered:
            notice = await self.reminders.undelivered_notice(actor)
            if notice is not None:
                # Only once shown: a failure not yet recorded keeps the flag for next time.
                self.firing.undelivered.discard(key)
                response = Response(replies=(*response.replies, notice), choices=response.choices)
        return response

    async def _route(self, event: Event) -> Response:
        match event:
            case Invocation(command=name):
                if name in self.router.commands:
                    return await self.router.commands[name][1](event)
                if name in self.router.message_actions:
                    return await self.router.message_actions[name][1](event)
                return reply(f"⚠️ I don't know {markup.code('/' + name[:40])}. Try `/help`.")
            case ActionClicked(action_id=action_id):
                handler = self.router.actions.get(action_id)
                if handler is None:
                    return reply("⚠️ That button no longer does anything; try `/help`.")
                return await handler(event)
            case FormSubmitted(form_id=form_id):
                form_handler = self.router.forms.get(form_id)
                if form_handler is None:
                    return reply("⚠️ That form has expired; please start again.")
                return await form_handler(event)
            case Autocomplete(command=command, option=option):
                completer = self.router.completions.get((command, option))
                return await completer(event) if completer else Response()
        raise TypeError(f"not an event: {event!r}")

    async def sweep(self) -> int:
        """Retention: forget finished deliveries after 30 days, flows once they expire."""
        now = self.clock.now()
        finished = ("sent", "done", "cancelled", "shown", "failed")
        async with self.sessions.begin() as session:
            deliveries = await session.execute(
                delete(Delivery).where(
                    Delivery.status.in_(finished), Delivery.due_at < now - DELIVERY_RETENTION
                )
            )
            flows = await session.execute(expired(now))
            seen = await session.execute(
                delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_TTL)
            )
        return sum(int(getattr(result, "rowcount", 0) or 0) for result in (deliveries, flows, seen))

    async def first_time(self, key: str) -> bool:
        """True the first time `key` is seen (within ten minutes): adapters' replay protection."""
        now = self.clock.now()
        async with self.sessions.begin() as session:
            await session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_TTL))
            return await insert_ignore(session, SeenEvent, {"key": key[:200], "seen_at": now})

    async def home(self, actor: Actor) -> Reply:
        """A member's overview (Slack App Home): their upcoming reminders and time zone."""
        place = Place(channel_id="home", is_dm=True)
        listing = await self.dispatch(Invocation("reminders", {}, actor, place))
        zone = await self.dispatch(Invocation("timezone", {}, actor, place))
        parts = [r.text for r in (*listing.replies, *zone.replies)]
        buttons = listing.replies[0].buttons if listing.replies else ()
        return Reply("\n\n".join(parts), buttons=buttons)
