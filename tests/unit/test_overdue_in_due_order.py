"""Overdue reminders after a restart come out in due order, and one member's never overtake."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot import markup
from bot.app import Core
from bot.chat import Reply
from bot.clock import FakeClock
from bot.delivery import Channel, Recipient
from tests.conftest import make_settings


class SlowFirstMessenger:
    """A platform where a send started earlier takes longer: concurrent DMs would overtake.

    Each send yields to the loop fewer times than the one started before it (no wall-clock
    waits), so whatever is sent at once arrives in reverse; only sends made one after another
    arrive in the order they started.
    """

    platform = "console"

    def __init__(self, expected: int) -> None:
        self.started: list[str] = []
        self.arrived: list[tuple[str, str]] = []
        self.expected = expected
        self.all_arrived = asyncio.Event()

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        text = markup.to_plain(reply.text).splitlines()[0].removeprefix("⏰ Reminder: ")
        self.started.append(text)
        for _ in range(2 * (self.expected - len(self.started)) + 1):
            await asyncio.sleep(0)
        self.arrived.append((recipient.user_id, text))
        if len(self.arrived) == self.expected:
            self.all_arrived.set()
        return f"dm-{key}"

    async def post(self, channel: Channel, reply: Reply, *, key: str) -> str:
        raise AssertionError("no channel posts here")


async def test_overdue_reminders_after_a_restart_go_out_in_due_order(
    store_url: str, clock: FakeClock
) -> None:
    settings = make_settings(store_url, send_rate_per_second=1000.0)
    before = Core(settings, clock=clock)
    await before.migrate()
    async with before:
        chat = ConsoleChat(before)
        # Created in another order than they come due, so row ids disagree with due times.
        await chat.say("/remind in 3 hours third")
        await chat.say("/remind in 1 hour first")
        await chat.say("/remind in 2 hours bob's", as_user="bob")
        await chat.say("/remind in 100 minutes carol's", as_user="carol")
        await chat.say("/remind in 150 minutes second and a half")
        await chat.say("/remind in 90 minutes one and a half")

    clock.advance(timedelta(hours=4))  # the bot was down while all of them came due
    messenger = SlowFirstMessenger(expected=6)
    after = Core(settings, clock=clock)
    async with after:
        after.attach(messenger)
        await asyncio.wait_for(messenger.all_arrived.wait(), 10)

    # Every member's first overdue DM starts in due order across members...
    firsts = {"first", "carol's", "bob's"}
    assert [text for text in messenger.started if text in firsts] == ["first", "carol's", "bob's"]
    # ...and one member's DMs arrive in due order even when the platform is slow to answer.
    mine = [text for user, text in messenger.arrived if user == "you"]
    assert mine == ["first", "one and a half", "second and a half", "third"]
