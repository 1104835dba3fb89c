"""APScheduler for the few, coarse calendar jobs (retention sweeps; weekly summaries later).

Per-member deliveries do NOT go here: they are rows drained by `bot.dispatcher` (see
docs/adr/0001-due-row-dispatcher.md for the measurements). APScheduler 3 runs with its
SQLAlchemy job store on the same database (a synchronous driver, so its rare work is tiny),
deterministic job ids with `replace_existing`, and `misfire_grace_time=None` + `coalesce=True`
set explicitly so a job that came due while the bot was down still runs, once.

Its job store must never be shared by two running schedulers, so on PostgreSQL (several
processes) only the holder of an advisory lock runs it; another process takes over within
`LEADER_RETRY` seconds if the holder dies (the lock dies with its connection).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot import jobs, tasks
from bot.storage.engine import sync_url

log = logging.getLogger(__name__)
LEADER_LOCK = 0x6D656E74  # "ment"
LEADER_RETRY = 15.0
JOB_TABLE = "apscheduler_jobs"


def build_scheduler(database_url: str) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=sync_url(database_url), tablename=JOB_TABLE)},
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    scheduler.add_job(
        "bot.jobs:retention_sweep",
        CronTrigger(hour=3, minute=17, timezone=UTC),
        id="retention-sweep",
        replace_existing=True,
    )
    return scheduler


class CalendarJobs:
    def __init__(self, engine: AsyncEngine, database_url: str, sweeper: jobs.Sweeper) -> None:
        self.engine = engine
        self.database_url = database_url
        self.sweeper = sweeper
        self.scheduler: AsyncIOScheduler | None = None
        self._leader: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        jobs.bind(self.sweeper)
        self._task = asyncio.create_task(self._lead(), name="mentorbot-calendar-jobs")

    async def _lead(self) -> None:
        while not await self._become_leader():
            await asyncio.sleep(LEADER_RETRY)
        scheduler = build_scheduler(self.database_url)
        scheduler.start()  # creates its table on first use: a few ms of blocking I/O, once
        self.scheduler = scheduler
        if self._leader is not None:  # worth telling only when several processes compete
            log.info("calendar jobs: this process runs them")

    async def _become_leader(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True  # SQLite: one process owns the file
        connection = await self.engine.connect()
        got = await connection.scalar(text(f"SELECT pg_try_advisory_lock({LEADER_LOCK})"))
        if got:
            self._leader = connection  # held open: the lock lives as long as this connection
            return True
        await connection.close()
        return False

    async def stop(self) -> None:
        await tasks.stop(self._task)
        self._task = None
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._leader is not None:
            await self._leader.close()
            self._leader = None
        jobs.bind(None)
