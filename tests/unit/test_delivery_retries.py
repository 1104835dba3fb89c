"""Transient send failures: retried on the fake clock, delivered exactly once, never lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat, ConsoleMessenger
from bot.app import Core
from bot.chat import Recipient, Reply
from bot.clock import FakeClock
from bot.delivery import DeliveryError
from bot.storage.tables import Delivery
from tests.support.conversation import dispatcher_idle


class FailsFirst:
    """The console messenger, but the first send raises `error`."""

    platform = "console"

    def __init__(self, inner: ConsoleMessenger, error: Exception) -> None:
        self.inner = inner
        self.error: Exception | None = error
        self.keys: list[str] = []
        self.failed = asyncio.Event()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        self.keys.append(key)
        if self.error is not None:
            error, self.error = self.error, None
            self.failed.set()
            raise error
        return await self.inner.send_direct(recipient, reply, key=key)


async def only_delivery(core: Core) -> Delivery:
    async with core.sessions() as session:
        return (await session.scalars(select(Delivery))).one()


async def fail_once(
    core: Core,
    chat: ConsoleChat,
    clock: FakeClock,
    error: Exception,
    pauses: list[float] | None = None,
) -> FailsFirst:
    """Set a reminder due in an hour; the first attempt to send it fails with `error`.

    `pauses` records what the rate limiter is told instead of letting it wait in real time (the
    fake clock drives the requeue).
    """
    messenger = FailsFirst(chat.messenger, error)
    core.attach(messenger)
    if pauses is not None:
        core.limiters["console"].pause = pauses.append  # type: ignore[method-assign]
    await chat.say("/remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    await asyncio.wait_for(messenger.failed.wait(), 10)
    await dispatcher_idle(core)
    return messenger


async def test_a_429_is_retried_after_retry_after_and_sent_once(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    pauses: list[float] = []
    messenger = await fail_once(core, chat, clock, DeliveryError("429", retry_after=5), pauses)
    assert pauses == [5]
    waiting = await only_delivery(core)
    assert waiting.status == "pending"
    assert waiting.due_at == clock.now() + timedelta(seconds=5)

    clock.advance(timedelta(seconds=5))
    dm = (await chat.next_dm()).text
    assert "Reminder: stretch" in dm
    await dispatcher_idle(core)
    sent = await only_delivery(core)
    assert (sent.status, sent.attempts) == ("sent", 2)
    assert messenger.keys == [f"mentorbot-d{sent.id}"] * 2  # same key: platforms can dedupe
    assert sum(line.startswith("📬") for line in chat.transcript) == 1


async def test_a_retry_is_not_sent_before_its_time(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    pauses: list[float] = []
    messenger = await fail_once(core, chat, clock, DeliveryError("429", retry_after=30), pauses)
    await chat.say("/remind in 10 seconds sentinel")
    clock.advance(timedelta(seconds=10))
    assert "sentinel" in (await chat.next_dm()).text
    await dispatcher_idle(core)
    assert len(messenger.keys) == 2  # the first try and the sentinel, not the retry yet
    clock.advance(timedelta(seconds=20))
    assert "stretch" in (await chat.next_dm()).text


async def test_a_transient_error_without_retry_after_waits_and_retries(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await fail_once(core, chat, clock, DeliveryError("503"))
    assert (await only_delivery(core)).due_at == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=30))
    assert "stretch" in (await chat.next_dm()).text


async def test_an_unexpected_exception_is_retried_later_not_lost(
    chat: ConsoleChat, core: Core, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    await fail_once(core, chat, clock, RuntimeError("socket closed"))
    assert "sending delivery" in caplog.text and "socket closed" in caplog.text
    waiting = await only_delivery(core)
    assert waiting.status == "pending"
    assert waiting.due_at == clock.now() + timedelta(seconds=60)

    clock.advance(timedelta(seconds=60))
    dm = (await chat.next_dm()).text
    assert "Reminder: stretch" in dm
    await dispatcher_idle(core)
    assert (await only_delivery(core)).status == "sent"
