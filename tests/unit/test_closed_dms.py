"""Closed DMs: the delivery is kept as undelivered, marked in `/reminders`, and shown once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from adapters.console.chat import ConsoleChat, ConsoleMessenger
from bot.app import Core
from bot.chat import Recipient, Reply
from bot.clock import FakeClock
from bot.delivery import DeliveryError
from bot.storage.tables import Delivery, Member
from tests.support.conversation import count, dispatcher_idle

NOTICE = "📭 I couldn't send you these messages because your DMs are closed:"


class ClosedDMs:
    """The console messenger, except that some members have closed their DMs."""

    platform = "console"

    def __init__(self, inner: ConsoleMessenger, closed: set[str]) -> None:
        self.inner = inner
        self.closed = closed
        self.refused: list[str] = []
        self.refusal = asyncio.Event()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        if recipient.user_id in self.closed:
            self.refused.append(recipient.user_id)
            self.refusal.set()
            raise DeliveryError("dm_closed", permanent=True)
        return await self.inner.send_direct(recipient, reply, key=key)


async def closed_for_bob(core: Core, chat: ConsoleChat, clock: FakeClock) -> ClosedDMs:
    """bob and you each set a reminder due in an hour; bob's DMs are closed; an hour passes."""
    messenger = ClosedDMs(chat.messenger, {"bob"})
    core.attach(messenger)
    await chat.say("/remind in 1 hour stretch", as_user="bob")
    await chat.say("/remind in 1 hour drink water")
    clock.advance(timedelta(hours=1))
    assert (await chat.next_dm())[0] == "📬 DM to you:"
    await asyncio.wait_for(messenger.refusal.wait(), 10)
    await dispatcher_idle(core)
    return messenger


async def test_closed_dms_are_recorded_undelivered_not_retried(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    messenger = await closed_for_bob(core, chat, clock)
    async with core.sessions() as session:
        row = (
            await session.execute(
                select(Delivery.status, Delivery.error, Delivery.attempts)
                .join(Member, Member.id == Delivery.member_id)
                .where(Member.user_id == "bob")
            )
        ).one()
    assert tuple(row) == ("undelivered", "dm_closed", 1)
    assert await count(core, Delivery, status="sent") == 1  # yours went out
    await chat.say("/remind in 1 hour sentinel")
    clock.advance(timedelta(hours=1))
    assert "sentinel" in (await chat.next_dm()).text
    assert messenger.refused == ["bob"]  # a permanent failure is not tried again


async def test_the_list_marks_it_and_the_next_command_shows_the_notice_once(
    core: Core, clock: FakeClock
) -> None:
    chat = ConsoleChat(core, in_channel=True)
    await closed_for_bob(core, chat, clock)

    listed = await chat.say("/reminders", as_user="bob")
    text = listed.text
    assert "1. stretch — " in text
    assert "⚠ I couldn't DM you this one: are your DMs open?" in text
    assert NOTICE in text
    notice_at = listed.index(NOTICE)
    assert listed[notice_at - 1] == "(only you can see this)"
    assert listed[notice_at + 1] == "• stretch"

    again = (await chat.say("/timezone", as_user="bob")).text
    assert NOTICE not in again
    assert await count(core, Delivery, status="shown") == 1


async def test_the_notice_goes_only_to_that_member(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await closed_for_bob(core, chat, clock)
    mine = (await chat.say("/reminders")).text
    assert NOTICE not in mine
    assert "stretch" not in mine
    first = (await chat.say("/timezone", as_user="bob")).text
    assert NOTICE in first
    assert "• stretch" in first
