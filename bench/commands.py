"""`/remind` through `Core.dispatch` with 100,000 reminders stored: p50/p99 per command.

Run: `python bench/commands.py` (or `--database-url postgresql+asyncpg://...`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seed import future, seed  # noqa: E402
from bot.app import Core  # noqa: E402
from bot.chat import Actor, Invocation, Place  # noqa: E402
from bot.runtime import tune_gc  # noqa: E402
from bot.settings import Settings  # noqa: E402

PHRASES = ("in 5 days check the thread", "tomorrow at 9am submit the form",
           "every monday 9am review goals", 'RemindMe! 2 weeks "read chapter 3"',
           "next friday 5pm demo", "in 2h30m stretch")


async def main(database_url: str, stored: int, runs: int, active: int) -> None:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    core = Core(settings)
    await core.migrate()
    members = 2_000  # 50 stored reminders each: under the 100-per-member limit
    await seed(core.sessions, platform="console", members=members,
               due=future(stored, timedelta(days=1)))
    place = Place("general", is_dm=False)
    timings: list[float] = []
    tune_gc()  # as `mentorbot run` does once started
    async with core:
        for i in range(runs + 100):
            actor = Actor("console", "bench", f"u{i % active}")
            event = Invocation("remind", {"when": PHRASES[i % len(PHRASES)]}, actor, place)
            start = time.perf_counter()
            response = await core.dispatch(event)
            elapsed = time.perf_counter() - start
            if "✅" not in response.replies[0].text:
                raise SystemExit(f"unexpected answer: {response.text}")
            if i >= 100:  # the first 100 warm caches and connections
                timings.append(elapsed * 1000)
    timings.sort()
    print(
        f"database: {core.engine.dialect.name}; stored reminders: {stored:,}; runs: {runs:,}; "
        f"issued by {active:,} of {members:,} members"
    )
    print(f"/remind via Core.dispatch ms: p50 {statistics.median(timings):.2f}  "
          f"p99 {timings[int(len(timings) * 0.99) - 1]:.2f}  max {timings[-1]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2_000)
    parser.add_argument(
        "--active", type=int, default=2_000,
        help="how many members issue the commands: 2,000 (default) means each member is seen "
        "about once (cold lookups); 200 is a small active core (cached lookups)",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        asyncio.run(main(url, arguments.stored, arguments.runs, arguments.active))
