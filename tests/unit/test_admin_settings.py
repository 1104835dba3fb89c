"""`/admin settings` on the console: an admin changes each setting and sees its effect, wrong
values are named on their fields and kept, non-admins are refused the command, the buttons and
the form, and a change is stored whole or not at all (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.admin.tables import SettingsChange, WorkspaceSettings
from bot.app import Core
from bot.chat import ActionClicked, Actor, FormSubmitted, Invocation, Place
from bot.clock import FakeClock
from bot.profile.service import ZoneChange
from bot.storage.tables import CheckinChannel, Reminder, Workspace
from tests.conftest import make_settings
from tests.support.conversation import count

GENERAL = Place("general", is_dm=False)
EVERY_SETTING = {
    "zone": "berlin",
    "channel": "here",
    "digest": "thursday 5pm",
    "limit": "2",
    "channel_reminders": "nobody",
}


async def fill_settings(chat: ConsoleChat, values: dict[str, str]) -> str:
    """`/admin settings`, **Change settings**, then one answer per field; the outcome's text."""
    shown = await chat.say("/admin settings")
    form = await chat.say(shown.button("Change settings"))
    assert "📝 Workspace settings" in form.text
    said = None
    for name in ("zone", "channel", "digest", "limit", "channel_reminders"):
        said = await chat.say(values.get(name, ""))
    assert said is not None
    return said.text


async def workspace_zone(core: Core) -> str | None:
    async with core.sessions() as session:
        return await session.scalar(select(Workspace.default_tz))


async def test_an_admin_changes_every_setting_and_each_takes_effect(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/channel")
    saved = await fill_settings(chat, EVERY_SETTING)
    assert "✅ Saved: default zone, digest channel, digest time, reminder limit, channel" in saved

    shown = (await chat.say("/admin settings")).text
    assert "Default time zone: Europe/Berlin" in shown
    assert "Accountability channel: general (this channel)" in shown
    assert "Weekly digest: Thursdays at 17:00, Europe/Berlin" in shown
    assert "Reminder limit: 2 active per member (the operator allows up to 100)" in shown
    assert "Reminders set in channels: nobody (kept private)" in shown
    assert "reminder limit by you" in shown  # the audit, newest first

    # A new member starts in the default zone.
    newcomer = (await chat.say("/timezone", as_user="newbie")).text
    assert "Your time zone is Europe/Berlin (the community default)" in newcomer
    # The digest is stored where `/checkin channel` keeps it.
    async with core.sessions() as session:
        digest = await session.get(CheckinChannel, 1)
    assert digest is not None
    assert (digest.channel_id, digest.digest_weekday, digest.digest_hour) == ("general", 3, 17)
    # "Nobody": even an admin's reminder in the channel is kept private, with a note.
    first = await chat.say("/remind in 1 hour stand up")
    assert "(only you can see this)" in first.text
    assert "keep reminders set in channels private" in first.text
    assert "Remind me too" not in first.text
    async with core.sessions() as session:
        assert await session.scalar(select(Reminder.shared)) is False
    # The limit: the third active reminder is refused.
    await chat.say("/dm")
    await chat.say("/remind in 2 hours stretch")
    refused = await chat.say("/remind in 3 hours drink water")
    assert "You already have 2 active reminders, the most this community allows" in refused.text
    assert await count(core, Reminder) == 2
    # Each change is audited: who, when, which field.
    async with core.sessions() as session:
        fields = (await session.scalars(select(SettingsChange.field))).all()
    assert sorted(fields) == sorted(
        ["default zone", "digest channel", "digest time", "reminder limit", "channel reminders"]
    )


async def test_an_unchanged_form_changes_nothing(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/channel")  # in a channel, yet no digest is set up unasked
    said = await fill_settings(chat, {})  # Enter on every field keeps what is shown
    assert "Nothing to change" in said
    assert await count(core, SettingsChange) == 0
    assert await workspace_zone(core) is None  # still the operator's default
    assert await count(core, CheckinChannel) == 0


async def test_wrong_values_are_named_on_their_fields_and_kept(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/channel")
    typed = {**EVERY_SETTING, "zone": "berlinn", "digest": "every day", "limit": "500"}
    said = await fill_settings(chat, typed)
    assert "⚠️ Nothing was changed." in said
    assert "⚠ zone: Did you mean Europe/Berlin" in said
    assert "⚠ digest:" in said
    assert "⚠ limit: A whole number from 1 to 100" in said
    assert await count(core, SettingsChange) == 0
    assert await count(core, CheckinChannel) == 0
    assert await workspace_zone(core) is None
    # **Fix it** opens the form again with everything that was typed.
    last = chat.replies[-1]
    number = next(n for n, (button, _) in chat.buttons.items() if button.label == "Fix it")
    assert last.buttons[0][0].label == "Fix it"
    form = await chat.say(str(number))
    assert "[berlinn]" in form.text
    for value in ("Europe/Berlin", "", "thursday 5pm", "3", ""):
        said_now = await chat.say(value)
    assert "✅ Saved" in said_now.text
    assert await workspace_zone(core) == "Europe/Berlin"


async def test_here_in_a_dm_is_explained(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/dm")
    said = await fill_settings(chat, {"channel": "here"})
    assert "⚠ channel: “here” is a direct message" in said
    assert await count(core, CheckinChannel) == 0


async def test_the_older_commands_are_audited_too(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/channel")
    await chat.say("/timezone tokyo workspace:true")
    await chat.say("/checkin channel friday 4pm")
    shown = (await chat.say("/admin settings")).text
    assert "Default time zone: Asia/Tokyo" in shown
    assert "Weekly digest: Fridays at 16:00, Asia/Tokyo" in shown
    async with core.sessions() as session:
        fields = (await session.scalars(select(SettingsChange.field))).all()
    assert sorted(fields) == ["default zone", "digest channel", "digest time"]


async def test_an_admins_changes_are_exported_and_outlive_their_deletion(
    chat: ConsoleChat, core: Core
) -> None:
    await fill_settings(chat, {"limit": "7"})
    you = Actor("console", "local", "you", display_name="you")
    exported = await core.export_member(you)
    assert [c["field"] for c in exported["admin"]["settings_changes"]] == ["reminder limit"]
    removed = await core.delete_member(you)
    assert removed["admin"] == 1
    async with core.sessions() as session:
        kept = (await session.execute(select(SettingsChange.field, SettingsChange.member_id))).all()
    assert [tuple(row) for row in kept] == [("reminder limit", None)]
    shown = (await chat.say("/admin settings", as_user="ada")).text
    assert "reminder limit by a former member" in shown


def member(name: str, *, admin: bool) -> Actor:
    return Actor("console", "local", name, display_name=name, is_admin=admin)


async def test_non_admins_are_refused_the_command_the_buttons_and_the_form(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/channel")
    await fill_settings(chat, {**EVERY_SETTING, "zone": "berlinn"})  # the admin's Fix it flow
    mallory = member("mallory", admin=False)
    events = [
        Invocation("admin", {"action": "settings"}, mallory, GENERAL),
        ActionClicked("adm.edit", "", mallory, GENERAL),
        ActionClicked("adm.fix", "1.0", mallory, GENERAL),
        FormSubmitted("adm.settings", {**EVERY_SETTING, "zone": "UTC"}, mallory, GENERAL),
    ]
    for event in events:
        response = await core.dispatch(event)
        assert "Only community admins" in response.text, event
        assert response.replies[0].form is None
    assert await count(core, SettingsChange) == 0
    assert await count(core, WorkspaceSettings) == 0
    assert await workspace_zone(core) is None
    help_text = (await core.dispatch(Invocation("help", {}, mallory, GENERAL))).text
    assert "/admin" not in help_text


@pytest.fixture
async def core_on(database_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    bot = Core(make_settings(database_url, max_active_reminders=3), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


ADMIN = member("ada", admin=True)


async def submit(core: Core, actor: Actor, **values: str) -> str:
    event = FormSubmitted("adm.settings", {**EVERY_SETTING, **values}, actor, GENERAL)
    return (await core.dispatch(event)).text


async def remind(core: Core, actor: Actor, what: str, place: Place = GENERAL) -> str:
    event = Invocation("remind", {"when": "in 1 hour", "what": what}, actor, place)
    return (await core.dispatch(event)).text


async def test_the_limit_and_channel_rule_on_both_databases(core_on: Core) -> None:
    bob = member("bob", admin=False)
    saved = await submit(core_on, ADMIN, limit="2", channel_reminders="admins")
    assert "✅ Saved" in saved
    admin_says = await core_on.dispatch(
        Invocation("remind", {"when": "in 1 hour", "what": "standup"}, ADMIN, GENERAL)
    )
    assert "keep reminders" not in admin_says.text
    assert [b.label for b in admin_says.replies[0].buttons[0]] == ["Cancel", "Remind me too"]
    assert not admin_says.replies[0].private
    await remind(core_on, ADMIN, "retro")
    bob_says = await remind(core_on, bob, "secret plan")
    assert "keep reminders set in channels private" in bob_says
    await remind(core_on, bob, "second")
    assert "the most this community allows" in await remind(core_on, bob, "third")
    async with core_on.sessions() as session:
        shared = dict((await session.execute(select(Reminder.text, Reminder.shared))).all())
    assert shared == {"standup": True, "retro": True, "secret plan": False, "second": False}


async def test_the_operator_maximum_caps_a_stored_limit(
    database_url: str, clock: FakeClock
) -> None:
    first = Core(make_settings(database_url, max_active_reminders=5), clock=clock)
    await first.migrate()
    async with first:
        assert "✅ Saved" in await submit(first, ADMIN, limit="5", channel_reminders="everyone")
    # The operator lowers the maximum: the workspace's 5 now means the operator's 2.
    second = Core(make_settings(database_url, max_active_reminders=2), clock=clock)
    async with second:
        await remind(second, ADMIN, "one")
        await remind(second, ADMIN, "two")
        assert "the most this community allows" in await remind(second, ADMIN, "three")
        shown = (await second.dispatch(Invocation("admin", {}, ADMIN, GENERAL))).replies[0]
        assert (
            "Reminder limit: 2 active per member (5 was set; the operator now allows up to 2)"
            in [f"{f.name}: {f.value}" for f in shown.fields]
        )


async def test_a_change_is_stored_whole_or_not_at_all(core_on: Core) -> None:
    async def broken(session: object, change: ZoneChange) -> int:
        raise RuntimeError("a listener failed mid-change")

    core_on.context.profiles.on_zone_change(broken)
    await remind(core_on, member("carol", admin=False), "so the zone change has someone to move")
    failed = await submit(core_on, ADMIN, limit="1", channel_reminders="nobody")
    assert "✅ Saved" not in failed
    assert await count(core_on, SettingsChange) == 0
    assert await count(core_on, WorkspaceSettings) == 0
    assert await count(core_on, CheckinChannel) == 0
    async with core_on.sessions() as session:
        assert await session.scalar(select(Workspace.default_tz)) is None
