"""Check-in fan-out: one weekly prompt burst to 10,000 members through the real adapter and fake.

Discord (default): the fake allows `--allowed-rate` requests a second (Discord's global limit is
50; it answers 429 `global` above it) and on top answers a random 5% of requests 429 and 1% 500.
Week 1 opens every DM channel (two requests a DM); week 2 reuses the channel ids the messenger
kept (one request a DM). Everything else is real: `/checkin setup` through the core, the queue
claiming due prompts from SQLite, the adapter's messenger and request budget, discord.py.

    python bench/checkin_fanout.py [--members 10000] [--allowed-rate 50] [--platform slack]

Prints per week: delivered, duplicates, the requests and their answers, 429s the fake sent beyond
the injected ones (our pacing failures), invalid requests (what Discord's IP ban counts), and
accepted requests a second as a share of the allowed rate.

`--platform slack`: the same burst through the Slack adapter into the fake Slack, which answers
429 with `Retry-After` above `--allowed-rate` calls a second.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from bot.app import Core  # noqa: E402
from bot.chat import Actor, Invocation, Place  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.tables import Member  # noqa: E402

START = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # Monday; prompts at Monday 09:00 UTC
WEEK1 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def follow_real_time(clock: FakeClock) -> None:
    """After the jump to the due time the fake clock runs at wall-clock speed (retries come due)."""
    last = time.monotonic()
    while True:
        await asyncio.sleep(0.05)
        now = time.monotonic()
        clock.advance(timedelta(seconds=now - last))
        last = now


async def set_up(core: Core, platform: str, workspace: str, users: list[str]) -> None:
    """One member through `/checkin setup` for real, the rest as copies of that row (fast)."""
    place = Place("bench", is_dm=True)
    first = Actor(platform, workspace, users[0], display_name=users[0])
    answer = await core.dispatch(
        Invocation("checkin", {"action": "setup", "when": "monday 9am"}, first, place)
    )
    assert "Weekly check-in set" in answer.text, answer.text
    for user in users[1:]:
        # The command path per member is measured elsewhere (bench/commands.py); here the burst.
        actor = Actor(platform, workspace, user, display_name=user)
        async with core.context.transaction(actor):
            pass
    async with core.sessions.begin() as session:
        from bot.storage.tables import Checkin

        template = await session.scalar(select(Checkin))
        assert template is not None
        members = (
            await session.execute(
                select(Member.id, Member.workspace_id).where(Member.user_id != users[0])
            )
        ).all()
        fields = {
            column: getattr(template, column)
            for column in (
                "rule",
                "first_at",
                "next_at",
                "goal",
                "target_role",
                "share",
                "status",
                "quiet_start",
                "quiet_end",
                "nudge_hours",
                "created_at",
                "updated_at",
            )
        }
        await session.execute(
            insert(Checkin),
            [fields | {"member_id": m, "workspace_id": w} for m, w in members],
        )
        checkins = (
            await session.execute(
                select(Checkin.id, Checkin.member_id, Checkin.workspace_id).where(
                    Checkin.id != template.id
                )
            )
        ).all()
        from bot.queue import delivery_row, enqueue

        await enqueue(
            session,
            [
                delivery_row(
                    "checkin.prompt",
                    cid,
                    workspace_id=wid,
                    platform=platform,
                    at=WEEK1,
                    member_id=mid,
                )
                for cid, mid, wid in checkins
            ],
        )


async def everyone_answers(core: Core) -> None:
    """Between the weeks every member answers, as the service would record it (their nudges are
    withdrawn), so week 2's burst is the prompts alone."""
    from sqlalchemy import update

    from bot.storage.tables import CheckinWeek, Delivery, DeliveryStatus

    async with core.sessions.begin() as session:
        await session.execute(update(CheckinWeek).values(status="answered", hours=3.0))
        await session.execute(
            update(Delivery)
            .where(Delivery.kind.in_(("checkin.nudge", "checkin.warning")))
            .values(status=DeliveryStatus.CANCELLED)
        )


async def burst(
    core: Core, clock: FakeClock, at: datetime, delivered: Any, timeout: float = 1800
) -> float:
    """Move to `at`, let the clock run, wait until every member has this week's prompt."""
    started = time.monotonic()
    clock.set(at)
    ticking = asyncio.create_task(follow_real_time(clock))
    try:
        deadline = started + timeout
        while not delivered():
            if time.monotonic() > deadline:
                raise TimeoutError("burst not delivered in time")
            await asyncio.sleep(0.1)
    finally:
        ticking.cancel()
    return time.monotonic() - started


def report(
    week: int,
    members: int,
    elapsed: float,
    calls: list[Any],
    counts: Counter[int],
    injected: int,
    allowed: float,
    extra: dict[str, object],
) -> None:
    statuses = Counter(call.status for call in calls)
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)
    over = statuses.get(429, 0) - injected
    print(f"--- week {week}")
    twice = sum(n for k, n in counts.items() if k > week)
    print(f"delivered                  {counts.get(week, 0) + twice}/{members}")
    print(f"members with a duplicate   {twice}")
    print(f"requests                   {len(calls)} {dict(sorted(statuses.items()))}")
    print(f"429s beyond the injected   {over}")
    for key, value in extra.items():
        print(f"{key:<26} {value}")
    print(f"elapsed                    {elapsed:.1f} s ({members / elapsed:.1f} DMs/s)")
    print(
        f"accepted requests/s        {ok / elapsed:.1f} of {allowed:.0f} allowed "
        f"({100 * ok / elapsed / allowed:.0f}%)"
    )


async def run_discord(directory: str, members: int, allowed_rate: float) -> int:
    from adapters.discord.client import MentorClient, Options
    from adapters.discord.messenger import DiscordMessenger
    from adapters.discord.setup import use_endpoints
    from tests.fakes.discord_server import FakeDiscord

    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{directory}/bench.db",
        send_rate_per_second=allowed_rate,  # DMs; the adapter's request budget is what binds
        send_concurrency=256,
        late_notice_seconds=3600,
    )
    clock = FakeClock(START)
    core = Core(settings, clock=clock)
    await core.migrate()
    ok = True
    async with FakeDiscord() as fake, core:
        use_endpoints(fake.api_base, fake.gateway_url)
        client = MentorClient(core, Options(identify_spacing=0, guild_ready_timeout=0.01))
        async with client:
            await client.login(fake.token)
            core.attach(DiscordMessenger(client))
            connection = asyncio.create_task(client.connect())
            await client.wait_until_ready()
            users = [str(fake.ids()) for _ in range(members)]
            await set_up(core, "discord", str(client.application_id), users)
            fake.allowed_rate = allowed_rate
            fake.buckets.limit = int(allowed_rate)
            fake.fault_ratio(rate_limited=0.05, server_error=0.01, retry_after=0.25)
            ids = users
            for week in (1, 2):
                if week == 2:
                    await everyone_answers(core)
                before = len(fake.calls)
                refused_before = Counter(fake.stats.refused)
                budget_before = (client.budget.requests, client.budget.invalid)
                elapsed = await burst(
                    core,
                    clock,
                    WEEK1 + timedelta(weeks=week - 1),
                    lambda w=week: all(len(fake.dms(i)) >= w for i in ids),
                )
                calls = fake.calls[before:]
                refused = Counter(fake.stats.refused) - refused_before
                counts = Counter(len(fake.dms(i)) for i in ids)
                opened = sum(1 for c in calls if c.path == "/users/@me/channels")
                report(
                    week,
                    members,
                    elapsed,
                    calls,
                    counts,
                    refused.get("429 injected", 0),
                    allowed_rate,
                    {
                        "DM channels opened": opened,
                        "refused by the fake": dict(refused),
                        "invalid requests": client.budget.invalid - budget_before[1],
                        "requests budgeted": client.budget.requests - budget_before[0],
                    },
                )
                ok = ok and set(counts) == {week}
            connection.cancel()
    return 0 if ok else 1


async def run_slack(directory: str, members: int, allowed_rate: float) -> int:
    from adapters.slack.messenger import SlackMessenger
    from tests.fakes.slack_server import FakeSlack
    from tests.support.slack import running

    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{directory}/bench.db",
        send_rate_per_second=allowed_rate,
        send_concurrency=64,
        late_notice_seconds=3600,
    )
    clock = FakeClock(START)
    core = Core(settings, clock=clock)
    await core.migrate()
    ok = True
    async with FakeSlack() as fake, core, running(core, fake, "http"):
        messenger = core.messengers["slack"]
        assert isinstance(messenger, SlackMessenger)
        messenger.calls_per_second = allowed_rate * 0.98  # each workspace's budget
        users = [f"U{n:07d}" for n in range(members)]
        await set_up(core, "slack", "T0FAKE", users)
        fake.limit_rate(allowed_rate)
        for week in (1, 2):
            if week == 2:
                await everyone_answers(core)
            before, limited, taken = len(fake.calls), fake.rate_limited, len(fake.accepted)

            def posts() -> Counter[str]:
                return Counter(
                    str(c.params.get("channel"))
                    for c in fake.accepted
                    if c.method == "chat.postMessage"
                )

            elapsed = await burst(
                core,
                clock,
                WEEK1 + timedelta(weeks=week - 1),
                lambda w=week: len(posts()) == members and min(posts().values()) >= w,
            )
            calls = fake.calls[before:]
            counts = Counter(posts().values())
            accepted = len(fake.accepted) - taken
            print(f"--- week {week} (slack)")
            print(f"delivered                  {len(posts())}/{members}")
            print(f"members with a duplicate   {sum(n for k, n in counts.items() if k > week)}")
            print(f"calls                      {len(calls)} ({Counter(c.method for c in calls)})")
            print(f"429s sent (none injected)  {fake.rate_limited - limited}")
            print(f"elapsed                    {elapsed:.1f} s ({members / elapsed:.1f} DMs/s)")
            print(
                f"accepted calls/s           {accepted / elapsed:.1f} of "
                f"{allowed_rate:.0f} allowed ({100 * accepted / elapsed / allowed_rate:.0f}%)"
            )
            ok = ok and len(posts()) == members and set(counts) == {week}
    return 0 if ok else 1


async def main(platform: str, members: int, allowed_rate: float) -> int:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="mentorbot-bench-") as directory:
        if platform == "slack":
            return await run_slack(directory, members, allowed_rate)
        return await run_discord(directory, members, allowed_rate)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--allowed-rate", type=float, default=50.0)  # Discord: 50/s
    parser.add_argument("--platform", choices=("discord", "slack"), default="discord")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.platform, args.members, args.allowed_rate)))
