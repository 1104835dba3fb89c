"""`/timezone`: see or set your zone, friendly about typos; admins set the community default."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor, Autocomplete, Invocation, Place
from bot.storage.tables import Delivery, Member, Workspace


async def first_due(core: Core) -> datetime:
    async with core.sessions() as session:
        due = await session.scalar(select(Delivery.due_at).order_by(Delivery.id.desc()))
    assert due is not None
    return due


async def test_city_name_sets_the_zone_and_shows_local_time(chat: ConsoleChat) -> None:
    lines = await chat.say("/timezone berlin")
    assert lines[0] == (
        "🌍 Your time zone is now Europe/Berlin; it's Mon 23 Nov 2026, 14:00 CET there."
    )
    shown = await chat.say("/timezone")
    assert "Your time zone is Europe/Berlin; it's Mon 23 Nov 2026, 14:00 CET there." in shown[0]


async def test_abbreviation(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/timezone PST")
    assert "America/Los_Angeles" in lines[0]
    assert "Mon 23 Nov 2026, 05:00 PST" in lines[0]
    await chat.say("/remind tomorrow 9am call the recruiter")
    assert await first_due(core) == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


async def test_a_typo_is_asked_about_not_applied(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/timezone berlin")
    lines = await chat.say("/timezone berlni")
    assert lines[0].startswith("🤔 Did you mean Europe/Berlin? I don't know berlni exactly.")
    lines = await chat.say("/timezone Lodnon")
    assert lines[0].startswith("🤔 Did you mean Europe/London?")
    async with core.sessions() as session:
        assert await session.scalar(select(Member.tz)) == "Europe/Berlin"  # nothing applied yet
    button = re.search(r"\[(\d+)\] Use Europe/London", "\n".join(lines))
    assert button is not None
    done = await chat.say(button.group(1))
    assert done[0].startswith("🌍 Your time zone is now Europe/London; it's Mon 23 Nov 2026, 13:00")
    async with core.sessions() as session:
        assert await session.scalar(select(Member.tz)) == "Europe/London"


async def test_an_admins_typo_for_the_workspace_is_asked_about_too(
    chat: ConsoleChat, core: Core
) -> None:
    lines = await chat.say("/timezone zone:tokio workspace:true")
    assert lines[0].startswith("🤔 Did you mean Asia/Tokyo?")
    async with core.sessions() as session:
        assert await session.scalar(select(Workspace.default_tz)) is None
    button = re.search(r"\[(\d+)\] Use Asia/Tokyo", "\n".join(lines))
    assert button is not None
    done = await chat.say(button.group(1))
    assert "This community's default time zone is now Asia/Tokyo." in done[0]


async def test_a_whole_hour_offset_reads_as_utc_plus(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/timezone GMT+2")
    assert lines[0] == "🌍 Your time zone is now UTC+2; it's Mon 23 Nov 2026, 15:00 UTC+2 there."
    assert "Etc/GMT" not in "\n".join(lines)
    shown = await chat.say("/timezone")
    assert "Your time zone is UTC+2;" in shown[0]
    async with core.sessions() as session:
        assert await session.scalar(select(Member.tz)) == "Etc/GMT-2"  # stored as the IANA key


async def test_gibberish_gets_no_unrelated_suggestions(chat: ConsoleChat) -> None:
    for typed in ("asdf", "foo", "abc", "qqqqqqqq", "Nowhereville"):
        lines = await chat.say(f"/timezone {typed}")
        assert lines[0] == f"⚠️ I don't know the time zone {typed}.", lines
        assert "Try a city (/timezone berlin)" in "\n".join(lines)


async def test_an_unknown_zone_suggests_and_changes_nothing(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/timezone berlin")
    lines = await chat.say("/timezone hermo")
    assert lines[0].startswith("⚠️ I don't know the time zone hermo. Did you mean")
    assert "America/Hermosillo" in lines[0]
    assert "Try a city (/timezone berlin)" in lines.text
    nothing = await chat.say("/timezone qqqqqqqq")
    assert "I don't know the time zone qqqqqqqq." in nothing[0]
    async with core.sessions() as session:
        assert await session.scalar(select(Member.tz)) == "Europe/Berlin"


async def test_without_a_zone_it_shows_the_current_one(chat: ConsoleChat) -> None:
    lines = await chat.say("/timezone")
    assert (
        "Your time zone is UTC (the community default); it's Mon 23 Nov 2026, 13:00 UTC"
        in (lines[0])
    )
    assert "Change it with /timezone <city or zone>" in lines.text


async def test_admin_sets_the_workspace_default_that_new_members_get(
    chat: ConsoleChat, core: Core
) -> None:
    lines = await chat.say("/timezone zone:tokyo workspace:true")
    assert "This community's default time zone is now Asia/Tokyo." in lines[0]
    async with core.sessions() as session:
        assert await session.scalar(select(Member.tz)) is None  # the admin's own is unchanged

    shown = await chat.say("/timezone", as_user="newcomer")
    assert "Your time zone is Asia/Tokyo (the community default)" in shown[0]
    assert "Mon 23 Nov 2026, 22:00 JST" in shown[0]
    first = await chat.say("/remind tomorrow 9am stand-up", as_user="newcomer2")
    assert "Tue 24 Nov 2026, 09:00 JST" in first[0]
    assert any("I'm using Asia/Tokyo for your times" in line for line in first)
    assert await first_due(core) == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


async def test_a_members_own_zone_wins_over_the_workspace_default(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/timezone berlin")
    await chat.say("/timezone zone:tokyo workspace:true")
    shown = await chat.say("/timezone")
    assert "Your time zone is Europe/Berlin;" in shown[0]
    await chat.say("/remind tomorrow 9am stand-up")
    assert await first_due(core) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


async def test_only_admins_change_the_workspace_default(chat: ConsoleChat, core: Core) -> None:
    member = Actor("console", "local", "eve", display_name="eve", is_admin=False)
    event = Invocation("timezone", {"zone": "tokyo", "workspace": True}, member, Place("dm", True))
    response = await core.dispatch(event)
    assert response.text == "⚠️ Only community admins can change the default time zone."
    async with core.sessions() as session:
        assert await session.scalar(select(Workspace.default_tz)) is None
        assert await session.scalar(select(Member.tz).where(Member.user_id == "eve")) is None


async def test_the_platform_zone_is_used_on_first_contact(core: Core) -> None:
    member = Actor("console", "local", "sam", platform_tz="America/New_York")
    event = Invocation("remind", {"when": "tomorrow 9am stand-up"}, member, Place("dm", True))
    response = await core.dispatch(event)
    assert "Tue 24 Nov 2026, 09:00 EST" in response.replies[0].text
    assert "I took your time zone, America/New_York, from your profile" in response.text


async def test_autocomplete_offers_matching_zones(core: Core, chat: ConsoleChat) -> None:
    response = await core.dispatch(Autocomplete("timezone", "zone", "new y", chat.actor()))
    assert [choice.value for choice in response.choices] == ["America/New_York"]
