"""The message context menu "Remind me about this": a modal asks when; the reminder links back
to the message and quotes it."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from tests.fakes import discord_payloads as p
from tests.support.discord import DiscordHarness, is_ephemeral, text_of


async def test_the_menu_opens_a_modal_that_asks_when(discord_: DiscordHarness) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    target = discord_.member_message(bo, "the paper is at arxiv 2401.00001")
    opened = await discord_.message_action("Remind me about this", target, ann)
    assert opened.callback_type == p.MODAL
    assert opened.callback is not None
    modal = opened.callback["data"]
    assert modal["custom_id"].startswith("rem.message:")
    assert [row["components"][0]["custom_id"] for row in modal["components"]] == ["when", "what"]


async def test_the_reminder_links_back_and_quotes_the_message(
    discord_: DiscordHarness, clock: FakeClock
) -> None:
    ann, bo = discord_.member("ann"), discord_.member("bo")
    target = discord_.member_message(bo, "the paper is at arxiv 2401.00001 *read it*")
    jump = f"https://discord.com/channels/{discord_.fake.guild_id}/{target['channel_id']}/{target['id']}"
    opened = await discord_.message_action("Remind me about this", target, ann)
    submitted = await discord_.submit(opened, ann, when="in 1 hour", what="")
    confirmation = submitted.messages[0]
    assert is_ephemeral(confirmation)
    assert f"(<{jump}>)" in text_of(confirmation)
    clock.advance(timedelta(hours=1))
    [dm] = await discord_.dms(ann)
    assert "the paper is at arxiv 2401.00001 \\*read it\\*" in dm["content"]
    assert f"[Jump to the message](<{jump}>)" in dm["content"]


async def test_a_time_that_cannot_be_read_is_explained(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    target = discord_.member_message(discord_.member("bo"), "look")
    opened = await discord_.message_action("Remind me about this", target, ann)
    submitted = await discord_.submit(opened, ann, when="whenever")
    assert "⚠️" in text_of(submitted.messages[0])
