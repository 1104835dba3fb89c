"""The buttons under a reminder set in a channel: "Remind me too" for others, Cancel for the
owner only (the core decides; the adapter only carries the click)."""

from __future__ import annotations

from tests.fakes import discord_payloads as p
from tests.support.discord import DiscordHarness, buttons_of, is_ephemeral, text_of


async def test_another_member_joins_and_the_message_updates(discord_: DiscordHarness) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    confirmation = (await discord_.slash("remind", ann, when="in 5 days", what="demo")).messages[0]
    record = await discord_.click(confirmation, "Remind me too", bo)
    assert record.callback_type == p.UPDATE_MESSAGE
    assert "1 other will be reminded too" in text_of(confirmation)
    await discord_.settled(record, messages=2)
    [note] = record.followups
    assert is_ephemeral(note) and "remind you too" in text_of(note)


async def test_only_the_owner_can_cancel(discord_: DiscordHarness) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    confirmation = (await discord_.slash("remind", ann, when="in 5 days", what="demo")).messages[0]
    refused = await discord_.click(confirmation, "Cancel", bo)
    assert is_ephemeral(refused.messages[0])
    assert "Only the person who set that reminder" in text_of(refused.messages[0])
    cancelled = await discord_.click(confirmation, "Cancel", ann)
    assert "Cancelled: demo" in text_of(cancelled.messages[0])


async def test_the_button_custom_id_is_only_an_action_and_a_record_id(
    discord_: DiscordHarness,
) -> None:
    ann = discord_.member("ann")
    confirmation = (await discord_.slash("remind", ann, when="in 5 days", what="demo")).messages[0]
    for custom_id in buttons_of(confirmation).values():
        action, value = custom_id.split(":")
        assert action in {"rem.cancel", "rem.follow"} and value.isdigit()


async def test_the_redrawn_message_shows_each_viewer_their_own_time(
    discord_: DiscordHarness,
) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    await discord_.slash("timezone", ann, zone="berlin")
    await discord_.slash("timezone", bo, zone="tokyo")
    confirmation = (await discord_.slash("remind", ann, when="friday 9am", what="demo")).messages[0]
    friday_9_berlin = 1795766400  # Fri 27 Nov 2026 08:00 UTC
    assert f"<t:{friday_9_berlin}:F> (<t:{friday_9_berlin}:R>)" in text_of(confirmation)

    await discord_.click(confirmation, "Remind me too", bo)
    redrawn = text_of(confirmation)
    assert f"<t:{friday_9_berlin}:F> (<t:{friday_9_berlin}:R>)" in redrawn  # Discord localises
    assert "JST" not in redrawn  # nothing drawn in the presser's zone


async def test_leaving_drops_the_count_and_the_owner_cancelling_tells_followers(
    discord_: DiscordHarness,
) -> None:
    ann, bo, cy = discord_.member("ann"), discord_.member("bo"), discord_.member("cy")
    confirmation = (await discord_.slash("remind", ann, when="in 5 days", what="demo")).messages[0]
    await discord_.click(confirmation, "Remind me too", bo)
    await discord_.click(confirmation, "Remind me too", cy)
    assert "2 others will be reminded too" in text_of(confirmation)

    left = await discord_.click(confirmation, "Stop reminding me", cy)
    assert left.callback_type == p.UPDATE_MESSAGE
    assert "1 other will be reminded too" in text_of(confirmation)
    await discord_.settled(left, messages=2)
    [note] = left.followups
    assert is_ephemeral(note) and "won't be reminded about this any more" in text_of(note)

    await discord_.click(confirmation, "Cancel", ann)
    [told] = await discord_.dms(bo)
    assert "cancelled a reminder you joined: demo" in told["content"]
