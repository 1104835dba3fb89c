"""A reminder shared in a channel reads the same for everyone: the owner's time, named, a count
that follows who joined and left, and a word to the followers when the owner cancels it."""

from __future__ import annotations

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.storage.tables import Delivery, DeliveryStatus, ReminderFollower
from tests.support.conversation import count


async def test_a_press_redraws_the_message_in_the_owners_zone_with_its_name(core: Core) -> None:
    channel = ConsoleChat(core, in_channel=True)
    await channel.say("/timezone berlin")
    await channel.say("/timezone tokyo", as_user="bob")
    shared = await channel.say("/remind friday 9am demo day")
    owners_time = "Fri 27 Nov 2026, 09:00 CET (Europe/Berlin)"
    assert owners_time in shared[0]

    pressed = await channel.say(shared.button("Remind me too"), as_user="bob")
    assert pressed[0] == "(updated)"
    assert owners_time in pressed[1]  # not bob's 17:00 JST: it is the owner's message
    assert "JST" not in pressed[1]
    assert "👍 I'll remind you too, Fri 27 Nov 2026, 17:00 JST" in pressed.text  # bob's own


async def test_leaving_drops_the_count(core: Core) -> None:
    channel = ConsoleChat(core, in_channel=True)
    shared = await channel.say("/remind in 1 hour stand-up notes")
    assert "Stop reminding me" not in shared.buttons  # nobody to leave yet
    first = await channel.say(shared.button("Remind me too"), as_user="bob")
    second = await channel.say(first.button("Remind me too"), as_user="carol")
    assert "👥 2 others will be reminded too." in second.text

    left = await channel.say(second.button("Stop reminding me"), as_user="bob")
    assert left[0] == "(updated)"
    assert "👥 1 other will be reminded too." in left.text
    assert "You won't be reminded about this any more: stand-up notes" in left.text
    assert await count(core, ReminderFollower) == 1
    assert await count(core, Delivery, status=DeliveryStatus.CANCELLED) == 1

    again = await channel.say(left.button("Stop reminding me"), as_user="bob")
    assert "You're not on this reminder." in again.text
    mine = await channel.say(left.button("Stop reminding me"))
    assert "It's your reminder" in mine.text
    last = await channel.say(left.button("Stop reminding me"), as_user="carol")
    assert "will be reminded too" not in last[1]
    assert "Stop reminding me" not in last.buttons


async def test_followers_are_told_when_the_owner_cancels(core: Core) -> None:
    channel = ConsoleChat(core, in_channel=True)
    shared = await channel.say("/remind in 1 hour stand-up notes")
    await channel.say(shared.button("Remind me too"), as_user="bob")
    cancelled = await channel.say(shared.button("Cancel"))
    assert "Cancelled (for everyone who joined too: I've told them)" in cancelled.text

    dm = await channel.next_dm()
    assert dm[0] == "📬 DM to bob:"
    assert "you cancelled a reminder you joined: stand-up notes" in dm.text
    listing = await channel.say("/reminders", as_user="bob")
    assert "no upcoming reminders" in listing.text


async def test_a_reminder_nobody_joined_tells_nobody(core: Core) -> None:
    channel = ConsoleChat(core, in_channel=True)
    shared = await channel.say("/remind in 1 hour stand-up notes")
    cancelled = await channel.say(shared.button("Cancel"))
    assert cancelled[-1] == "🗑 Cancelled: stand-up notes"
    assert await count(core, Delivery, status=DeliveryStatus.PENDING) == 0
