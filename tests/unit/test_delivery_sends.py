"""How one claimed batch is sent: each send recorded at once, sends in parallel up to the bound."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select

from bot.app import Core
from bot.chat import Actor, Invocation, Place, Recipient, Reply
from bot.clock import FakeClock
from bot.storage.tables import Delivery, Member
from tests.conftest import make_settings


class HeldMessenger:
    """A platform whose sends to the members in `held` wait until the test releases them."""

    platform = "console"

    def __init__(self, held: set[str]) -> None:
        self.held = held
        self.release = asyncio.Event()
        self.waiting: set[str] = set()
        self.most_waiting = 0
        self.sent: list[str] = []

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        if recipient.user_id in self.held:
            self.waiting.add(recipient.user_id)
            self.most_waiting = max(self.most_waiting, len(self.waiting))
            await self.release.wait()
            self.waiting.discard(recipient.user_id)
        self.sent.append(recipient.user_id)
        return f"dm-{key}"


async def remind(core: Core, user: str, when: str) -> None:
    actor = Actor("console", "w1", user)
    response = await core.dispatch(Invocation("remind", {"when": when}, actor, Place("d", True)))
    assert "✅" in response.replies[0].text, response.text


async def statuses(core: Core) -> dict[str, str]:
    """Each member's delivery status (one delivery each here), as committed."""
    async with core.sessions() as session:
        rows = await session.execute(
            select(Member.user_id, Delivery.status).join(Member, Member.id == Delivery.member_id)
        )
        return {user: str(status) for user, status in rows}


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + 5.0
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.02)


async def test_a_slow_send_holds_back_neither_the_others_nor_their_records(
    sqlite_url: str, clock: FakeClock
) -> None:
    """Issue 12's guarantee: an accepted send is committed at once, not when its batch is done,
    so a crash while a slow send is in flight cannot make the others go out twice."""
    core = Core(make_settings(sqlite_url, send_rate_per_second=1000.0), clock=clock)
    await core.migrate()
    async with core:
        await remind(core, "slow", "in 59 minutes stretch")  # first in due order
        for user in ("ada", "bob", "cy"):
            await remind(core, user, "in 1 hour drink water")
        messenger = HeldMessenger(held={"slow"})
        core.attach(messenger)
        clock.advance(timedelta(hours=1))
        core.queue.wake()

        async def others_recorded() -> bool:
            found = await statuses(core)
            return all(found[user] == "sent" for user in ("ada", "bob", "cy"))

        await eventually(others_recorded, "the fast sends were not recorded")
        assert messenger.waiting == {"slow"}
        assert (await statuses(core))["slow"] == "sending"  # still out: nothing to record yet
        messenger.release.set()

        async def all_recorded() -> bool:
            return set((await statuses(core)).values()) == {"sent"}

        await eventually(all_recorded, "the slow send was not recorded")
        assert sorted(messenger.sent) == ["ada", "bob", "cy", "slow"]


async def test_a_batch_sends_in_parallel_up_to_the_send_concurrency(
    sqlite_url: str, clock: FakeClock
) -> None:
    settings = make_settings(sqlite_url, send_rate_per_second=1000.0, send_concurrency=3)
    core = Core(settings, clock=clock)
    await core.migrate()
    async with core:
        users = [f"member{i}" for i in range(7)]
        for user in users:
            await remind(core, user, "in 1 hour stretch")
        messenger = HeldMessenger(held=set(users))
        core.attach(messenger)
        clock.advance(timedelta(hours=1))
        core.queue.wake()

        async def three_out() -> bool:
            return len(messenger.waiting) == 3

        await eventually(three_out, "the batch did not send three at once")
        for _ in range(20):  # the pool and the platform's bound hold: no fourth starts
            await asyncio.sleep(0)
        assert messenger.most_waiting == 3
        messenger.release.set()

        async def all_recorded() -> bool:
            return set((await statuses(core)).values()) == {"sent"}

        await eventually(all_recorded, "not every send was recorded")
        assert sorted(messenger.sent) == sorted(users)  # each exactly once
