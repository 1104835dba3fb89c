"""APScheduler for the few, coarse calendar jobs (retention sweeps; weekly summaries later).

Per-member deliveries do NOT go here: they are rows drained by `bot.queue` (see
docs/adr/0001-due-row-dispatcher.md for the measurements). APScheduler 3 runs with its
SQLAlchemy job store on the same database (a synchronous driver, so its rare work is tiny),
deterministic job ids with `replace_existing`, and `misfire_grace_time=None` + `coalesce=True`
set explicitly so a job that came due while the bot was down still runs, once.

Its job store must never be shared by two running schedulers, so on PostgreSQL (several
processes) only the holder of an advisory lock runs it; another process takes over within
`LEADER_RETRY` seconds if the holder dies (the lock dies with its connection: PostgreSQL sees a
killed process's socket close at once). The holder checks its connection as often, and stops its
scheduler if the connection (and with it the lock) was lost, so two never run at once for long.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
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
LEADER_RETRY = 3.0  # seconds: a takeover well within 10 s
JOB_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class CalendarJob:
    """A coarse job at fixed calendar times (UTC cron fields), e.g. a nightly sweep."""

    id: str
    run: jobs.JobRun
    cron: dict[str, int | str] = field(default_factory=dict)  # CronTrigger fields


def build_scheduler(database_url: str, calendar: Sequence[CalendarJob]) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=sync_url(database_url), tablename=JOB_TABLE)},
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    for job in calendar:
        scheduler.add_job(
            "bot.jobs:run",
            CronTrigger(timezone=UTC, **job.cron),
            args=[job.id],
            id=job.id,
            replace_existing=True,
        )
    return scheduler


class CalendarJobs:
    """Runs the calendar jobs in the one process that leads (always, on SQLite)."""

    def __init__(
        self, engine: AsyncEngine, database_url: str, calendar: Sequence[CalendarJob]
    ) -> None:
        self.engine = engine
        self.database_url = database_url
        self.calendar = tuple(calendar)
        if len({job.id for job in self.calendar}) != len(self.calendar):
            raise ValueError("two calendar jobs share an id")
        self.scheduler: AsyncIOScheduler | None = None
        self._leader: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        for job in self.calendar:
            jobs.bind(job.id, job.run)
        self._task = asyncio.create_task(self._lead(), name="mentorbot-calendar-jobs")

    @property
    def leading(self) -> bool:
        """This process runs the calendar jobs now."""
        return self.scheduler is not None and self.scheduler.running

    async def _lead(self) -> None:
        while True:
            while not await self._become_leader():
                await asyncio.sleep(LEADER_RETRY)
            scheduler = build_scheduler(self.database_url, self.calendar)
            scheduler.start()  # creates its table on first use: a few ms of blocking I/O, once
            self.scheduler = scheduler
            if self._leader is None:
                return  # SQLite: nobody to compete with
            # Worth telling only when several processes compete (tests and operators read it).
            log.info("calendar jobs: this process runs them (advisory lock %d)", LEADER_LOCK)
            await self._hold()
            log.warning("calendar jobs: lost the database connection holding the lock")
            scheduler.shutdown(wait=False)
            self.scheduler = None

    async def _hold(self) -> None:
        """Return when the connection holding the lock is gone."""
        assert self._leader is not None
        while True:
            await asyncio.sleep(LEADER_RETRY)
            try:
                await self._leader.scalar(text("SELECT 1"))
                await self._leader.commit()  # never idle in a transaction while holding it
            except Exception:
                leader, self._leader = self._leader, None
                with contextlib.suppress(Exception):
                    await leader.invalidate()
                return

    async def _become_leader(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True  # SQLite: one process owns the file
        try:
            connection = await self.engine.connect()
        except Exception:
            log.warning("calendar jobs: database unreachable; trying again", exc_info=True)
            return False
        try:
            got = await connection.scalar(text(f"SELECT pg_try_advisory_lock({LEADER_LOCK})"))
            await connection.commit()  # no transaction left open while the lock is held
        except Exception:
            await connection.close()
            return False
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
            # Closing would only return the connection to the pool, lock and all: release it.
            leader, self._leader = self._leader, None
            try:
                await leader.execute(text(f"SELECT pg_advisory_unlock({LEADER_LOCK})"))
                await leader.commit()
                await leader.close()
            except Exception:
                await leader.invalidate()
        for job in self.calendar:
            jobs.unbind(job.id)
