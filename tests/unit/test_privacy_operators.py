"""The operator's side of privacy: `mentorbot export --workspace ID` and the check-in retention
setting in the nightly sweep."""

from __future__ import annotations

import asyncio
import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli import app
from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor, Invocation, Place
from bot.clock import FakeClock
from bot.storage.tables import CheckinWeek
from tests.conftest import START, make_settings
from tests.support.conversation import count, dispatcher_idle


async def two_workspaces(url: str) -> None:
    """you and bob in the console's workspace; carol in another one."""
    core = Core(make_settings(url, send_rate_per_second=1000.0), clock=FakeClock(START))
    await core.migrate()
    async with core:
        chat = ConsoleChat(core)
        await chat.say("/remind in 1 hour water the plants")
        await chat.say("/timezone berlin", as_user="bob")
        carol = Actor("console", "elsewhere", "carol")
        what = {"when": "in 1 hour", "what": "carol's secret"}
        await core.dispatch(Invocation("remind", what, carol, Place("c1", is_dm=False)))
        asked = await chat.say("/as bob")
        asked = await chat.say("/mydata delete")
        await chat.say(asked.button("Delete everything"))


def test_export_writes_one_workspace_as_json(sqlite_url: str, tmp_path: Path) -> None:
    asyncio.run(two_workspaces(sqlite_url))
    out = tmp_path / "local.json"

    result = CliRunner().invoke(
        app,
        ["export", "--workspace", "local", "--out", str(out)],
        env={"MENTORBOT_DATABASE_URL": sqlite_url},
    )

    assert result.exit_code == 0, result.output
    document = json.loads(out.read_bytes())
    assert document["workspace"]["id"] == "local"
    [you] = document["members"]  # bob erased himself
    assert you["member"]["user_id"] == "you"
    assert you["data"]["reminders"]["reminders"][0]["text"] == "water the plants"
    assert "carol" not in out.read_text()
    [erasure] = document["erasures"]
    assert set(erasure) == {"action", "at", "rows"}  # nothing about who
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_of_an_unknown_workspace_lists_the_known_ones(sqlite_url: str) -> None:
    asyncio.run(two_workspaces(sqlite_url))

    result = CliRunner().invoke(
        app, ["export", "--workspace", "T0NOPE"], env={"MENTORBOT_DATABASE_URL": sqlite_url}
    )

    assert result.exit_code == 2
    assert "no workspace 'T0NOPE'; known: console local, console elsewhere." in result.output


def test_export_to_standard_output(sqlite_url: str) -> None:
    asyncio.run(two_workspaces(sqlite_url))

    result = CliRunner().invoke(
        app,
        ["export", "--workspace", "elsewhere"],
        env={"MENTORBOT_DATABASE_URL": sqlite_url},
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    [carol] = document["members"]
    assert carol["data"]["reminders"]["reminders"][0]["text"] == "carol's secret"


@pytest.mark.parametrize("months", [None, 3])
async def test_retention_deletes_check_in_answers_older_than_the_setting(
    sqlite_url: str, clock: FakeClock, months: int | None
) -> None:
    settings = make_settings(
        sqlite_url, send_rate_per_second=1000.0, checkin_retention_months=months
    )
    core = Core(settings, clock=clock)
    await core.migrate()
    async with core:
        chat = ConsoleChat(core)
        await chat.say("/checkin setup monday 9am")
        clock.advance(timedelta(days=6, hours=20))
        prompt = await chat.next_dm()
        await dispatcher_idle(core)
        await chat.say(prompt.button("Answer"))
        for value in ("tutorial", "deploy", "-", "5", "3"):
            await chat.say(value)
        assert await count(core, CheckinWeek, status="answered") == 1

        clock.advance(timedelta(days=80))  # under three months: kept either way
        await core.sweep()
        assert await count(core, CheckinWeek, status="answered") == 1
        clock.advance(timedelta(days=20))
        await core.sweep()
        assert await count(core, CheckinWeek, status="answered") == (1 if months is None else 0)
