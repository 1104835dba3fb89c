"""The daily retention sweep: a calendar job in APScheduler's store, deleting only old rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, text

from adapters.console.chat import ConsoleChat
from bot import jobs
from bot.app import RETENTION_AT, RETENTION_JOB, Core
from bot.calendar import CalendarJob, build_scheduler
from bot.clock import FakeClock
from bot.storage.engine import sync_url
from bot.storage.tables import Delivery
from tests.support.conversation import count, dispatcher_idle


async def test_sweep_removes_old_finished_deliveries_only(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/remind in 1 hour old news")
    await chat.say("/remind in 60 days far future")
    clock.advance(timedelta(hours=1))
    await chat.next_dm()
    await dispatcher_idle(core)  # the send is recorded, not just seen
    clock.advance(timedelta(days=31))
    await jobs.run(RETENTION_JOB)  # through the job function, as APScheduler calls it
    assert await count(core, Delivery, status="sent") == 0
    assert await count(core, Delivery, status="pending") == 1


async def test_calendar_job_is_persistent_and_never_dropped_when_late(store_url: str) -> None:
    async def sweep() -> int:
        return 0

    scheduler = build_scheduler(store_url, [CalendarJob(RETENTION_JOB, sweep, RETENTION_AT)])
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("retention-sweep")
        assert job is not None
        assert job.func_ref == "bot.jobs:run"
        assert job.misfire_grace_time is None and job.coalesce is True
        assert job.args == (RETENTION_JOB,) and job.kwargs == {}  # ids only; nothing pickled
    finally:
        scheduler.shutdown(wait=False)
    store = create_engine(sync_url(store_url))  # APScheduler's own (synchronous) driver
    try:
        with store.connect() as connection:
            rows = connection.execute(text("SELECT id FROM apscheduler_jobs")).all()
    finally:
        store.dispose()
    assert [tuple(row) for row in rows] == [("retention-sweep",)]
