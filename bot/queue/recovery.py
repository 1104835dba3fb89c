"""Taking over a dead process's rows: claimed (`sending`) but never recorded.

Each such row is requeued at most once (`recoveries`), never a loop; a second crash marks it
failed. Before a requeued row is sent again the sender asks the platform whether it already
went out (`SentLookup`), so a crash repeats nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.tables import Delivery, DeliveryStatus

log = logging.getLogger(__name__)


async def recover(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    stuck_after: float,
    *,
    everything: bool = False,
) -> int:
    """Requeue rows claimed more than `stuck_after` seconds ago (all of them with
    `everything`, at the start of the only process); returns how many were requeued."""
    cutoff = clock.now() - timedelta(seconds=0 if everything else stuck_after)
    async with sessions.begin() as session:
        stuck = Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at <= cutoff
        requeued = await session.execute(
            update(Delivery)
            .where(*stuck, Delivery.recoveries < 1)
            .values(status=DeliveryStatus.PENDING, recoveries=Delivery.recoveries + 1)
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(Delivery)
            .where(*stuck)
            .values(status=DeliveryStatus.FAILED, error="crashed while sending twice")
            .execution_options(synchronize_session=False)
        )
    count = int(getattr(requeued, "rowcount", 0) or 0)
    if count:
        log.warning("requeued %d deliveries interrupted by a crash", count)
    return count
