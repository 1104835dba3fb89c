"""`/timezone` (with its options) and `/help`, in a server and in DMs."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Core
from tests.fakes.discord_payloads import Member
from tests.support.discord import DiscordHarness, is_ephemeral, text_of

SATURDAY_9_BERLIN = int(datetime(2026, 11, 28, 8, 0, tzinfo=UTC).timestamp())


async def test_timezone_shows_the_current_zone(discord_: DiscordHarness) -> None:
    record = await discord_.slash("timezone", discord_.member("ann"))
    [answer] = record.messages
    assert is_ephemeral(answer) and "UTC" in text_of(answer)


async def test_timezone_sets_the_zone_reminders_then_follow(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    record = await discord_.slash("timezone", ann, zone="Berlin")
    assert "Europe/Berlin" in text_of(record.messages[0])
    record = await discord_.slash("remind", ann, in_dm=True, when="saturday 9am", what="run")
    assert f"<t:{SATURDAY_9_BERLIN}:F>" in text_of(record.messages[0])


async def test_only_the_bots_owners_set_the_default_zone(discord_: DiscordHarness) -> None:
    record = await discord_.slash("timezone", discord_.member("ann"), zone="Tokyo", workspace=True)
    assert "Only" in text_of(record.messages[0])


async def test_the_owner_sets_the_default_zone(discord_: DiscordHarness) -> None:
    owner = Member(discord_.fake.owner_id, "owner")
    record = await discord_.slash("timezone", owner, zone="Tokyo", workspace=True)
    assert "default time zone is now **Asia/Tokyo**" in record.messages[0]["content"]


async def test_help_lists_every_command_in_dms_too(discord_: DiscordHarness, core: Core) -> None:
    record = await discord_.slash("help", discord_.member("ann"), in_dm=True)
    shown = text_of(record.messages[0])
    for spec in core.router.catalogue:
        assert (f"/{spec.name}" in shown) is not spec.admin_only  # ann is no admin
    assert "Remind me about this" in shown
