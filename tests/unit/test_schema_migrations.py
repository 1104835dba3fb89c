"""The schema comes only from Alembic, and the models agree with it on both databases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, bindparam, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Core
from bot.chat import Recipient, Reply
from bot.clock import FakeClock
from bot.queue import enqueue
from bot.reminders.schedule import reminder_row
from bot.storage import migrate
from bot.storage.engine import make_engine
from bot.storage.tables import Base, Delivery, DeliveryStatus, include_name
from bot.storage.types import UTCDateTime
from tests.conftest import START, make_settings


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "compare_type": True}
    )
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        applied = await migrate.upgrade(engine)
        assert applied and applied[0] == "0001"
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
        assert await migrate.upgrade(engine) == []  # idempotent: nothing pending the second time
    finally:
        await engine.dispose()


# Upgrading a database that revision 0001 wrote: its pending reminders still go out, once.

DUE_SOON = START + timedelta(hours=1)


class Recording:
    """A console platform that records every DM it is asked to send."""

    platform = "console"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []  # (user, key, text)
        self.arrived = asyncio.Event()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        self.sent.append((recipient.user_id, key, reply.text))
        self.arrived.set()
        return f"m{len(self.sent)}"

    async def until(self, count: int, timeout: float = 10.0) -> None:
        """Wait (with a deadline) until `count` DMs were sent."""
        async with asyncio.timeout(timeout):
            while len(self.sent) < count:
                self.arrived.clear()
                await self.arrived.wait()


def _at_0001(connection: Connection) -> None:
    config = migrate.alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "0001")


async def _write_0001_rows(engine: AsyncEngine) -> None:
    """What revision 0001's code stored: raw SQL, since today's models no longer match it."""
    at = UTCDateTime()
    statements = [
        (
            "INSERT INTO workspaces (id, platform, external_id, created_at) "
            "VALUES (1, 'console', 'local', :t0)",
            {},
        ),
        (
            "INSERT INTO members (id, workspace_id, user_id, display_name, tz, created_at) "
            "VALUES (1, 1, 'you', 'you', NULL, :t0), (2, 1, 'bob', 'bob', 'Europe/Berlin', :t0)",
            {},
        ),
    ]
    reminders = [  # id, owner, text, rule, first_at, next_at, status
        (1, 1, "alpha overdue", None, START - timedelta(hours=2), START - timedelta(hours=2)),
        (2, 2, "bravo soon", None, DUE_SOON, DUE_SOON),
        (3, 1, "charlie snoozed", None, START - timedelta(days=1), None),
        (4, 1, "delta already sent", None, START - timedelta(hours=3), None),
        (5, 1, "echo daily", "FREQ=DAILY", DUE_SOON, DUE_SOON),
    ]
    deliveries = [  # reminder, member, kind, occurrence, status
        (1, 1, "fire", START - timedelta(hours=2), "pending"),
        (2, 2, "fire", DUE_SOON, "pending"),
        (3, 1, "fire", START - timedelta(days=1), "done"),
        (3, 1, "snooze", START + timedelta(minutes=30), "pending"),
        (4, 1, "fire", START - timedelta(hours=3), "sent"),
        (5, 1, "fire", DUE_SOON, "pending"),
        (5, 2, "fire", DUE_SOON, "pending"),  # bob follows echo
    ]
    async with engine.begin() as connection:
        for sql, _ in statements:
            await connection.execute(text(sql).bindparams(bindparam("t0", START, type_=at)))
        for rid, owner, body, rule, first, upcoming in reminders:
            status = "active" if upcoming else "done"
            await connection.execute(
                text(
                    "INSERT INTO reminders (id, workspace_id, owner_id, text, rule, first_at, "
                    "next_at, status, shared, created_at) "
                    "VALUES (:id, 1, :owner, :text, :rule, :first, :next, :status, :shared, :t0)"
                ).bindparams(
                    bindparam("first", first, type_=at),
                    bindparam("next", upcoming, type_=at),
                    bindparam("t0", START, type_=at),
                    bindparam("shared", False, type_=Boolean()),
                ),
                {"id": rid, "owner": owner, "text": body, "rule": rule, "status": status},
            )
        await connection.execute(
            text(
                "INSERT INTO reminder_followers (reminder_id, member_id, created_at) "
                "VALUES (5, 2, :t0)"
            ).bindparams(bindparam("t0", START, type_=at))
        )
        for rid, member, kind, occurrence, status in deliveries:
            await connection.execute(
                text(
                    "INSERT INTO deliveries (workspace_id, platform, reminder_id, member_id, "
                    "kind, occurrence, due_at, status, attempts, recoveries) "
                    "VALUES (1, 'console', :rid, :member, :kind, :at, :at, :status, 0, 0)"
                ).bindparams(bindparam("at", occurrence, type_=at)),
                {"rid": rid, "member": member, "kind": kind, "status": status},
            )


async def test_a_0001_database_upgrades_and_delivers_each_pending_reminder_once(
    database_url: str, clock: FakeClock
) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_at_0001)
            await connection.commit()
        await _write_0001_rows(engine)
        applied = await migrate.upgrade(engine)
        assert applied[0] == "0002" and applied[-1] == migrate.head()
    finally:
        await engine.dispose()

    core = Core(make_settings(database_url, send_rate_per_second=1000.0), clock=clock)
    messenger = Recording()
    async with core:
        async with core.sessions() as session:
            kinds = (
                await session.execute(
                    select(
                        Delivery.subject_id, Delivery.kind, Delivery.family, Delivery.destination
                    ).order_by(Delivery.id)
                )
            ).all()
        assert [tuple(row) for row in kinds] == [
            (1, "reminder.fire", "reminder", "member:1"),
            (2, "reminder.fire", "reminder", "member:2"),
            (3, "reminder.fire", "reminder", "member:1"),
            (3, "reminder.snooze", "reminder", "member:1"),
            (4, "reminder.fire", "reminder", "member:1"),
            (5, "reminder.fire", "reminder", "member:1"),
            (5, "reminder.fire", "reminder", "member:2"),
        ]
        core.attach(messenger)
        await messenger.until(1)  # alpha was due before the upgrade: it goes out at once, late
        clock.advance(timedelta(minutes=30))
        await messenger.until(2)  # charlie's snooze
        clock.advance(timedelta(minutes=30))
        await messenger.until(5)  # bravo, and echo to its owner and its follower
        await asyncio.wait_for(core.queue.idle.wait(), 10)
        # A fire of charlie at its snooze's moment is the same delivery: nothing new is queued.
        async with core.sessions.begin() as session:
            assert not await enqueue(
                session, [reminder_row(1, "console", 3, 1, START + timedelta(minutes=30))]
            )
        async with core.sessions() as session:
            statuses = dict(
                (
                    await session.execute(
                        select(Delivery.subject_id, func.count())
                        .where(Delivery.status == DeliveryStatus.SENT)
                        .group_by(Delivery.subject_id)
                    )
                ).all()
            )
            upcoming = (
                await session.scalars(
                    select(Delivery.due_at).where(
                        Delivery.subject_id == 5, Delivery.status == DeliveryStatus.PENDING
                    )
                )
            ).all()

    texts = [text for _, _, text in messenger.sent]
    for name in ("alpha overdue", "bravo soon", "charlie snoozed"):
        assert sum(name in body for body in texts) == 1, name
    assert sum("echo daily" in body for body in texts) == 2  # owner and follower
    assert not any("delta" in body for body in texts)
    assert len({key for _, key, _ in messenger.sent}) == len(messenger.sent) == 5
    alpha = next(body for body in texts if "alpha" in body)
    assert "Sorry, this is 2 hours late" in alpha
    assert not any("Sorry" in body for body in texts if "alpha" not in body)
    assert statuses == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2}
    assert sorted(upcoming) == [DUE_SOON + timedelta(days=1)] * 2  # the series goes on


async def test_0002_downgrades_to_the_0001_shape_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)

    def down_to_0001(connection: Connection) -> None:
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")

    try:
        async with engine.connect() as connection:
            await connection.run_sync(_at_0001)
            await connection.commit()
        await _write_0001_rows(engine)
        applied = await migrate.upgrade(engine)
        assert applied[0] == "0002" and applied[-1] == migrate.head()
        async with engine.connect() as connection:
            await connection.run_sync(down_to_0001)
            await connection.commit()
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT reminder_id, member_id, kind FROM deliveries ORDER BY id")
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            (1, 1, "fire"),
            (2, 2, "fire"),
            (3, 1, "fire"),
            (3, 1, "snooze"),
            (4, 1, "fire"),
            (5, 1, "fire"),
            (5, 2, "fire"),
        ]
        applied = await migrate.upgrade(engine)
        assert applied[0] == "0002" and applied[-1] == migrate.head()
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
