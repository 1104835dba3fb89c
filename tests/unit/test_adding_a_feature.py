"""Adding a feature is its own code plus one entry in the feature list: no core or adapter edit.

`PingFeature` lives only in this test. It brings a command and a delivery kind of its own, and
the queue gives it everything reminders get: sent once, late notice, outcomes recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.console.chat import ConsoleChat
from bot import jobs
from bot.app import Core
from bot.calendar import CalendarJob
from bot.chat import Actor, Invocation, Reply, Response, reply
from bot.clock import FakeClock
from bot.context import Context
from bot.features import FeatureBase, feature_list
from bot.queue import DeliveryKind, Due, Outcome, delivery_row, enqueue
from bot.router import CommandSpec, OptionSpec, Router
from bot.storage.tables import Delivery
from tests.conftest import make_settings
from tests.support.conversation import count, dispatcher_idle

PING = CommandSpec(
    "ping",
    "Ping me back in a few minutes",
    options=(OptionSpec("minutes", "How many minutes", kind="integer"),),
    rest="minutes",
    usage="/ping 5",
)


class PingFeature(FeatureBase):
    """A tiny feature: `/ping N` queues a `ping.pong` DM N minutes from now."""

    name = "ping"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.recorded: list[Outcome] = []
        self.to_ask: set[str] = set()  # members whose pong went out: asked once afterwards
        self.weekly_runs = 0
        self.swept = 0

    def register(self, router: Router) -> None:
        router.command(PING, self.ping)

    def delivery_kinds(self) -> Sequence[DeliveryKind]:
        return (DeliveryKind("ping.pong", self.compose, after=self.after),)

    async def ping(self, event: Invocation) -> Response:
        minutes = int(event.options.get("minutes", 1))
        at = self.context.clock.now() + timedelta(minutes=minutes)
        async with self.context.transaction(event.actor) as (session, member):
            row = delivery_row(
                "ping.pong",
                member.id,  # the subject: this feature keeps no table of its own
                workspace_id=member.workspace_id,
                platform=member.platform,
                member_id=member.id,
                at=at,
            )
            queued = await enqueue(session, [row])
        self.context.wake_queue(at)
        return reply("🏓 Pong is on its way." if queued else "🏓 Already on its way.")

    async def compose(self, session: AsyncSession, due: Sequence[Due]) -> Mapping[int, Reply]:
        return {item.id: Reply(f"🏓 pong for {item.user_id}", private=False) for item in due}

    async def after(self, session: AsyncSession, results: Sequence[tuple[Due, Outcome]]) -> None:
        self.recorded.extend(outcome for _, outcome in results)
        self.to_ask.update(due.user_id or "" for due, outcome in results if outcome.message_id)

    async def notice(self, actor: Actor) -> Reply | None:
        if actor.user_id not in self.to_ask:
            return None
        self.to_ask.discard(actor.user_id)
        return Reply("🏓 Did the pong arrive?")

    async def home_section(self, actor: Actor) -> Reply | None:
        return Reply(f"🏓 {len(self.recorded)} pongs so far")

    async def sweep(self, session: AsyncSession, now: datetime) -> int:
        self.swept += 1
        return 0

    def calendar_jobs(self) -> Sequence[CalendarJob]:
        return (CalendarJob("ping-weekly", self.weekly, {"day_of_week": "mon", "hour": 9}),)

    async def weekly(self) -> int:
        self.weekly_runs += 1
        return self.weekly_runs


async def test_a_feature_from_the_list_gets_its_command_and_its_deliveries(
    store_url: str, clock: FakeClock
) -> None:
    settings = make_settings(store_url, send_rate_per_second=1000.0)
    core = Core(settings, clock=clock, features=(*feature_list(), PingFeature))
    await core.migrate()
    async with core:
        chat = ConsoleChat(core)
        assert "/ping" in "\n".join(await chat.say("/help"))
        assert await chat.say("/ping 5") == ["🏓 Pong is on its way."]
        assert await chat.say("/ping 5") == ["🏓 Already on its way."]  # same moment: one row

        clock.advance(timedelta(minutes=10))  # five minutes late, as if the bot had been down
        dm = "\n".join(await chat.next_dm())
        await dispatcher_idle(core)  # the send is recorded

        assert "🏓 pong for you" in dm
        assert "Sorry, this is 5 minutes late" in dm
        assert chat.dms.empty()
        assert await count(core, Delivery, kind="ping.pong") == 1  # exactly once: one row,
        assert await count(core, Delivery, kind="ping.pong", status="sent") == 1  # sent
        ping = core.feature("ping")
        assert isinstance(ping, PingFeature)
        assert [outcome.message_id is not None for outcome in ping.recorded] == [True]


async def test_two_features_cannot_claim_one_delivery_kind(store_url: str) -> None:
    class Clash(PingFeature):
        name = "clash"

        def register(self, router: Router) -> None:
            pass

    try:
        Core(make_settings(store_url), features=(PingFeature, Clash))
    except ValueError as error:
        assert "ping.pong" in str(error)
    else:
        raise AssertionError("a delivery kind registered twice was accepted")


async def test_a_feature_from_the_list_gets_every_hook(store_url: str, clock: FakeClock) -> None:
    settings = make_settings(store_url, send_rate_per_second=1000.0)
    core = Core(settings, clock=clock, features=(*feature_list(), PingFeature))
    await core.migrate()
    ping = core.feature("ping")
    assert isinstance(ping, PingFeature)
    async with core:
        chat = ConsoleChat(core)
        await chat.say("/ping 1")
        clock.advance(timedelta(minutes=1))
        await chat.next_dm()
        await dispatcher_idle(core)

        first = await chat.say("/timezone")
        second = await chat.say("/timezone")
        home = await core.home(chat.actor())
        await core.sweep()
        assert jobs.bound("ping-weekly") and jobs.bound("retention-sweep")
        await jobs.run("ping-weekly")  # as APScheduler calls it: by id

    assert "🏓 Did the pong arrive?" in first  # the notice, after the command's own answer
    assert "🏓 Did the pong arrive?" not in second  # once
    assert "🏓 1 pongs so far" in home.text and "Your time zone is" in home.text
    assert ping.swept == 1
    assert ping.weekly_runs == 1
    assert not jobs.bound("ping-weekly")  # a stopped core leaves nothing bound


class FlakyFeature(FeatureBase):
    """A feature whose composing fails the first time (a bug, a database hiccup)."""

    name = "flaky"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.failures = 1

    def delivery_kinds(self) -> Sequence[DeliveryKind]:
        return (DeliveryKind("flaky.note", self.compose),)

    async def compose(self, session: AsyncSession, due: Sequence[Due]) -> Mapping[int, Reply]:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("composing failed")
        return {item.id: Reply("📝 flaky note", private=False) for item in due}


async def test_a_failing_compose_delays_only_its_own_kind(store_url: str, clock: FakeClock) -> None:
    settings = make_settings(store_url, send_rate_per_second=1000.0)
    core = Core(settings, clock=clock, features=(*feature_list(), PingFeature, FlakyFeature))
    await core.migrate()
    async with core:
        chat = ConsoleChat(core)
        await chat.say("/ping 1")  # creates the member too
        async with core.context.transaction(chat.actor()) as (session, member):
            at = clock.now() + timedelta(minutes=1)
            await enqueue(
                session,
                [
                    delivery_row(
                        "flaky.note",
                        1,
                        workspace_id=member.workspace_id,
                        platform=member.platform,
                        member_id=member.id,
                        at=at,
                    )
                ],
            )
        clock.advance(timedelta(minutes=1))
        first = "\n".join(await chat.next_dm())
        await dispatcher_idle(core)
        assert await count(core, Delivery, kind="flaky.note", status="pending") == 1
        clock.advance(timedelta(minutes=2))  # past its retry a minute later
        second = "\n".join(await chat.next_dm())
        await dispatcher_idle(core)
        assert await count(core, Delivery, status="sent") == 2

    assert "pong" in first  # not held back by the other kind's failure
    assert "📝 flaky note" in second
    assert "Sorry, this is 2 minutes late" in second


async def test_a_channel_row_is_keyed_like_any_other_and_posted_in_the_channel(
    store_url: str, clock: FakeClock
) -> None:
    """A channel destination goes through `Messenger.post`, deduplicated like a DM row."""
    core = Core(make_settings(store_url), clock=clock, features=(*feature_list(), PingFeature))
    await core.migrate()  # not started: this test drives the queue by hand
    chat = ConsoleChat(core)
    await chat.say("/timezone")  # the workspace exists
    at = clock.now() + timedelta(minutes=1)
    row = delivery_row(
        "ping.pong", 7, workspace_id=1, platform="console", at=at, channel_id="general"
    )
    try:
        async with core.sessions.begin() as session:
            assert await enqueue(session, [row])
            assert not await enqueue(session, [row])  # the same post twice is one row
        clock.advance(timedelta(minutes=1))
        assert await core.queue.drain_due() == 1
        async with core.sessions() as session:
            found = (await session.execute(select(Delivery.status, Delivery.message_id))).one()
        assert found.status == "sent" and str(found.message_id).startswith("post")
        assert chat.dms.empty()  # posted, not DMed
        assert "📣 #general:" in chat.transcript
        assert "🏓 pong for None" in chat.transcript
    finally:
        await core.engine.dispose()
