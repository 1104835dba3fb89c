"""Lose a delivery's record as a crash between the send and its commit would, then let the
queue's recovery take the row over (on the fake clock)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery, DeliveryStatus


async def lose_record(core: Core, clock: FakeClock, kind: str | None = None) -> int:
    """The one sent delivery (of `kind`, if given) goes back to `sending`, claimed long ago: the
    dead process's row.

    Waits (with a deadline) for the send to be recorded first: the DM is seen a moment before.
    """
    deadline = asyncio.get_running_loop().time() + 5.0
    sent = select(Delivery.id).where(Delivery.status == DeliveryStatus.SENT)
    if kind is not None:
        sent = sent.where(Delivery.kind == kind)
    while True:
        async with core.sessions() as session:
            delivery_id = await session.scalar(sent)
        if delivery_id is not None:
            break
        assert asyncio.get_running_loop().time() < deadline, "the send was never recorded"
        await asyncio.sleep(0.02)
    async with core.sessions.begin() as session:
        await session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                status=DeliveryStatus.SENDING,
                claimed_at=clock.now() - timedelta(seconds=core.queue.stuck_after + 1),
                message_id=None,
                sent_at=None,
            )
        )
    return delivery_id


async def taken_over(core: Core, clock: FakeClock, delivery_id: int, timeout: float = 5.0) -> str:
    """Advance past the next recovery look and wait until the row is recorded again."""
    clock.advance(timedelta(seconds=core.queue.recovery_every + 1))
    core.queue.wake()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with core.sessions() as session:
            row = (
                await session.execute(
                    select(Delivery.status, Delivery.message_id, Delivery.recoveries).where(
                        Delivery.id == delivery_id
                    )
                )
            ).one()
        if row.status == DeliveryStatus.SENT and row.recoveries == 1:
            assert row.message_id is not None
            return str(row.message_id)
        assert asyncio.get_running_loop().time() < deadline, f"not taken over: {tuple(row)}"
        await asyncio.sleep(0.02)
