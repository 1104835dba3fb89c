"""Calendar jobs on PostgreSQL run in exactly one process; another takes over when it dies."""

from __future__ import annotations

import asyncio

import pytest

from bot.calendar import LEADER_RETRY, CalendarJob, CalendarJobs
from bot.storage.engine import make_engine

pytestmark = pytest.mark.postgres


async def _nothing() -> int:
    return 0


async def _until_leading(jobs: CalendarJobs, timeout: float) -> float:
    """Seconds until `jobs` leads (polled with a deadline)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not jobs.leading:
        assert loop.time() - started < timeout, "no takeover in time"
        await asyncio.sleep(0.05)
    return loop.time() - started


async def test_one_leader_and_a_takeover_within_ten_seconds(postgres_url: str) -> None:
    calendar = [CalendarJob("leader-test", run=_nothing, cron={"hour": 3})]
    engines = [make_engine(postgres_url), make_engine(postgres_url)]
    first, second = (CalendarJobs(engine, postgres_url, calendar) for engine in engines)
    try:
        first.start()
        await _until_leading(first, 5)
        second.start()
        await asyncio.sleep(LEADER_RETRY + 0.5)  # a full retry: the second must not lead
        assert not second.leading
        assert first.leading
        await first.stop()  # its lock's connection closes, as when the process dies
        assert await _until_leading(second, 10) < 10
    finally:
        await first.stop()
        await second.stop()
        for engine in engines:
            await engine.dispose()
