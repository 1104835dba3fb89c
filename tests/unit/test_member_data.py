"""One member's data, per feature: exported whole, and deleted without touching anyone else's."""

from __future__ import annotations

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor
from bot.storage.tables import Delivery, Member, Reminder, ReminderFollower
from tests.support.conversation import count


def actor(name: str) -> Actor:
    return Actor("console", "local", name, display_name=name)


async def a_shared_reminder(core: Core) -> ConsoleChat:
    """you set a reminder in a channel, bob joins it, bob sets his own; you live in Berlin."""
    chat = ConsoleChat(core, in_channel=True)
    await chat.say("/timezone berlin")
    confirmation = await chat.say("/remind in 2 hours stand up")
    await chat.say(confirmation.button("Remind me too"), as_user="bob")
    await chat.say("/remind tomorrow 9am bob's own", as_user="bob")
    return chat


async def test_export_has_every_feature_part(core: Core) -> None:
    await a_shared_reminder(core)
    mine = await core.export_member(actor("you"))
    bobs = await core.export_member(actor("bob"))

    assert list(mine) == [
        "profile",
        "privacy",
        "reminders",
        "resources",
        "rolefit",
        "checkins",
        "admin",
        "help",
    ]
    assert mine["profile"]["time_zone"] == "Europe/Berlin"
    assert mine["profile"]["user_id"] == "you"
    reminders = mine["reminders"]["reminders"]
    assert isinstance(reminders, list) and [r["text"] for r in reminders] == ["stand up"]
    assert [d["kind"] for d in mine["reminders"]["deliveries"]] == ["reminder.fire"]
    assert mine["help"] == {}
    assert bobs["reminders"]["following"] == [reminders[0]["id"]]
    assert [r["text"] for r in bobs["reminders"]["reminders"]] == ["bob's own"]
    assert len(bobs["reminders"]["deliveries"]) == 2  # his own, and yours he joined


async def test_delete_removes_one_member_and_hands_their_shared_reminder_to_its_follower(
    core: Core,
) -> None:
    await a_shared_reminder(core)
    assert await count(core, Delivery) == 3

    removed = await core.delete_member(actor("you"))

    # the core's rows (privacy) just before the member row, which goes last
    assert list(removed) == [
        "help",
        "admin",
        "checkins",
        "rolefit",
        "resources",
        "reminders",
        "privacy",
        "profile",
    ]
    assert removed["reminders"] == 2  # your reminder and its DM to you; bob's DM moved to his copy
    assert removed["profile"] == 1
    async with core.sessions() as session:
        users = (await session.scalars(select(Member.user_id))).all()
        owned = (
            await session.execute(
                select(Member.user_id, Reminder.text, Reminder.shared)
                .join(Member, Member.id == Reminder.owner_id)
                .order_by(Reminder.id)
            )
        ).all()
    assert users == ["bob"]
    assert [tuple(row) for row in owned] == [("bob", "bob's own", True), ("bob", "stand up", False)]
    assert await count(core, Delivery) == 2  # bob's own, and his copy of "stand up", still coming
    assert await count(core, ReminderFollower) == 0
    again = await core.export_member(actor("you"))  # a newcomer now: nothing is left
    assert again["reminders"] == {"reminders": [], "following": [], "deliveries": []}
    assert again["profile"]["time_zone"] is None
