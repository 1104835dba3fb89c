"""A member whose DMs are closed is not prompted again until they have been told, once."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Recipient, Reply
from bot.clock import FakeClock
from bot.delivery import DeliveryError
from bot.storage.tables import Delivery
from tests.support.conversation import count


async def settled(core: Core, status: str) -> None:
    """Poll (with a deadline) until a prompt has reached `status`."""
    until = time.monotonic() + 10
    while not await count(core, Delivery, kind="checkin.prompt", status=status):
        assert time.monotonic() < until, f"no prompt became {status}"
        await asyncio.sleep(0.02)


class ClosedDMs:
    """A console whose member has closed their DMs: every DM is refused, and counted."""

    platform = "console"

    def __init__(self) -> None:
        self.attempts = 0

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        self.attempts += 1
        raise DeliveryError("dm_closed", permanent=True)

    async def post(self, channel: object, reply: Reply, *, key: str) -> str:
        raise DeliveryError("not_in_channel", permanent=True)


async def test_closed_dms_stop_the_weekly_prompts_until_the_member_is_back(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    closed = ClosedDMs()
    core.attach(closed)  # type: ignore[arg-type]
    clock.advance(timedelta(days=6, hours=20))
    await settled(core, "undelivered")
    assert closed.attempts == 1
    clock.advance(timedelta(days=7))
    await settled(core, "failed")
    assert closed.attempts == 1  # week 2 was not tried: nothing was sent to a closed DM
    core.attach(chat.messenger)
    notice = await chat.say("/checkin")
    assert "weekly check-in" in notice.text
    clock.advance(timedelta(days=7))
    assert "Weekly check-in" in (await chat.next_dm()).text  # told once; prompts resume
