"""A reminder comes due: a DM through the REST API, with buttons that snooze or finish it."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Member
from tests.support.discord import DiscordHarness, buttons_of, text_of


async def _due_dm(discord_: DiscordHarness, clock: FakeClock, member: Member) -> p.Json:
    await discord_.slash("remind", member, in_dm=True, when="in 10 minutes", what="stretch")
    clock.advance(timedelta(minutes=10))
    [dm] = await discord_.dms(member)
    return dm


async def test_the_reminder_arrives_as_a_dm_sent_once_with_a_nonce(
    discord_: DiscordHarness, clock: FakeClock
) -> None:
    ann = discord_.member("ann")
    dm = await _due_dm(discord_, clock, ann)
    assert "⏰ **Reminder:** stretch" in dm["content"]
    assert set(buttons_of(dm)) == {"Snooze 10 min", "1 hour", "Tomorrow 09:00", "Custom…", "Done"}
    [opened] = discord_.fake.calls_to("POST", "/users/@me/channels")
    assert opened.body == {"recipient_id": int(ann.id)}
    [sent] = discord_.fake.calls_to("POST", r"/channels/\d+/messages")
    assert sent.body["enforce_nonce"] is True and len(sent.body["nonce"]) <= 25
    assert sent.body["allowed_mentions"] == {"parse": []}


async def test_snooze_buttons_update_the_dm(discord_: DiscordHarness, clock: FakeClock) -> None:
    ann = discord_.member("ann")
    dm = await _due_dm(discord_, clock, ann)
    record = await discord_.click(dm, "Snooze 10 min", ann)
    assert record.callback_type == p.UPDATE_MESSAGE
    assert "Snoozed until <t:" in dm["content"]
    clock.advance(timedelta(minutes=10))
    await discord_.dms(ann, count=2)


async def test_snooze_an_hour_or_until_tomorrow(discord_: DiscordHarness, clock: FakeClock) -> None:
    ann = discord_.member("ann")
    dm = await _due_dm(discord_, clock, ann)
    await discord_.click(dm, "1 hour", ann)
    assert "Snoozed until" in dm["content"]
    clock.advance(timedelta(hours=1))
    second = (await discord_.dms(ann, count=2))[1]
    await discord_.click(second, "Tomorrow 09:00", ann)
    assert "Snoozed until" in second["content"]


async def test_custom_snooze_asks_when_in_a_modal(
    discord_: DiscordHarness, clock: FakeClock
) -> None:
    ann = discord_.member("ann")
    dm = await _due_dm(discord_, clock, ann)
    opened = await discord_.click(dm, "Custom…", ann)
    assert opened.callback is not None and opened.callback["data"]["title"] == "Snooze until"
    submitted = await discord_.submit(opened, ann, when="in 2 hours")
    assert submitted.callback_type == p.UPDATE_MESSAGE
    assert "Snoozed until" in dm["content"]


async def test_done_closes_the_reminder(discord_: DiscordHarness, clock: FakeClock) -> None:
    ann = discord_.member("ann")
    dm = await _due_dm(discord_, clock, ann)
    await discord_.click(dm, "Done", ann)
    assert "✅ Done: stretch" in text_of(dm)
    assert buttons_of(dm) == {}


async def test_followers_get_their_own_dm(discord_: DiscordHarness, clock: FakeClock) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    confirmation = (
        await discord_.slash("remind", ann, when="in 10 minutes", what="standup")
    ).messages[0]
    await discord_.click(confirmation, "Remind me too", bo)
    clock.advance(timedelta(minutes=10))
    [to_ann] = await discord_.dms(ann)
    [to_bo] = await discord_.dms(bo)
    assert "standup" in to_ann["content"] and "standup" in to_bo["content"]
