"""Signed Slack HTTP requests at one and at three `mentorbot run` processes on one PostgreSQL.

Each process is the real command (Slack HTTP mode, its own port, all on one database); a sender
child process spreads 2,000 signed `/mentor remind` requests round-robin over the processes, as a
load balancer would, with 50 in flight. Reports for each setup: requests acked per second, all
handled (stored and answered) per second, p50/p99 ack latency, and that each reminder was stored
exactly once; then the three-to-one ratio. A fake Slack (this process) takes the answers.

Run: `python bench/load.py [--requests 2000 --concurrency 50]` (PostgreSQL on 127.0.0.1:5432,
or MENTORBOT_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.slack_load import SECRET, fire, p99, request  # noqa: E402
from bot.storage import migrate  # noqa: E402
from bot.storage.engine import make_engine  # noqa: E402
from tests.e2e.process import BotProcess, free_port  # noqa: E402
from tests.fakes.slack_server import BOT_TOKEN, FakeSlack  # noqa: E402
from tests.support.databases import create_postgres_database, drop_postgres_database  # noqa: E402


async def senders(urls: list[str], respond_base: str, count: int, concurrency: int) -> None:
    """Child process: request n goes to urls[n % len(urls)]; prints timings as JSON."""
    prepared = [(urls[n % len(urls)], *request(n, respond_base)) for n in range(count)]
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        latencies, statuses, elapsed = await fire(session, prepared, concurrency)
    print(json.dumps({"latencies": latencies, "statuses": statuses, "elapsed": elapsed}))


def answered(fake: FakeSlack) -> int:
    return sum("I'll remind you" in post.body.get("text", "") for post in fake.posted)


async def ready(port: int, bot: BotProcess, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            if bot.process.poll() is not None:
                raise SystemExit("a bot process exited:\n" + bot.diagnostics())
            try:
                async with session.get(f"http://127.0.0.1:{port}/readyz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("a bot process never got ready:\n" + bot.diagnostics())
            await asyncio.sleep(0.1)


async def one_setup(processes: int, count: int, concurrency: int) -> dict[str, Any]:
    url = await create_postgres_database()
    engine = make_engine(url)
    fake = FakeSlack()
    await fake.start()
    bots: list[BotProcess] = []
    try:
        await migrate.upgrade(engine)
        ports = [free_port() for _ in range(processes)]
        with tempfile.TemporaryDirectory() as folder:
            for port in ports:
                bots.append(BotProcess(
                    url, Path(folder), MENTORBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
                    MENTORBOT_SLACK_SIGNING_SECRET=SECRET, MENTORBOT_SLACK_API_URL=fake.api_url,
                    MENTORBOT_HTTP_HOST="127.0.0.1", MENTORBOT_HTTP_PORT=str(port),
                ))
            for port, bot in zip(ports, bots, strict=True):
                await ready(port, bot)
            child = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--sender", fake.response_url("r"),
                *[f"http://127.0.0.1:{port}/slack/events" for port in ports],
                "--requests", str(count), "--concurrency", str(concurrency),
                stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
            )
            began = time.perf_counter()
            output, _ = await child.communicate()
            while answered(fake) < count:  # every confirmation posted: all handled
                if time.perf_counter() - began > 300:
                    raise SystemExit(f"only {answered(fake)} of {count} answered")
                await asyncio.sleep(0.02)
            handled = time.perf_counter() - began
            async with engine.connect() as connection:
                texts = Counter(await connection.scalars(text("SELECT text FROM reminders")))
            for bot in bots:
                await asyncio.to_thread(bot.stop, 10)
    finally:
        for bot in bots:
            if bot.process.poll() is None:
                bot.process.kill()
        await fake.close()
        await engine.dispose()
        await drop_postgres_database(url)
    result: dict[str, Any] = json.loads(output)
    latencies = sorted(result["latencies"])
    return {
        "processes": processes,
        "statuses": dict(result["statuses"]),
        "acked_per_s": count / result["elapsed"],
        "handled_per_s": count / handled,
        "p50": statistics.median(latencies),
        "p99": p99(latencies),
        "once": set(texts) == {f"task {n}" for n in range(count)}
        and all(times == 1 for times in texts.values()),
    }


async def bench(count: int, concurrency: int) -> int:
    results = [await one_setup(n, count, concurrency) for n in (1, 3)]
    print(f"{count:,} signed /mentor remind requests, {concurrency} in flight, Slack HTTP mode, "
          f"one PostgreSQL, {os.cpu_count()} CPU cores")
    for r in results:
        print(f"{r['processes']} process(es): acks {r['statuses']}; {r['acked_per_s']:,.0f} "
              f"acked/s; {r['handled_per_s']:,.0f} handled/s; ack ms p50 {r['p50']:.1f} "
              f"p99 {r['p99']:.1f}; each stored once: {r['once']}")
    one, three = results
    print(f"three / one: throughput x{three['handled_per_s'] / one['handled_per_s']:.2f}, "
          f"p99 x{three['p99'] / one['p99']:.2f}")
    return 0 if all(r["once"] and r["statuses"] == {"200": count} for r in results) else 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--sender", nargs="+", metavar="RESPOND_BASE URL")
    arguments = parser.parse_args()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    if arguments.sender:
        respond_base, *urls = arguments.sender
        asyncio.run(senders(urls, respond_base, arguments.requests, arguments.concurrency))
        return
    sys.exit(asyncio.run(bench(arguments.requests, arguments.concurrency)))


if __name__ == "__main__":
    main()
