"""`/remind when:<...> what:<...>`: a reminder set in a server or in the bot's DMs."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support.discord import DiscordHarness, buttons_of, is_ephemeral, text_of

SATURDAY = int(datetime(2026, 11, 28, 13, 0, tzinfo=UTC).timestamp())


async def test_a_reminder_set_in_a_channel_is_shown_to_the_channel_with_discord_times(
    discord_: DiscordHarness,
) -> None:
    ann = discord_.member("ann")
    record = await discord_.slash("remind", ann, when="in 5 days", what="stretch")
    confirmation, note = await discord_.settled(record, messages=2)
    assert not is_ephemeral(confirmation)
    assert f"<t:{SATURDAY}:F> (<t:{SATURDAY}:R>)" in text_of(confirmation)
    assert "stretch" in text_of(confirmation)
    assert set(buttons_of(confirmation)) == {"Cancel", "Remind me too"}
    assert is_ephemeral(note) and "/timezone" in text_of(note)  # the first-contact tip: ann's


async def test_a_reminder_set_in_dms_stays_private(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    record = await discord_.slash("remind", ann, in_dm=True, when="tomorrow 9am", what="apply")
    confirmation = record.messages[0]
    assert is_ephemeral(confirmation)
    assert "apply" in text_of(confirmation)
    assert set(buttons_of(confirmation)) == {"Cancel"}


async def test_when_alone_can_carry_the_text_too(discord_: DiscordHarness) -> None:
    record = await discord_.slash("remind", discord_.member("ann"), when="in 5 days stretch")
    assert "stretch" in text_of(record.messages[0])
    assert f"<t:{SATURDAY}:F>" in text_of(record.messages[0])


async def test_a_time_that_cannot_be_read_is_explained_privately(
    discord_: DiscordHarness,
) -> None:
    record = await discord_.slash("remind", discord_.member("ann"), when="someday", what="x")
    [answer] = record.messages
    assert is_ephemeral(answer)
    assert "⚠️" in text_of(answer) and "someday" in text_of(answer)


async def test_member_text_never_pings_or_formats(discord_: DiscordHarness) -> None:
    what = "ping @everyone <@123456789012345678> **loud** [x](https://evil.example)"
    await discord_.slash("remind", discord_.member("ann"), when="in 5 days", what=what)
    [callback] = discord_.fake.calls_to("POST", r"/interactions/.*/callback")
    data = callback.body["data"]
    assert data["allowed_mentions"] == {"parse": []}
    content = data["content"]
    assert "\\*\\*loud\\*\\*" in content
    assert "<@123456789012345678>" not in content and "\\<@" in content
    assert "@\u200beveryone" in content
    assert "\\[x]" in content
