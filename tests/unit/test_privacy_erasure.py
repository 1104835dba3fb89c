"""`/mydata export` and `/mydata delete` for a member who used every feature, on SQLite and
PostgreSQL: the export holds all of it, the erasure leaves nothing but the audit entry, and
nobody else (beside them, or with their id in another workspace) loses anything."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import ScalarSelect, select

from adapters.console.chat import ConsoleChat, Said
from bot.app import Core
from bot.clock import FakeClock
from bot.privacy.tables import PrivacyAudit
from bot.storage.tables import Member, Reminder, Workspace
from tests.conftest import make_settings
from tests.support.member_data import ELSEWHERE, every_feature, rows_about


@pytest.fixture
async def both_core(database_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    bot = Core(make_settings(database_url, send_rate_per_second=1000.0), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


async def exported_file(chat: ConsoleChat) -> bytes:
    """The next DM that carries a file: the export."""
    while True:
        dm: Said = await chat.next_dm()
        files = [attachment for reply in dm.replies for attachment in reply.attachments]
        if files:
            [export] = files
            assert export.media_type == "application/json"
            return export.data


def without_time(document: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in document.items() if key != "exported_at"}


async def member_id(core: Core, workspace: str, user: str) -> int | None:
    async with core.sessions() as session:
        return await session.scalar(
            select(Member.id).where(
                Member.user_id == user, Member.workspace_id == _workspace(workspace)
            )
        )


def _workspace(external: str) -> ScalarSelect[int]:
    return select(Workspace.id).where(Workspace.external_id == external).scalar_subquery()


async def test_export_then_delete_a_member_who_used_every_feature(
    both_core: Core, clock: FakeClock
) -> None:
    core = both_core
    chat = ConsoleChat(core)
    await every_feature(chat, core, clock)
    you = await member_id(core, "local", "you")
    bob = await member_id(core, "local", "bob")
    assert you is not None and bob is not None
    bob_before = await core.export_member(chat.actor("bob"))
    elsewhere_before = await core.export_member(ELSEWHERE)

    asked = await chat.say("/mydata delete")  # a flow under way: part of the export too
    said = await chat.say("/mydata export")
    assert "Sent here: your data as JSON" in said.text
    document = json.loads(await exported_file(chat))

    assert document["member"] == {"platform": "console", "workspace": "local", "user_id": "you"}
    data = document["data"]
    assert data["profile"]["time_zone"] == "Europe/Berlin"
    assert sorted(r["text"] for r in data["reminders"]["reminders"]) == ["my own", "stand up"]
    async with core.sessions() as session:
        demo_day = await session.scalar(select(Reminder.id).where(Reminder.text == "demo day"))
    assert data["reminders"]["following"] == [demo_day]
    [week] = data["checkins"]["weeks"]
    assert week["answers"]["plan"] == "deploy" and week["status"] == "answered"
    assert data["checkins"]["checkin"]["repeat_rule"].startswith("FREQ=WEEKLY")
    assert data["rolefit"]["results"][0]["scores"][0] == ["research-scientist", 96]
    assert [s["resource_id"] for s in data["resources"]["saved"]] == ["islp"]
    assert [s["url"] for s in data["resources"]["suggested"]] == ["https://example.org/local/you"]
    assert [f["name"] for f in data["privacy"]["flows_in_progress"]] == ["mydata-delete"]
    kinds = {m["kind"] for m in data["privacy"]["messages_to_you"]}
    assert {"reminder.fire", "checkin.prompt"} <= kinds
    assert "elsewhere" not in json.dumps(document)  # the other workspace's "you" is not in it

    async with core.sessions() as session:
        assert sum((await rows_about(session, you)).values()) > 8
    done = await chat.say(asked.button("Delete everything"))
    assert "everything mentorbot held about you is erased" in done.text

    async with core.sessions() as session:
        left = await rows_about(session, you)
        gone = await session.scalar(select(Member.id).where(Member.id == you))
        [audit] = (await session.scalars(select(PrivacyAudit))).all()
    assert {table: n for table, n in left.items() if n} == {}
    assert gone is None
    assert audit.action == "member.deleted" and audit.rows > 8
    assert audit.subject_digest == hashlib.sha256(b"console:local:you").hexdigest()
    assert audit.workspace_id == await _workspace_id(core, "local")

    assert without_time(await core.export_member(ELSEWHERE)) == without_time(elsewhere_before)
    bob_after = await core.export_member(chat.actor("bob"))
    for part in ("profile", "checkins", "rolefit", "resources"):
        assert bob_after[part] == bob_before[part], part
    reminders = bob_after["reminders"]
    # bob keeps his own reminders, and the one he joined is now his own copy, without you
    assert sorted(r["text"] for r in reminders["reminders"]) == [  # type: ignore[union-attr]
        "bob's own",
        "demo day",
        "stand up",
    ]
    assert reminders["following"] == []


async def _workspace_id(core: Core, external: str) -> int | None:
    async with core.sessions() as session:
        return await session.scalar(select(Workspace.id).where(Workspace.external_id == external))
