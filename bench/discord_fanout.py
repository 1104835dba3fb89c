"""Fan-out benchmark: 2,000 reminder DMs through the real Discord adapter into the fake Discord.

The fake allows `--allowed-rate` requests a second (Discord's global limit is 50; answering 429
`global` above it) and, on top, answers a random 10% of requests 429 and 2% 500. Everything
else is real: the core claims due reminders from SQLite and sends them through its delivery
limiter, the adapter's messenger, and discord.py's own rate-limit handling.

    python bench/discord_fanout.py [--members 2000] [--allowed-rate 50]

Prints: delivered, duplicates, what the fake injected, and the achieved request rate against
the rate the fake allows.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.discord.client import MentorClient, Options  # noqa: E402
from adapters.discord.messenger import DiscordMessenger  # noqa: E402
from adapters.discord.setup import use_endpoints  # noqa: E402
from bot.app import Core  # noqa: E402
from bot.chat import Actor, Invocation, Place, Recipient, Reply  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.delivery import DeliveryError  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fakes.discord_server import FakeDiscord  # noqa: E402

START = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


async def follow_real_time(clock: FakeClock) -> None:
    """After the jump to the due time, let the fake clock run at wall-clock speed (so the
    core's own retries come due)."""
    last = time.monotonic()
    while True:
        await asyncio.sleep(0.05)
        now = time.monotonic()
        clock.advance(timedelta(seconds=now - last))
        last = now


class CountingMessenger:
    """The adapter's messenger, counting the failures it hands back to the core."""

    platform = "discord"

    def __init__(self, inner: DiscordMessenger) -> None:
        self.inner = inner
        self.handed_back: Counter[str] = Counter()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        try:
            return await self.inner.send_direct(recipient, reply, key=key)
        except DeliveryError as error:
            self.handed_back[error.reason] += 1
            raise


async def create_reminders(core: Core, workspace: str, members: list[str]) -> None:
    place = Place(channel_id="bench", is_dm=True)
    for user_id in members:
        actor = Actor("discord", workspace, user_id)
        options = {"when": "in 10 minutes", "what": f"reminder for {user_id}"}
        response = await core.dispatch(Invocation("remind", options, actor, place))
        assert response.replies[0].text.startswith("✅"), response.text


async def main(members: int, allowed_rate: float, limit_429: float, limit_500: float) -> int:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="mentorbot-bench-") as directory:
        return await run(directory, members, allowed_rate, limit_429, limit_500)


async def run(
    directory: str, members: int, allowed_rate: float, limit_429: float, limit_500: float
) -> int:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{directory}/bench.db",
        send_rate_per_second=allowed_rate * 0.45,  # 2 requests a DM, some refused: leave room
        send_concurrency=32,
    )
    clock = FakeClock(START)
    core = Core(settings, clock=clock)
    await core.migrate()
    async with FakeDiscord() as fake, core:
        use_endpoints(fake.api_base, fake.gateway_url)
        client = MentorClient(core, Options(identify_spacing=0, guild_ready_timeout=0.01))
        async with client:
            await client.login(fake.token)
            messenger = CountingMessenger(DiscordMessenger(client))
            core.attach(messenger)
            connection = asyncio.create_task(client.connect())
            await client.wait_until_ready()
            users = [fake.ids() for _ in range(members)]
            await create_reminders(core, str(client.application_id), users)

            fake.allowed_rate = allowed_rate
            fake.buckets.limit = int(allowed_rate)  # the global rate is the one that binds
            fake.fault_ratio(rate_limited=limit_429, server_error=limit_500, retry_after=0.25)
            requests_before = len(fake.calls)
            started = time.monotonic()
            clock.advance(timedelta(minutes=10))
            ticking = asyncio.create_task(follow_real_time(clock))
            await fake.wait_until(
                lambda: all(fake.dms(user) for user in users), timeout=900, poll=0.05
            )
            elapsed = time.monotonic() - started
            ticking.cancel()
            connection.cancel()

    calls = fake.calls[requests_before:]
    statuses = Counter(call.status for call in calls)
    per_member = Counter(len(fake.dms(user)) for user in users)
    ok = sum(count for status, count in statuses.items() if 200 <= status < 300)
    print(f"members                    {members}")
    print(f"delivered                  {sum(1 for user in users if fake.dms(user))}/{members}")
    print(f"delivered twice or more    {sum(n for k, n in per_member.items() if k > 1)}")
    print(f"duplicates stopped (nonce) {fake.stats.nonce_replays}")
    print(f"requests                   {len(calls)} ({dict(sorted(statuses.items()))})")
    for reason, count in sorted(fake.stats.refused.items()):
        print(f"  refused: {reason:<18} {count}")
    print(f"handed back to the core    {dict(messenger.handed_back) or 0} (retried later)")
    print(f"elapsed                    {elapsed:.1f} s")
    print(f"DMs per second             {members / elapsed:.1f}")
    print(f"accepted requests/s        {ok / elapsed:.1f} of {allowed_rate:.0f} allowed "
          f"({100 * ok / elapsed / allowed_rate:.0f}%)")
    return 0 if all(fake.dms(user) for user in users) and set(per_member) == {1} else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--allowed-rate", type=float, default=50.0)  # Discord: 50/s
    parser.add_argument("--rate-limited", type=float, default=0.10)
    parser.add_argument("--server-errors", type=float, default=0.02)
    args = parser.parse_args()
    sys.exit(
        asyncio.run(main(args.members, args.allowed_rate, args.rate_limited, args.server_errors))
    )
