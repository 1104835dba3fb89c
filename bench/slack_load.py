"""Slack HTTP mode under load: 2,000 signed `/mentor remind` requests from 50 concurrent senders.

The bot (real Bolt app, real core, SQLite file) and a fake Slack run in this process; the senders
run in a child process so their work does not count against the bot's ack latency. Reports
throughput, p50/p99 ack latency (target: p99 <= 300 ms), that every reminder was stored exactly
once, and that replaying already-sent requests stored nothing more.

Run: `python bench/slack_load.py [--requests 2000 --concurrency 50 --replays 200]`.
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
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
from sqlalchemy import select  # noqa: E402

from adapters.slack.messenger import RetryPolicy  # noqa: E402
from adapters.slack.setup import slack_running  # noqa: E402
from bot.app import Core  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.tables import Reminder  # noqa: E402
from tests.fakes.slack_server import BOT_TOKEN, TEAM_ID, FakeSlack, slack_signature  # noqa: E402

SECRET = "bench-signing-secret"
MEMBERS = 100  # 20 reminders each: under the per-member limit
TARGET_P99_MS = 300.0


def request(number: int, respond_base: str) -> tuple[str, dict[str, str]]:
    """One signed `/mentor remind` request, as Slack would send it."""
    body = urlencode({
        "team_id": TEAM_ID, "channel_id": f"D{number % MEMBERS:04d}",
        "channel_name": "directmessage", "user_id": f"U{number % MEMBERS:04d}",
        "command": "/mentor", "text": f"remind in {1 + number % 48} hours task {number}",
        "response_url": f"{respond_base}{number}", "trigger_id": f"t{number}",
    })
    stamp = str(int(time.time()))
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": slack_signature(SECRET, stamp, body)}
    return body, headers


async def fire(
    session: aiohttp.ClientSession, requests: list[tuple[str, str, dict[str, str]]],
    concurrency: int,
) -> tuple[list[float], Counter[int], float]:
    """POST each (url, body, headers) from `concurrency` workers: ack latencies (ms), statuses
    and the wall time of the lot."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[tuple[str, str, dict[str, str]]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            url, body, headers = queue.get_nowait()
            started = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=headers) as answer:
                await answer.read()
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[answer.status] += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, statuses, time.perf_counter() - began


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


async def senders(url: str, respond_base: str, count: int, concurrency: int, replays: int) -> None:
    """Child process: fire the requests, then replay some, and print the timings as JSON."""
    prepared = [(url, *request(n, respond_base)) for n in range(count)]
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        latencies, statuses, elapsed = await fire(session, prepared, concurrency)
        replayed: Counter[int] = Counter()
        for _, body, headers in prepared[:replays]:  # byte-for-byte, signature and all
            async with session.post(url, data=body.encode(), headers=headers) as answer:
                replayed[answer.status] += 1
    print(json.dumps({"latencies": latencies, "statuses": statuses, "elapsed": elapsed,
                      "replayed": replayed}))


async def bot(count: int, concurrency: int, replays: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None, database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
            slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, http_host="127.0.0.1",
            http_port=0, default_timezone="UTC",
        )
        fake = FakeSlack()
        await fake.start()
        settings.slack_api_url = fake.api_url
        core = Core(settings)
        await core.migrate()
        try:
            async with core, slack_running(core, settings, policy=RetryPolicy()) as runtime:
                url = f"http://127.0.0.1:{runtime.http_port}/slack/events"
                child = await asyncio.create_subprocess_exec(
                    sys.executable, __file__, "--sender", url, fake.response_url("r"),
                    "--requests", str(count), "--concurrency", str(concurrency),
                    "--replays", str(replays), stdout=asyncio.subprocess.PIPE,
                    env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
                )
                began = time.perf_counter()
                output, _ = await child.communicate()
                await runtime.app.idle()
                handled = time.perf_counter() - began
                stored = await stored_texts(core)
        finally:
            await fake.close()
    result: dict[str, Any] = json.loads(output)
    return report(result, stored, fake, count, concurrency, replays, handled)


async def stored_texts(core: Core) -> Counter[str]:
    async with core.sessions() as session:
        return Counter((await session.scalars(select(Reminder.text))).all())


def report(
    result: dict[str, Any], stored: Counter[str], fake: FakeSlack, count: int, concurrency: int,
    replays: int, handled: float,
) -> int:
    latencies = sorted(result["latencies"])
    p50 = statistics.median(latencies)
    slowest = p99(latencies)
    expected = {f"task {n}" for n in range(count)}
    once = set(stored) == expected and all(times == 1 for times in stored.values())
    confirmations = sum("I'll remind you" in post.body.get("text", "") for post in fake.posted)
    print(f"{count:,} signed /mentor remind requests, {concurrency} concurrent senders, "
          f"HTTP mode on loopback, SQLite")
    print(f"acks: {dict(result['statuses'])}; {count / result['elapsed']:,.0f} requests/s "
          f"acked; all {count:,} handled (stored + answered) in {handled:.2f} s "
          f"({count / handled:,.0f}/s)")
    print(f"ack latency ms: p50 {p50:.1f}  p99 {slowest:.1f}  max {latencies[-1]:.1f}  "
          f"(target p99 <= {TARGET_P99_MS:.0f})")
    print(f"reminders stored: {sum(stored.values()):,}; each exactly once: {once}; "
          f"confirmations posted: {confirmations:,}")
    print(f"replayed {replays} already-sent requests: acks {dict(result['replayed'])}, "
          f"nothing more stored: {sum(stored.values()) == count}")
    ok = once and slowest <= TARGET_P99_MS and confirmations == count
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--replays", type=int, default=200)
    parser.add_argument("--sender", nargs=2, metavar=("URL", "RESPOND_BASE"))
    arguments = parser.parse_args()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    if arguments.sender:
        url, respond_base = arguments.sender
        asyncio.run(senders(url, respond_base, arguments.requests, arguments.concurrency,
                            arguments.replays))
        return
    sys.exit(asyncio.run(bot(arguments.requests, arguments.concurrency, arguments.replays)))


if __name__ == "__main__":
    main()
