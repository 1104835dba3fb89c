"""A member's DM channel id is stored: a repeat DM costs one request, even after a restart, and
closed DMs (50007) forget it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Member
from tests.conftest import make_settings
from tests.fakes.discord_payloads import Member as DiscordMember
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import DiscordHarness

OPEN = "/users/@me/channels"
SEND = r"/channels/\d+/messages"


async def stored_channel(core: Core, user_id: str, *, until: object) -> str | None:
    """The member's stored DM channel, polled with a deadline until it equals `until`."""
    deadline = asyncio.get_running_loop().time() + 5.0
    while True:
        async with core.sessions() as session:
            found = await session.scalar(
                select(Member.dm_channel_id).where(Member.user_id == user_id)
            )
        if found == until or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.02)


async def reminded(harness: DiscordHarness, clock: FakeClock, who: DiscordMember, n: int) -> None:
    await harness.slash("remind", who, in_dm=True, when="in 10 minutes", what=f"stretch {n}")
    clock.advance(timedelta(minutes=10))
    await harness.dms(who, count=n)


async def test_a_repeat_dm_after_a_restart_opens_no_channel(
    fake: FakeDiscord, core: Core, store_url: str, clock: FakeClock
) -> None:
    harness = DiscordHarness(fake, core)
    await harness.start()
    ann = harness.member("ann")
    await reminded(harness, clock, ann, 1)
    [opened] = fake.calls_to("POST", OPEN)
    channel = fake.dm_channels[ann.id]
    assert await stored_channel(core, ann.id, until=str(channel)) == str(channel)
    await harness.stop()
    await core.close()

    restarted = Core(make_settings(store_url, send_rate_per_second=1000.0), clock=clock)
    async with restarted:
        await harness.start(core=restarted)  # a new client: its messenger's memory is empty
        try:
            await reminded(harness, clock, ann, 2)
        finally:
            await harness.stop()
    assert len(fake.calls_to("POST", OPEN)) == 1  # still the one from before the restart
    sends = fake.calls_to("POST", SEND)
    assert len(sends) == 2 and sends[-1].path == f"/channels/{channel}/messages"


async def test_closed_dms_forget_the_stored_channel(
    discord_: DiscordHarness, core: Core, clock: FakeClock
) -> None:
    ann = discord_.member("ann")
    await reminded(discord_, clock, ann, 1)
    channel = str(discord_.fake.dm_channels[ann.id])
    assert await stored_channel(core, ann.id, until=channel) == channel
    discord_.fake.closed_dms.add(ann.id)
    await discord_.slash("remind", ann, when="in 10 minutes", what="refused")
    clock.advance(timedelta(minutes=10))
    await discord_.fake.wait_until(
        lambda: any(c.status == 403 for c in discord_.fake.calls_to("POST", SEND))
    )
    assert await stored_channel(core, ann.id, until=None) is None
    assert len(discord_.fake.calls_to("POST", OPEN)) == 1  # the refused DM used the stored one
