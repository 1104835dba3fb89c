"""Cancel and End on a repeating reminder ask first (Yes, or Keep it): every future firing goes.

A one-off reminder cancels at once; a follower leaving is not asked (it only affects them).
"""

from __future__ import annotations

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.storage.tables import Delivery, Reminder
from tests.support.conversation import count


async def test_cancel_on_a_repeating_reminder_asks_and_keep_changes_nothing(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/remind every monday 9am review goals")
    listing = await chat.say("/reminders")
    asked = await chat.say(listing.button("Cancel 1"))
    assert asked[0] == (
        "Cancel the repeating reminder review goals (every Monday at 09:00)? "
        "Every future reminder stops."
    )
    assert set(asked.buttons) == {"Yes, cancel it", "Keep it"}
    assert await count(core, Reminder, status="active") == 1

    kept = await chat.say(asked.button("Keep it"))
    assert kept.text == "(updated)\n👍 Kept, nothing changed: review goals"
    assert await count(core, Reminder, status="active") == 1
    assert await count(core, Delivery, status="pending") == 1

    asked = await chat.say((await chat.say("/reminders")).button("Cancel 1"))
    cancelled = await chat.say(asked.button("Yes, cancel it"))
    assert cancelled.text == "(updated)\n🗑 Cancelled: review goals"
    assert await count(core, Reminder, status="cancelled") == 1
    assert await count(core, Delivery, status="pending") == 0


async def test_end_asks_too(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/remind every day 8am stretch")
    asked = await chat.say((await chat.say("/reminders")).button("End 1"))
    assert "End the repeating reminder stretch (every day at 08:00)?" in asked.text
    assert await count(core, Reminder, status="active") == 1
    ended = await chat.say(asked.button("Yes, end it"))
    assert "Ended" in ended.text and await count(core, Reminder, status="done") == 1


async def test_a_one_off_reminder_cancels_at_once(chat: ConsoleChat, core: Core) -> None:
    confirmation = await chat.say("/remind in 1 hour stretch")
    cancelled = await chat.say(confirmation.button("Cancel"))
    assert cancelled.text.startswith("🗑 Cancelled: stretch")
    assert await count(core, Reminder, status="cancelled") == 1


async def test_someone_else_cannot_answer_the_question(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    await chat.say("/remind every monday 9am review goals")
    asked = await chat.say((await chat.say("/reminders")).button("Cancel 1"))
    for label in ("Yes, cancel it", "Keep it"):
        refused = await chat.say(asked.button(label), as_user="mallory")
        assert "Only the person who set that reminder" in refused.text
        assert "review goals" not in refused.text
    assert await count(core, Reminder, status="active") == 1
