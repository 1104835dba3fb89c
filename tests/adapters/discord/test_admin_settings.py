"""`/admin settings` on Discord: a member with Manage Server changes the settings through the
modal and the effects show; a member without it is refused the command, the button and a
forged modal submission."""

from __future__ import annotations

from sqlalchemy import select

from bot.admin.tables import SettingsChange, WorkspaceSettings
from bot.app import Core
from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import InteractionRecord
from tests.support.conversation import count
from tests.support.discord import DiscordHarness, buttons_of, is_ephemeral, text_of

ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
SETTINGS: dict[str, str | list[str]] = {
    "zone": "Europe/Berlin",
    "channel": "here",
    "digest": "friday 4pm",
    "limit": "1",
    "channel_reminders": ["admins"],
}


async def submit(
    discord_: DiscordHarness, custom_id: str, member: p.Member, values: dict[str, str | list[str]]
) -> InteractionRecord:
    record = await discord_.fake.interact(
        p.MODAL_SUBMIT, p.label_modal_data(custom_id, values), member
    )
    await discord_.fake.answered(record)
    return record


async def test_a_server_manager_changes_the_settings_and_they_take_effect(
    discord_: DiscordHarness, core: Core
) -> None:
    mod = p.Member(discord_.fake.ids(), "mod", permissions=MANAGE_GUILD)
    ann = discord_.member("ann")
    shown = await discord_.slash("admin", mod, action="settings")
    [overview] = await discord_.settled(shown)
    assert is_ephemeral(overview)
    assert "Default time zone: UTC (the operator's default)" in text_of(overview)
    opened = await discord_.click(overview, "Change settings", mod)
    assert opened.callback_type == p.MODAL and opened.callback is not None
    assert opened.callback["data"]["custom_id"].startswith("adm.settings")

    saved = await submit(discord_, opened.callback["data"]["custom_id"], mod, SETTINGS)
    [done] = await discord_.settled(saved)
    assert "✅ Saved: default zone, digest channel, digest time, reminder limit" in text_of(done)

    # A new member starts in the default zone.
    zone = await discord_.slash("timezone", discord_.member("newbie"))
    assert "**Europe/Berlin** (the community default)" in text_of((await discord_.settled(zone))[0])
    # "Admins only": ann (no Manage Server) sets a reminder in the channel; it stays private.
    mine = await discord_.slash("remind", ann, when="in 1 hour", what="stand up")
    [confirmation] = await discord_.settled(mine)
    assert is_ephemeral(confirmation)
    assert "keep reminders set in channels private" in text_of(confirmation)
    assert "Remind me too" not in buttons_of(confirmation)
    # The limit of 1: her second active reminder is refused.
    second = await discord_.slash("remind", ann, when="in 2 hours", what="stretch")
    assert "the most this community allows" in text_of((await discord_.settled(second))[0])
    # The manager's own channel reminder is shared, with Remind me too.
    shared = await discord_.slash("remind", mod, when="in 1 hour", what="retro")
    [public] = await discord_.settled(shared)
    assert not is_ephemeral(public) and "Remind me too" in buttons_of(public)
    async with core.sessions() as session:
        members = (await session.scalars(select(SettingsChange.member_id))).all()
    assert len(members) == 5 and len(set(members)) == 1


async def test_a_member_without_manage_server_is_refused_everywhere(
    discord_: DiscordHarness, core: Core
) -> None:
    ann = discord_.member("ann")
    mod = p.Member(discord_.fake.ids(), "mod", permissions=MANAGE_GUILD)
    refused = await discord_.slash("admin", ann, action="settings")
    assert "Only community admins can use `/admin`" in text_of((await discord_.settled(refused))[0])
    # The manager's message, with its button, pressed by ann.
    overview = (await discord_.settled(await discord_.slash("admin", mod)))[0]
    pressed = await discord_.click(overview, "Change settings", ann)
    assert pressed.callback_type != p.MODAL
    assert "Only community admins can do that" in text_of((await discord_.settled(pressed))[0])
    # A forged modal submission (the custom id is no secret).
    forged = await submit(discord_, "adm.settings:", ann, SETTINGS)
    assert "Only community admins can do that" in text_of((await discord_.settled(forged))[0])
    assert await count(core, SettingsChange) == 0
    assert await count(core, WorkspaceSettings) == 0
    # In a DM nobody manages a server: the permission bits there do not count.
    in_dm = await discord_.slash("admin", mod, in_dm=True)
    assert "Only community admins" in text_of((await discord_.settled(in_dm))[0])


async def test_administrators_and_the_bots_owner_are_admins_too(discord_: DiscordHarness) -> None:
    boss = p.Member(discord_.fake.ids(), "boss", permissions=ADMINISTRATOR)
    owner = p.Member(discord_.fake.owner_id, "owner")
    for member in (boss, owner):
        shown = await discord_.slash("admin", member, action="settings")
        assert "Change settings" in buttons_of((await discord_.settled(shown))[0])
