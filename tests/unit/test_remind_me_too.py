"""“Remind me too”: in a shared channel, others join a reminder and get their own DM."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery, Member, Reminder, ReminderFollower
from tests.support.conversation import count


async def deliveries_to(core: Core, user: str) -> list[str]:
    async with core.sessions() as session:
        query = (
            select(Delivery.status)
            .join(Member, Member.id == Delivery.member_id)
            .where(Member.user_id == user)
        )
        return list((await session.scalars(query)).all())


async def test_channel_confirmation_is_public_with_remind_me_too(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    lines = await chat.say("/remind in 1 hour stand-up notes")
    assert lines[0].startswith("✅ I'll remind you")
    assert "(only you can see this)" not in lines[0]
    assert {"Cancel", "Remind me too"} <= set(lines.buttons)


async def test_in_a_dm_there_is_no_remind_me_too(chat: ConsoleChat) -> None:
    lines = await chat.say("/remind in 1 hour stand-up notes")
    assert set(lines.buttons) == {"Cancel"}


async def test_another_member_joins_and_both_get_the_dm(core: Core, clock: FakeClock) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    answer = await chat.say(confirmation.button("Remind me too"), as_user="bob")
    assert answer[0] == "(updated)"
    assert "I'll remind you Mon 23 Nov 2026, 14:00 UTC" in answer[1]
    assert "👥 1 other will be reminded too." in answer.text
    assert "👍 I'll remind you too, Mon 23 Nov 2026, 14:00 UTC" in answer.text
    assert "(only you can see this)" in answer.text  # bob's own note is private

    second = await chat.say(answer.button("Remind me too"), as_user="carol")
    assert "👥 2 others will be reminded too." in second.text

    clock.advance(timedelta(hours=1))
    headers = {(await chat.next_dm())[0] for _ in range(3)}
    assert headers == {"📬 DM to you:", "📬 DM to bob:", "📬 DM to carol:"}


async def test_pressing_twice_is_idempotent(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    again = await chat.say(confirmation.button("Remind me too"), as_user="bob")
    assert "already on this reminder" in again[-1]
    assert not any(line == "(updated)" for line in again)
    assert await count(core, ReminderFollower) == 1
    assert await deliveries_to(core, "bob") == ["pending"]


async def test_owner_pressing_it_gets_a_polite_note(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    answer = await chat.say(confirmation.button("Remind me too"))
    assert "It's your reminder: you'll be reminded anyway." in answer.text
    assert "(only you can see this)" in answer[0]
    assert await count(core, ReminderFollower) == 0
    assert await count(core, Delivery) == 1


async def test_follower_sees_it_in_their_list(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    listed = await chat.say("/reminders", as_user="bob")
    assert "1. stand-up notes — Mon 23 Nov 2026, 14:00 UTC, in 1 hour (you joined)" in listed.text
    assert set(listed.buttons) == {"Cancel 1"}  # not bob's to edit


async def test_follower_cancel_only_removes_themself(core: Core, clock: FakeClock) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    left = await chat.say(confirmation.button("Cancel"), as_user="bob")
    assert "You won't be reminded about this any more: stand-up notes" in left.text
    assert await count(core, ReminderFollower) == 0
    assert await count(core, Reminder, status="active") == 1

    clock.advance(timedelta(hours=1))
    assert (await chat.next_dm())[0] == "📬 DM to you:"
    assert await deliveries_to(core, "bob") == ["cancelled"]
    assert "no upcoming reminders" in (await chat.say("/reminders", as_user="bob")).text


async def test_joining_again_after_leaving_delivers_again(core: Core, clock: FakeClock) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    await chat.say(confirmation.button("Cancel"), as_user="bob")
    back = await chat.say(confirmation.button("Remind me too"), as_user="bob")
    assert "👍 I'll remind you too" in back.text
    assert await deliveries_to(core, "bob") == ["pending"]

    clock.advance(timedelta(hours=1))
    headers = {(await chat.next_dm())[0] for _ in range(2)}
    assert headers == {"📬 DM to you:", "📬 DM to bob:"}


async def test_owner_cancel_cancels_for_everyone(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind in 1 hour stand-up notes")
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    cancelled = await chat.say(confirmation.button("Cancel"))
    assert "Cancelled (for everyone who joined too: I've told them): stand-up notes" in (
        cancelled.text
    )
    assert await count(core, Reminder, status="cancelled") == 1
    assert await count(core, Delivery, kind="reminder.fire", status="pending") == 0
    assert "no upcoming reminders" in (await chat.say("/reminders", as_user="bob")).text
    late = await chat.say(confirmation.button("Remind me too"), as_user="carol")
    assert "already fired or was cancelled" in late.text
    assert await deliveries_to(core, "carol") == []


async def test_joining_a_paused_reminder_waits_for_resume(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    confirmation = await chat.say("/remind every monday 9am review goals")
    await chat.say((await chat.say("/reminders")).button("Pause 1"))
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    assert await deliveries_to(core, "bob") == []
    await chat.say((await chat.say("/reminders")).button("Resume 1"))
    assert await deliveries_to(core, "bob") == ["pending"]
    listed = (await chat.say("/reminders", as_user="bob")).text
    assert "review goals — Mon 30 Nov 2026, 09:00 UTC" in listed


async def test_repeating_reminders_in_one_batch_reach_everyone_next_time(
    core: Core, clock: FakeClock
) -> None:
    """Several repeating reminders fire together; each next firing goes to owner and joiners."""
    chat = ConsoleChat(core, in_channel=True)
    first = await chat.say("/remind every monday 3pm stand-up")
    await chat.say("/remind every monday 3pm retro", as_user="dana")
    await chat.say(first.button("Remind me too"), as_user="bob")
    clock.advance(timedelta(hours=2))  # Mon 15:00 UTC: all three deliveries in one claim
    headers = {(await chat.next_dm())[0] for _ in range(3)}
    assert headers == {"📬 DM to you:", "📬 DM to bob:", "📬 DM to dana:"}
    async with core.sessions() as session:
        upcoming = (
            await session.execute(
                select(Member.user_id, Delivery.due_at)
                .join(Member, Member.id == Delivery.member_id)
                .where(Delivery.status == "pending")
            )
        ).all()
    next_monday = clock.now() + timedelta(days=7)
    assert sorted(user for user, _ in upcoming) == ["bob", "dana", "you"]
    assert {due for _, due in upcoming} == {next_monday}
