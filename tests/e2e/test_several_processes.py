"""Three `mentorbot run` processes on one PostgreSQL: a burst of 3,000 due reminders, one process
SIGKILLed (or SIGTERMed) in the middle, and still every reminder is sent exactly once.

The fakes' own deduplication is off (Discord's nonce check), so a repeat would show: only the
queue's per-send records and its platform lookup before re-sending a recovered row prevent one.
The processes send as fast as the machine allows (rate limit lifted) and the waits poll with
deadlines, so the whole burst takes seconds, not minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.engine import make_engine
from tests.e2e.process import BotProcess, free_port, http_get
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_server import BOT_TOKEN, FakeSlack
from tests.support.burst import claimed_before, poll, repeats, seed_burst, statuses

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BURST = 3_000
MEMBERS = 100
STUCK = 8.0  # MENTORBOT_STUCK_AFTER_SECONDS: short, so the takeover is seen within the test
TAKEOVER_SLACK = 6.0  # "plus a few seconds": the recovery interval and a busy 2-core machine
LEADER = "calendar jobs: this process runs them"
COMMON = {
    "MENTORBOT_LOG_LEVEL": "INFO",
    "MENTORBOT_SEND_RATE_PER_SECOND": "2000",
    "MENTORBOT_DISPATCH_BATCH": "50",
    "MENTORBOT_STUCK_AFTER_SECONDS": str(STUCK),
    "MENTORBOT_HTTP_HOST": "127.0.0.1",
}


@asynccontextmanager
async def processes(
    url: str, tmp_path: Path, envs: list[dict[str, str]]
) -> AsyncIterator[list[BotProcess]]:
    """Start each process in turn (the first leads the calendar jobs); stop all afterwards."""
    started: list[BotProcess] = []
    try:
        for index, env in enumerate(envs):
            port = free_port()
            bot = BotProcess(url, tmp_path, **COMMON, **env, MENTORBOT_HTTP_PORT=str(port))
            bot.port = port
            started.append(bot)
            if index == 0:
                await asyncio.to_thread(bot.wait_for, LEADER, timeout=60, stderr=True)
        for bot in started:
            await poll(lambda bot=bot: _ready(bot), "/readyz 200", 60, every=0.2)
        yield started
    finally:
        for bot in started:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(bot.stop, 10)


async def _ready(bot: BotProcess) -> bool:
    assert bot.process.poll() is None, bot.diagnostics()
    assert bot.port is not None
    status, _ = await http_get(bot.port, "/readyz")
    return status == 200


async def crash_mid_burst(
    url: str,
    bots: list[BotProcess],
    sent: Callable[[], int],
    how: signal.Signals,
) -> tuple[float, datetime]:
    """Seed the burst, wait until about a third is sent, signal the leader; returns when."""
    engine = make_engine(url)
    try:
        await poll(lambda: sent() >= BURST // 3, "a third of the burst sent", 120, every=0.02)
        moment = datetime.now(UTC)
        bots[0].process.send_signal(how)
        return time.monotonic(), moment
    finally:
        await engine.dispose()


def leader_moved(bots: list[BotProcess]) -> bool:
    return any(LEADER in line for bot in bots for line in bot.errors)


async def run_burst(
    url: str,
    tmp_path: Path,
    envs: list[dict[str, str]],
    *,
    platform: str,
    user: Callable[[int], str],
    sent: Callable[[], int],
    texts: Callable[[], list[str]],
    how: signal.Signals = signal.SIGKILL,
) -> None:
    engine = make_engine(url)
    try:
        await migrate.upgrade(engine)
        async with processes(url, tmp_path, envs) as bots:
            await seed_burst(engine, platform=platform, count=BURST, members=MEMBERS, user=user)
            signalled_at, moment = await crash_mid_burst(url, bots, sent, how)

            # The others take the calendar jobs over within 10 s.
            took = await poll(lambda: leader_moved(bots[1:]), "leadership moved", 10)
            assert took < 10
            if how == signal.SIGTERM:
                code = await asyncio.to_thread(bots[0].process.wait, 10)
                assert code == 0, bots[0].diagnostics()
                assert time.monotonic() - signalled_at < 10
                # A graceful stop hands its claims back: nothing waits for the stuck timeout (the
                # others' rows in flight at that moment are recorded meanwhile), and nothing is
                # ever recovered (checked at the end).
                left = STUCK - (time.monotonic() - signalled_at) - 0.5
                await poll(lambda: _none_left(engine, moment), "claims handed back", max(left, 0.5))
            else:
                # The dead process's claims are taken over within the stuck timeout + a few s.
                await poll(
                    lambda: _none_left(engine, moment), "takeover", STUCK + TAKEOVER_SLACK, 0.2
                )
            await poll(lambda: _all_sent(engine), "every reminder recorded", 120, every=0.2)
            counts, twice = repeats(texts())
            assert twice == {}, f"sent more than once: {sorted(twice.items())[:10]}"
            assert set(counts) == set(range(BURST)), "some reminders were never sent"
            assert await statuses(engine) == {"sent": BURST}
            recovered = await _recovered(engine)
            if how == signal.SIGKILL:
                assert recovered > 0, "the kill left no claims behind: nothing was taken over"
            else:
                assert recovered == 0, "a graceful stop must leave nothing to recover"
            # The survivors' metrics saw their share of the burst.
            assert bots[1].port is not None
            status, body = await http_get(bots[1].port, "/metrics")
            assert status == 200 and 'mentorbot_deliveries_total{kind="reminder.fire"' in body
            for bot in bots[1:]:
                assert bot.process.poll() is None, bot.diagnostics()
                assert await asyncio.to_thread(bot.stop, 10) == 0
    finally:
        await engine.dispose()


async def _recovered(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM deliveries WHERE recoveries > 0")
        )
        return int(found or 0)


async def _none_left(engine: AsyncEngine, moment: datetime) -> bool:
    return await claimed_before(engine, moment) == 0


async def _all_sent(engine: AsyncEngine) -> bool:
    return (await statuses(engine)).get("sent", 0) == BURST


@pytest.mark.parametrize(
    "how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill-sends-each-once", "sigterm-loses-none"]
)
async def test_discord_three_shards_one_signalled_mid_burst(
    postgres_url: str, tmp_path: Path, how: signal.Signals
) -> None:
    """SIGKILL: the others take its claims over and send each reminder once; SIGTERM: a graceful
    stop hands its claims back, so nothing is lost or repeated and nothing needs recovering."""
    async with FakeDiscord() as fake:
        fake.nonce_check = False
        await run_burst(
            postgres_url,
            tmp_path,
            _discord_envs(fake),
            platform="discord",
            user=lambda i: str(900_000_000_000_000_000 + i),
            sent=lambda: len(fake.calls_to("POST", r"/channels/\d+/messages")),
            texts=lambda: _discord_texts(fake),
            how=how,
        )
        assert len(fake.gateway.identifies) >= 3  # one gateway session per shard process


def _discord_envs(fake: FakeDiscord) -> list[dict[str, str]]:
    return [
        {
            "MENTORBOT_DISCORD_TOKEN": fake.token,
            "MENTORBOT_DISCORD_API_BASE": fake.api_base,
            "MENTORBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
            "MENTORBOT_DISCORD_SHARD_COUNT": "3",
            "MENTORBOT_DISCORD_SHARD_IDS": str(shard),
        }
        for shard in range(3)
    ]


def _discord_texts(fake: FakeDiscord) -> list[str]:
    return [
        str(message["content"])
        for channel in fake.dm_channels.values()
        for message in fake.channel_messages.get(channel, [])
    ]


async def test_slack_http_three_processes_sigkill_mid_burst_sends_no_dm_twice(
    postgres_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    envs = [
        {
            "MENTORBOT_SLACK_BOT_TOKEN": BOT_TOKEN,
            "MENTORBOT_SLACK_SIGNING_SECRET": "burst-signing-secret",
            "MENTORBOT_SLACK_API_URL": fake_slack.api_url,
        }
        for _ in range(3)
    ]
    await run_burst(
        postgres_url,
        tmp_path,
        envs,
        platform="slack",
        user=lambda i: f"U{i:06d}",
        sent=lambda: len(fake_slack.calls_to("chat.postMessage")),
        texts=lambda: [str(m["text"]) for ms in fake_slack.history.values() for m in ms],
    )
    assert fake_slack.calls_to("conversations.history"), "no recovered row asked Slack first"
