"""A zone change moves repeating reminders: the owner's series keeps its clock time, new zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery, DeliveryStatus, Member
from tests.support.conversation import dispatcher_idle


async def pending(core: Core, user: str = "you") -> list[datetime]:
    """When `user`'s pending reminder deliveries are due, soonest first."""
    async with core.sessions() as session:
        found = await session.scalars(
            select(Delivery.due_at)
            .join(Member, Member.id == Delivery.member_id)
            .where(Member.user_id == user, Delivery.status == DeliveryStatus.PENDING)
            .order_by(Delivery.due_at)
        )
        return list(found)


async def test_every_monday_9am_in_cet_fires_at_9am_pst_after_the_switch(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/timezone berlin")
    await chat.say("/remind every monday 9am standup")
    assert await pending(core) == [datetime(2026, 11, 30, 8, 0, tzinfo=UTC)]  # 09:00 CET

    answer = await chat.say("/timezone PST")
    assert "Your 1 repeating reminder moved with it" in answer.text
    assert await pending(core) == [datetime(2026, 11, 30, 17, 0, tzinfo=UTC)]  # 09:00 PST

    clock.set(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))
    dm = await chat.next_dm()
    assert "Reminder: standup" in dm.text
    await dispatcher_idle(core)
    assert await pending(core) == [datetime(2026, 12, 7, 17, 0, tzinfo=UTC)]  # and on, in PST


async def test_daily_9am_lands_at_9am_new_york_after_the_switch(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/remind every day at 9am drink water")  # UTC, the default
    assert await pending(core) == [datetime(2026, 11, 24, 9, 0, tzinfo=UTC)]
    await chat.say("/timezone new york")
    assert await pending(core) == [datetime(2026, 11, 24, 14, 0, tzinfo=UTC)]  # 09:00 EST


async def test_a_workspace_default_moves_members_without_their_own_zone(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/remind every day at 9am drink water", as_user="ann")
    await chat.say("/timezone berlin", as_user="ben")
    await chat.say("/remind every day at 9am drink water", as_user="ben")

    answer = await chat.say("/timezone zone:new_york workspace:true")
    assert "1 repeating reminder of members without their own zone moved" in answer.text
    assert await pending(core, "ann") == [datetime(2026, 11, 24, 14, 0, tzinfo=UTC)]
    assert await pending(core, "ben") == [datetime(2026, 11, 24, 8, 0, tzinfo=UTC)]  # own zone


async def test_the_owners_zone_drives_the_series_for_followers(core: Core) -> None:
    channel = ConsoleChat(core, in_channel=True)
    await channel.say("/timezone berlin")
    confirmation = await channel.say("/remind every monday 9am standup")
    await channel.say(confirmation.button("Remind me too"), as_user="bob")
    monday_cet = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert await pending(core, "bob") == [monday_cet]

    await channel.say("/timezone tokyo", as_user="bob")  # a follower moving changes nothing
    assert await pending(core, "bob") == [monday_cet]

    await channel.say("/timezone PST")  # the owner moving moves everyone's firing
    monday_pst = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert await pending(core, "you") == [monday_pst]
    assert await pending(core, "bob") == [monday_pst]


async def test_a_paused_series_resumes_in_the_new_zone(chat: ConsoleChat) -> None:
    await chat.say("/timezone berlin")
    await chat.say("/remind every monday 9am standup")
    listing = await chat.say("/reminders")
    await chat.say(listing.button("Pause 1"))
    answer = await chat.say("/timezone PST")
    assert "Your 1 repeating reminder moved with it" in answer.text
    listing = await chat.say("/reminders")
    resumed = await chat.say(listing.button("Resume 1"))
    assert "Mon 30 Nov 2026, 09:00 PST" in resumed.text


async def test_one_off_and_every_few_hours_keep_their_instants(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/timezone berlin")
    await chat.say("/remind tomorrow 9am call the recruiter")
    await chat.say("/remind every 3 hours stretch")
    before = await pending(core)
    answer = await chat.say("/timezone PST")
    assert "moved with it" not in answer.text
    assert await pending(core) == before
