"""The one place that reads the time, so tests and benchmarks can move it.

`Clock.now()` is always aware UTC. `sleep_until` lets the dispatcher wait for a due time in a way a
fake clock can short-circuit: the fake clock wakes sleepers when it is advanced.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        """Return at `when` or as soon as `wake` is set, whichever is first."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        delay = (when - self.now()).total_seconds()
        if delay <= 0:
            return
        # asyncio.wait, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
        # races with the event, which left the dispatcher running after stop().
        waiter = asyncio.ensure_future(wake.wait())
        try:
            await asyncio.wait({waiter}, timeout=delay)
        finally:
            waiter.cancel()


class FakeClock:
    """A clock that only moves when told to; advancing it wakes every sleeper."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self._now = start.astimezone(UTC)
        self._moved = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)
        self._moved.set()
        self._moved = asyncio.Event()

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        while self._now < when and not wake.is_set():
            moved = self._moved
            waiters = [asyncio.ensure_future(moved.wait()), asyncio.ensure_future(wake.wait())]
            try:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
