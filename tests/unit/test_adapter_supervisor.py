"""`mentorbot run` supervises each adapter alone: a failing one restarts with growing pauses.

The pauses are handed to the test (an awaitable it releases), so nothing here sleeps: each step
waits for the supervisor to ask for its next pause.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters.console.chat import ConsoleChat
from adapters.launch import Backoff, run_supervised
from bot.app import Core
from bot.clock import FakeClock

STEP = 5.0  # seconds to wait for the next thing that must happen


class Pauses:
    """Stands in for `asyncio.sleep`: records each pause and holds it until released."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.asked: asyncio.Queue[asyncio.Event] = asyncio.Queue()

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        release = asyncio.Event()
        await self.asked.put(release)
        await release.wait()

    async def next(self) -> tuple[float, asyncio.Event]:
        release = await asyncio.wait_for(self.asked.get(), STEP)
        return self.delays[-1], release


class Steady:
    """An adapter that serves until cancelled."""

    def __init__(self) -> None:
        self.starts = 0
        self.running = asyncio.Event()
        self.cancelled = False

    async def __call__(self) -> None:
        self.starts += 1
        self.running.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


class Failing:
    """An adapter that raises `error` every time it starts."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.starts = 0

    async def __call__(self) -> None:
        self.starts += 1
        raise self.error


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_failing_adapter_restarts_with_backoff_while_the_rest_keeps_running(
    core: Core, clock: FakeClock
) -> None:
    pauses, steady, failing = Pauses(), Steady(), Failing(RuntimeError("gateway went away"))
    backoff = Backoff(first=1.0, factor=2.0, longest=4.0)
    chat = ConsoleChat(core)
    supervised = asyncio.create_task(
        run_supervised({"flaky": failing, "steady": steady}, backoff=backoff, pause=pauses)
    )
    await asyncio.wait_for(steady.running.wait(), STEP)

    delays = []
    for _ in range(4):
        delay, release = await pauses.next()
        delays.append(delay)
        if len(delays) == 2:
            # The delivery queue works while an adapter is down.
            await chat.say("/remind in 1 minute stretch")
            clock.advance(timedelta(minutes=1))
            assert "stretch" in "\n".join(await chat.next_dm())
        release.set()
    await pauses.next()

    assert delays == [1.0, 2.0, 4.0, 4.0]
    assert failing.starts == 5
    assert (steady.starts, steady.cancelled) == (1, False)
    assert not supervised.done()
    await stop(supervised)
    assert steady.cancelled


async def test_an_adapter_that_returns_is_started_again() -> None:
    pauses, starts = Pauses(), asyncio.Queue[int]()

    async def returns() -> None:
        await starts.put(1)

    supervised = asyncio.create_task(run_supervised({"quits": returns}, pause=pauses))
    delay, release = await pauses.next()
    release.set()
    await asyncio.wait_for(starts.get(), STEP)
    await asyncio.wait_for(starts.get(), STEP)

    assert delay == Backoff().first
    await stop(supervised)


async def test_a_long_healthy_run_resets_the_backoff() -> None:
    pauses, now = Pauses(), [0.0]
    runs = iter([0.0, 0.0, 0.0, 100.0, 0.0, 0.0])  # how long each run lasts before it fails

    async def flaky() -> None:
        now[0] += next(runs)
        raise RuntimeError("boom")

    backoff = Backoff(first=1.0, factor=2.0, longest=60.0, healthy_after=100.0)
    supervised = asyncio.create_task(
        run_supervised({"flaky": flaky}, backoff=backoff, pause=pauses, monotonic=lambda: now[0])
    )
    seen = []
    for _ in range(6):
        delay, release = await pauses.next()
        seen.append(delay)
        release.set()

    assert seen == [1.0, 2.0, 4.0, 1.0, 2.0, 4.0]
    await stop(supervised)


class BadToken(Exception):
    """Stands for a configuration error such as discord.LoginFailure."""


async def test_a_configuration_error_ends_the_run_and_stops_the_others() -> None:
    steady = Steady()
    gate = asyncio.Event()

    async def misconfigured() -> None:
        await gate.wait()
        raise BadToken("401 Unauthorized")

    supervised = asyncio.create_task(
        run_supervised({"bad": misconfigured, "steady": steady}, fatal=(BadToken,))
    )
    await asyncio.wait_for(steady.running.wait(), STEP)
    gate.set()

    with pytest.raises(BadToken):
        await asyncio.wait_for(supervised, STEP)
    assert steady.cancelled
