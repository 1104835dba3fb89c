"""Calendar job functions, referenced by name from APScheduler's persistent job store.

Jobs take ids only (never objects: the job store pickles arguments), and find the running core
through `bind()`, which `bot.scheduling` calls at start.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Sweeper(Protocol):
    async def sweep(self) -> int: ...


_bound: Sweeper | None = None


def bind(core: Sweeper | None) -> None:
    global _bound
    _bound = core


async def retention_sweep() -> None:
    """Delete finished deliveries, stale drafts and replay keys past their retention."""
    if _bound is None:
        log.warning("retention sweep ran with no core bound; skipped")
        return
    removed = await _bound.sweep()
    log.info("retention sweep removed %d rows", removed)
