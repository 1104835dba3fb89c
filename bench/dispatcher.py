"""Delivery queue burst: 100,000 reminders pending, 5,000 due within the same second.

Reports lateness (send time minus due time) p50/p99/max, the drain time, and the largest
event-loop stall seen by a 1 ms ticker during the burst, and the process's CPU time (which moves
less than lateness on a busy shared machine). Run: `python bench/dispatcher.py`
(add `--database-url postgresql+asyncpg://...` to measure PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seed import future, seed  # noqa: E402
from bot.app import Core  # noqa: E402
from bot.chat import Recipient, Reply  # noqa: E402
from bot.runtime import tune_gc  # noqa: E402
from bot.settings import Settings  # noqa: E402


class RecordingMessenger:
    """A platform that accepts instantly and notes when each DM was sent."""

    platform = "bench"

    def __init__(self, expected: int) -> None:
        self.sent: dict[str, datetime] = {}
        self.expected = expected
        self.all_sent = asyncio.Event()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        self.sent[key] = datetime.now(UTC)
        if len(self.sent) >= self.expected:
            self.all_sent.set()
        return key


async def ticker(stalls: list[float], stop: asyncio.Event) -> None:
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        stalls.append(now - last - 0.001)
        last = now


async def main(database_url: str, pending: int, burst: int, lead_seconds: float) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url, send_rate_per_second=1_000_000, send_concurrency=1000,
    )
    core = Core(settings)
    await core.migrate()
    lead = timedelta(seconds=lead_seconds)  # seeding must finish before the burst is due
    burst_at = datetime.now(UTC) + lead
    burst_due = [burst_at + timedelta(microseconds=i * 1_000_000 // burst) for i in range(burst)]
    load_start = time.perf_counter()
    await seed(core.sessions, platform="bench", members=10_000,
               due=burst_due + future(pending, timedelta(days=1)))
    seconds = time.perf_counter() - load_start
    print(f"seeded {pending + burst:,} pending deliveries in {seconds:.1f} s")
    messenger = RecordingMessenger(burst)
    tune_gc()  # as `mentorbot run` does once started
    async with core:
        core.attach(messenger)
        wait = (burst_at - datetime.now(UTC)).total_seconds()
        if wait < 0.5:
            raise SystemExit("seeding took too long; increase --lead")
        stalls: list[float] = []
        stop = asyncio.Event()
        await asyncio.sleep(wait - 0.5)
        ticking = asyncio.create_task(ticker(stalls, stop))
        cpu_start = time.process_time()  # all threads: the event loop and the database driver's
        await asyncio.wait_for(messenger.all_sent.wait(), timeout=120)
        cpu = time.process_time() - cpu_start
        stop.set()
        await ticking
    due_by_key = {f"mentorbot-d{i + 1}": due for i, due in enumerate(burst_due)}
    lateness = sorted(
        (messenger.sent[key] - due).total_seconds() * 1000 for key, due in due_by_key.items()
    )
    drain = (max(messenger.sent.values()) - burst_due[0]).total_seconds()
    p99 = lateness[int(len(lateness) * 0.99) - 1]
    print(f"database: {core.engine.dialect.name}; pending: {pending:,}; burst: {burst:,} "
          "due within one second")
    print(f"lateness ms: p50 {statistics.median(lateness):.1f}  p99 {p99:.1f}  "
          f"max {lateness[-1]:.1f}")
    print(f"drain: all {burst:,} sent {drain:.2f} s after the first was due")
    print(f"largest event-loop stall during the burst: {max(stalls) * 1000:.1f} ms")
    print(f"process CPU from 0.5 s before the burst until the last send: {cpu:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=5_000)
    parser.add_argument("--lead", type=float, default=8.0, help="seconds to seed before the burst")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        asyncio.run(main(url, arguments.pending, arguments.burst, arguments.lead))
