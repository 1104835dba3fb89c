"""Weekly check-ins on Slack: setup modal, the prompt DM, answer/skip modals with errors on the
field, Edit, Pause/Resume/Change/Answer now, the blocker reminder, history and the App Home."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import Core
from bot.checkins.feature import CheckinFeature
from bot.clock import FakeClock
from bot.storage.tables import CheckinWeek, Flow, Reminder
from tests.support.lost_records import lose_record, taken_over
from tests.support.slack import MEMBER, SlackDriver, all_text, button

GOOD = {"done": "shipped the API", "plan": "write it up", "blockers": "Docker", "hours": "6"}


def initial(view: dict[str, Any], block_id: str) -> str:
    block = next(b for b in view["blocks"] if b["block_id"] == block_id)
    return str(block["element"].get("initial_value", ""))


async def prompted(slack: SlackDriver, clock: FakeClock) -> dict[str, Any]:
    """Set up Monday 09:00 (Berlin, from the Slack profile) and wait for the first prompt."""
    await slack.command("checkin setup monday 9am", channel=f"D{MEMBER}")
    clock.advance(timedelta(days=6, hours=19))  # Mon 30 Nov 08:00 UTC
    calls = await slack.fake.wait_calls("chat.postMessage")
    dm: dict[str, Any] = calls[-1].params
    return dm


async def test_setup_modal_saves_and_status_shows_it(slack: SlackDriver) -> None:
    await slack.command("checkin setup")
    modal = slack.last_view()
    assert modal["callback_id"] == "ck.setup"
    bad = await slack.submit(modal, {"when": "every day", "share": "no", "quiet": "22:00-08:00"})
    assert bad.body["response_action"] == "errors" and set(bad.body["errors"]) == {"when"}
    values = {"when": "monday 9am", "goal": "deploy a model by March", "share": "yes"}
    ok = await slack.submit(modal, {**values, "role": "", "quiet": "22:00-08:00"})
    assert ok.status == 200 and ok.body.get("response_action") is None
    status = await slack.command("checkin")
    assert "every Monday at 09:00" in status.text
    assert "deploy a model by March" in status.text


async def test_prompt_answer_with_a_bad_value_then_edit_and_blocker(
    slack: SlackDriver, clock: FakeClock, core: Core
) -> None:
    dm = await prompted(slack, clock)
    assert dm["channel"] == f"D{MEMBER}"
    assert "Weekly check-in" in all_text(dm)
    await slack.click(button(dm, "ck.answer"), channel=f"D{MEMBER}")
    modal = slack.last_view()
    assert modal["callback_id"] == "ck.answer"
    refused = await slack.submit(modal, {**GOOD, "hours": "lots", "confidence": "4"})
    assert refused.body["response_action"] == "errors"
    assert set(refused.body["errors"]) == {"hours"}
    # The typed answers are kept: "Fix it" (shown where modals cannot keep errors) reopens them.
    async with core.sessions() as session:
        flow = await session.scalar(select(Flow).where(Flow.name == "checkin-answer"))
    assert flow is not None
    fix = {"action_id": "ck.fix", "type": "button", "value": f"{flow.id}.{flow.step}"}
    await slack.click(fix, channel=f"D{MEMBER}")
    assert initial(slack.last_view(), "done") == "shipped the API"
    assert initial(slack.last_view(), "hours") == "lots"
    saved = await slack.click(button(dm, "ck.answer"), channel=f"D{MEMBER}")
    await slack.submit(slack.last_view(), {**GOOD, "confidence": "4"})
    answer = saved.posts[0]  # answered where the Answer button was
    assert "Check-in saved" in all_text(answer)
    await slack.click(button(answer, "ck.answer"), channel=f"D{MEMBER}")
    edit = slack.last_view()
    assert initial(edit, "hours") == "6"
    await slack.submit(edit, {**GOOD, "hours": "7", "confidence": "5"})
    await slack.click(button(answer, "ck.blocker"), channel=f"D{MEMBER}")
    async with core.sessions() as session:
        week = await session.scalar(select(CheckinWeek))
        reminder = await session.scalar(select(Reminder))
    assert week is not None and week.hours == 7 and week.confidence == 5
    assert reminder is not None and reminder.text == "Check-in blocker: Docker"


async def test_skip_pause_resume_change_and_answer_now(
    slack: SlackDriver, clock: FakeClock, core: Core
) -> None:
    dm = await prompted(slack, clock)
    await slack.click(button(dm, "ck.skip"), channel=f"D{MEMBER}")
    skip = slack.last_view()
    assert skip["callback_id"] == "ck.skip"
    await slack.submit(skip, {"reason": "holiday"})
    paused = await slack.click(button(dm, "ck.pause"), channel=f"D{MEMBER}")
    assert "Paused" in paused.text
    resumed = await slack.click(button(paused.posts[0], "ck.resume"), channel=f"D{MEMBER}")
    assert "Next check-in" in resumed.text
    await slack.click(button(resumed.posts[0], "ck.change"), channel=f"D{MEMBER}")
    assert slack.last_view()["callback_id"] == "ck.setup"
    await slack.click(button(resumed.posts[0], "ck.now"), channel=f"D{MEMBER}")
    assert slack.last_view()["callback_id"] == "ck.answer"
    async with core.sessions() as session:
        statuses = set((await session.scalars(select(CheckinWeek.status))).all())
    assert "skipped" in statuses


async def test_history_and_app_home(slack: SlackDriver, clock: FakeClock) -> None:
    dm = await prompted(slack, clock)
    await slack.click(button(dm, "ck.answer"), channel=f"D{MEMBER}")
    await slack.submit(slack.last_view(), {**GOOD, "confidence": "3"})
    history = await slack.command("checkin history")
    assert "write it up" in history.text
    page = {"action_id": "ck.history", "type": "button", "value": "2"}
    again = await slack.click(page, channel=f"D{MEMBER}")
    assert "write it up" in again.text  # a stale page number shows the nearest page
    await slack.open_home()
    home = all_text(slack.last_view("views.publish"))
    assert "Weekly check-in" in home and "1 week" in home


async def test_admin_report_uploads_the_csv_and_the_digest_posts_in_the_channel(
    slack: SlackDriver, clock: FakeClock, core: Core
) -> None:
    slack.fake.user(MEMBER, tz="Europe/Berlin", is_admin=True)
    channel = await slack.command("checkin channel friday 4pm")
    assert "every Friday at 16:00" in channel.text
    dm = await prompted(slack, clock)
    await slack.click(button(dm, "ck.answer"), channel=f"D{MEMBER}")
    await slack.submit(slack.last_view(), {**GOOD, "confidence": "3"})

    report = await slack.command("checkin report")
    assert "median streak" in report.text
    names = {file.filename for file in slack.fake.files.values()}
    assert {"checkin-report.csv", "checkin-report.png"} <= names

    clock.advance(timedelta(days=4, hours=8))  # Friday 4 Dec, 16:00 in the workspace (UTC)
    feature = core.feature("checkins")
    assert isinstance(feature, CheckinFeature)
    assert await feature.queue_digests() == 1
    assert await feature.queue_digests() == 0  # the job ran twice in that hour: queued once
    await slack.fake.wait_for(lambda: len(digests(slack)) == 1)
    [digest] = digests(slack)
    assert "This week's check-ins" in all_text(digest)
    assert "1 answered privately" in all_text(digest)
    # A crash lost the record of the post: the takeover finds it in the channel's history.
    delivery_id = await lose_record(core, clock, kind="checkin.digest")
    message_id = await taken_over(core, clock, delivery_id)
    assert message_id == f"C0GENERAL:{slack.fake.history['C0GENERAL'][-1]['ts']}"
    assert len(digests(slack)) == 1


def digests(slack: SlackDriver) -> list[dict[str, Any]]:
    """The digest posts Slack accepted in the workspace channel."""
    return [
        call.params
        for call in slack.fake.accepted
        if call.method == "chat.postMessage" and call.params["channel"] == "C0GENERAL"
    ]
