"""Autocomplete: a live preview of the time as the member types, and time-zone suggestions."""

from __future__ import annotations

from tests.support.discord import DiscordHarness


async def test_when_previews_the_parsed_time_while_typing(discord_: DiscordHarness) -> None:
    [choice] = await discord_.autocomplete("remind", discord_.member("ann"), "when", "in 5 days")
    assert choice["value"] == "in 5 days"
    assert choice["name"].startswith("in 5 days → Sat 28 Nov 2026, 13:00")
    assert choice["name"].endswith("in 5 days")


async def test_when_says_why_it_cannot_be_parsed(discord_: DiscordHarness) -> None:
    [choice] = await discord_.autocomplete("remind", discord_.member("ann"), "when", "blorp")
    assert choice["name"].startswith("blorp → ⚠")
    assert len(choice["name"]) <= 100


async def test_when_offers_examples_before_anything_is_typed(discord_: DiscordHarness) -> None:
    choices = await discord_.autocomplete("remind", discord_.member("ann"), "when", "")
    assert "tomorrow 9am" in [choice["value"] for choice in choices]


async def test_the_other_options_typed_so_far_do_not_disturb(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    [choice] = await discord_.autocomplete("remind", ann, "when", "tomorrow 9am", what="read")
    assert choice["value"] == "tomorrow 9am"


async def test_timezone_suggests_zones(discord_: DiscordHarness) -> None:
    choices = await discord_.autocomplete("timezone", discord_.member("ann"), "zone", "berl")
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in choices
    assert len(choices) <= 25
