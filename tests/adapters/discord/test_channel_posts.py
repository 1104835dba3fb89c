"""Channel-destination deliveries are posted in the server channel through the real client."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Core
from bot.chat import Reply
from bot.clock import FakeClock
from bot.queue import DeliveryKind, Due, delivery_row, enqueue
from bot.storage.tables import Delivery, Workspace
from tests.support.discord import DiscordHarness


async def _compose(session: AsyncSession, due: Sequence[Due]) -> Mapping[int, Reply]:
    return {item.id: Reply(f"📣 digest for <#{item.channel_id}>") for item in due}


async def _queue_post(core: Core, clock: FakeClock, channel_id: str) -> None:
    async with core.sessions.begin() as session:
        workspace = await session.scalar(
            select(Workspace.id).where(Workspace.platform == "discord")
        )
        assert workspace is not None
        row = delivery_row(
            "digest.post",
            1,
            workspace_id=workspace,
            platform="discord",
            at=clock.now() + timedelta(minutes=1),
            channel_id=channel_id,
        )
        assert await enqueue(session, [row])
    clock.advance(timedelta(minutes=1))
    core.queue.wake()


async def _status(core: Core) -> tuple[str, str | None, str | None]:
    async with core.sessions() as session:
        row = (
            await session.execute(
                select(Delivery.status, Delivery.message_id, Delivery.error).where(
                    Delivery.kind == "digest.post"
                )
            )
        ).one()
    return str(row.status), row.message_id, row.error


async def test_a_channel_row_is_posted_in_the_channel_with_a_nonce(
    discord_: DiscordHarness, core: Core, clock: FakeClock
) -> None:
    core.queue.register(DeliveryKind("digest.post", _compose))
    await discord_.slash("timezone", discord_.member("ann"))  # the workspace exists
    channel = discord_.fake.channel_id
    await _queue_post(core, clock, channel)
    fake = discord_.fake
    await fake.wait_until(lambda: bool(fake.calls_to("POST", rf"/channels/{channel}/messages")))
    [sent] = fake.calls_to("POST", rf"/channels/{channel}/messages")
    assert sent.body["content"].startswith("📣 digest for")
    assert sent.body["enforce_nonce"] is True
    assert fake.calls_to("POST", "/users/@me/channels") == []  # no DM was opened
    posted = fake.channel_messages[channel][-1]

    async def recorded() -> bool:
        return (await _status(core))[0] == "sent"

    await _until(recorded)
    assert (await _status(core))[1] == str(posted["id"])


async def test_a_channel_the_bot_cannot_post_in_fails_without_a_closed_dm_notice(
    discord_: DiscordHarness, core: Core, clock: FakeClock
) -> None:
    core.queue.register(DeliveryKind("digest.post", _compose))
    await discord_.slash("timezone", discord_.member("ann"))
    channel = discord_.fake.channel_id
    discord_.fake.fail(
        "POST",
        rf"/channels/{channel}/messages",
        403,
        body={"message": "Missing Access", "code": 50001},
    )
    await _queue_post(core, clock, channel)

    async def recorded() -> bool:
        return (await _status(core))[0] not in {"sending", "pending"}

    await _until(recorded)
    status, _, error = await _status(core)
    assert (status, error) == ("failed", "refused_403_50001")
    assert core.queue.closed_dms.members == set()


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Poll `condition` until it holds (the outcome is recorded after the send), or fail."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
