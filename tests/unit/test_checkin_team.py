"""The weekly team digest in the accountability channel, the admin report, and history."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor, Invocation, Place
from bot.checkins.feature import CheckinFeature
from bot.clock import FakeClock
from bot.storage.tables import Delivery
from tests.support.conversation import dispatcher_idle


async def answer_week(chat: ConsoleChat, user: str, plan: str, hours: str = "5") -> None:
    dm = await chat.next_dm()
    chat.user = user
    await chat.say(dm.button("Answer"))
    for value in ("did things", plan, "-", hours, "4"):
        await chat.say(value)


async def two_members(chat: ConsoleChat, core: Core, clock: FakeClock) -> None:
    """`you` shares, `bob` keeps private; both answer their Monday prompt."""
    await chat.say("/checkin setup")
    for value in ("monday 9am", "-", "-", "1", "22:00-08:00"):
        await chat.say(value)
    await chat.say("/checkin setup monday 9am", as_user="bob")
    clock.advance(timedelta(days=6, hours=20))
    for user in ("you", "bob"):
        await answer_week(chat, user, f"{user}'s plan: deploy *it*")
    chat.user = "you"
    await dispatcher_idle(core)


async def test_the_digest_names_sharers_and_counts_the_rest(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/channel")
    set_up = await chat.say("/checkin channel friday 4pm")
    assert "every Friday at 16:00" in set_up.text
    await two_members(chat, core, clock)
    clock.advance(timedelta(days=4, hours=7))  # Friday 4 Dec, 16:00 UTC
    feature = core.feature("checkins")
    assert isinstance(feature, CheckinFeature)
    assert await feature.queue_digests() == 1
    assert await feature.queue_digests() == 0  # the job ran twice in that hour: one digest
    await posted(chat, "📣 #general:")  # the delivery queue posts it
    await dispatcher_idle(core)
    assert await feature.queue_digests() == 0  # nor again once it is sent
    async with core.sessions() as session:
        query = select(Delivery).where(Delivery.kind == "checkin.digest")
        rows = (await session.scalars(query)).all()
    assert len(rows) == 1 and rows[0].channel_id == "general"
    assert rows[0].status == "sent"
    assert chat.transcript.count("📣 #general:") == 1
    post = "\n".join(chat.transcript[chat.transcript.index("📣 #general:") :])
    assert "you" in post and "🔥 1" in post
    assert "you's plan: deploy \\*it\\*" not in post  # escaped for markup, shown literally
    assert "you's plan: deploy *it*" in post
    assert "bob's plan" not in post
    assert "1 answered privately" in post


async def posted(chat: ConsoleChat, header: str, seconds: float = 10.0) -> None:
    """Poll the transcript with a deadline until a channel post shows up."""
    until = time.monotonic() + seconds
    while header not in chat.transcript:
        assert time.monotonic() < until, f"no {header!r} within {seconds} s"
        await asyncio.sleep(0.02)


async def test_the_digest_job_waits_for_the_workspace_hour(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/channel")
    await chat.say("/checkin channel friday 4pm")
    feature = core.feature("checkins")
    assert isinstance(feature, CheckinFeature)
    assert await feature.queue_digests() == 0  # Monday 13:00: not the digest hour


async def test_only_admins_run_the_report(core: Core) -> None:
    actor = Actor("console", "local", "eve", is_admin=False)
    answer = await core.dispatch(
        Invocation("checkin", {"action": "report"}, actor, Place("dm", is_dm=True))
    )
    assert "Only community admins" in answer.text


async def test_the_report_has_a_table_a_csv_and_a_chart(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await two_members(chat, core, clock)
    report = await chat.say("/checkin report")
    text = report.replies[0].text
    assert "median streak" in text
    names = [attachment.filename for attachment in report.replies[0].attachments]
    assert names == ["checkin-report.csv", "checkin-report.png"]
    csv = report.replies[0].attachments[0].data.decode().splitlines()
    assert csv[0].startswith("week_start,prompted,answered")
    assert csv[-1] == "2026-11-30,2,2,0,0,1.00,2,1"
    assert report.replies[0].attachments[1].data.startswith(b"\x89PNG")
    assert any(Path(line.split()[-1]).suffix == ".png" for line in report if "png" in line)


async def test_without_matplotlib_the_report_is_the_text_table(
    chat: ConsoleChat, core: Core, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the extra were not installed
    await two_members(chat, core, clock)
    report = await chat.say("/checkin report")
    names = [attachment.filename for attachment in report.replies[0].attachments]
    assert names == ["checkin-report.csv"]
    assert "install `mentorbot[charts]`" in report.replies[0].text


async def test_history_pages_through_past_answers(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/checkin setup monday 9am")
    clock.advance(timedelta(days=6, hours=20))
    for week in range(4):
        await answer_week(chat, "you", f"plan {week}")
        await dispatcher_idle(core)
        clock.advance(timedelta(days=7))
    first = await chat.say("/checkin history")
    assert "page 1 of 2" in first.text
    assert "plan 3" in first.text and "plan 0" not in first.text
    second = await chat.say(first.button("Next ▶"))
    assert "plan 0" in second.text
