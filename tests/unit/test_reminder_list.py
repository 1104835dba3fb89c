"""`/reminders`: a member's upcoming reminders, four a page, with Edit, Cancel, Pause/Resume/End."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.storage.tables import Delivery, Reminder
from tests.conftest import make_settings
from tests.support.conversation import count, dispatcher_idle


async def test_empty_list_says_how_to_set_one(chat: ConsoleChat) -> None:
    lines = await chat.say("/reminders")
    assert "You have no upcoming reminders" in lines[0]
    assert "/remind in 5 days" in lines[0]
    assert lines.buttons == {}


async def test_more_than_four_reminders_page_with_next_and_previous(chat: ConsoleChat) -> None:
    for hour in range(1, 7):
        await chat.say(f"/remind in {hour} hours task number {hour}")
    first = await chat.say("/reminders")
    text = first.text
    assert "(6, page 1 of 2)" in text
    assert all(f"task number {n}" in text for n in (1, 2, 3, 4))
    assert "task number 5" not in text
    assert "◀ Previous" not in first.buttons

    second = await chat.say(first.button("Next ▶"))
    assert second[0] == "(updated)"
    text = second.text
    assert "(6, page 2 of 2)" in text
    assert "5. task number 5" in text
    assert "6. task number 6" in text
    assert "task number 1" not in text
    assert "Next ▶" not in second.buttons
    assert "Edit 5" in second.buttons

    back = await chat.say(second.button("◀ Previous"))
    assert back[0] == "(updated)"
    assert "(6, page 1 of 2)" in back.text
    assert "1. task number 1" in back.text


async def test_page_number_option_is_clamped(chat: ConsoleChat) -> None:
    for hour in range(1, 6):
        await chat.say(f"/remind in {hour} hours task {hour}")
    lines = await chat.say("/reminders 9")
    assert "(5, page 2 of 2)" in lines[0]


async def test_pause_then_resume_lists_it_again_with_its_next_date(chat: ConsoleChat) -> None:
    await chat.say("/remind every monday 9am review goals")
    listed = await chat.say("/reminders")
    assert "review goals" in listed.text

    paused = await chat.say(listed.button("Pause 1"))
    assert "Paused" in paused[0]
    while_paused = await chat.say("/reminders")
    assert "⏸ paused" in while_paused.text

    resumed = await chat.say(while_paused.button("Resume 1"))
    assert "Resumed; next Mon 30 Nov 2026, 09:00 UTC" in resumed[0]
    again = await chat.say("/reminders")
    assert "(1, page 1 of 1)" in again[0]
    assert "review goals — Mon 30 Nov 2026, 09:00 UTC" in again.text
    assert "paused" not in again.text
    assert "Pause 1" in again.buttons


async def test_resumed_reminder_fires_and_keeps_repeating(
    chat: ConsoleChat, clock: FakeClock
) -> None:
    await chat.say("/remind every monday 9am review goals")
    listed = await chat.say("/reminders")
    await chat.say(listed.button("Pause 1"))
    await chat.say((await chat.say("/reminders")).button("Resume 1"))

    clock.advance(timedelta(days=6, hours=20))  # Mon 30 Nov 09:00
    assert "review goals" in (await chat.next_dm()).text
    clock.advance(timedelta(days=7))
    assert "review goals" in (await chat.next_dm()).text


async def test_paused_reminder_does_not_fire(
    chat: ConsoleChat, clock: FakeClock, core: Core
) -> None:
    await chat.say("/remind every monday 9am review goals")
    await chat.say((await chat.say("/reminders")).button("Pause 1"))
    await chat.say("/remind in 8 days water the plants")
    clock.advance(timedelta(days=8))  # past Monday 09:00
    assert "water the plants" in (await chat.next_dm()).text
    async with core.sessions() as session:
        goals = await session.scalar(select(Reminder.id).where(Reminder.text == "review goals"))
        statuses = (
            await session.scalars(select(Delivery.status).where(Delivery.subject_id == goals))
        ).all()
    assert statuses == ["cancelled"]


async def test_end_stops_a_repeating_reminder(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/remind every day 8am stretch")
    asked = await chat.say((await chat.say("/reminders")).button("End 1"))
    assert "End the repeating reminder stretch (every day at 08:00)?" in asked[0]
    ended = await chat.say(asked.button("Yes, end it"))
    assert "Ended" in ended.text
    assert "no upcoming reminders" in (await chat.say("/reminders"))[0]
    assert await count(core, Delivery, status="pending") == 0
    assert await count(core, Reminder, status="done") == 1


async def test_one_off_reminders_have_no_pause_or_end(chat: ConsoleChat) -> None:
    await chat.say("/remind in 1 hour stretch")
    shown = (await chat.say("/reminders")).buttons
    assert set(shown) == {"Edit 1", "Cancel 1"}


async def test_cancel_from_the_list(chat: ConsoleChat, core: Core, clock: FakeClock) -> None:
    await chat.say("/remind in 1 hour stretch")
    await chat.say("/remind in 2 hours drink water")
    cancelled = await chat.say((await chat.say("/reminders")).button("Cancel 1"))
    assert "Cancelled: stretch" in cancelled[0]
    listed = (await chat.say("/reminders")).text
    assert "stretch" not in listed
    assert "1. drink water" in listed
    clock.advance(timedelta(hours=2))
    assert "drink water" in (await chat.next_dm()).text
    await dispatcher_idle(core)
    assert await count(core, Delivery, status="sent") == 1


async def test_edit_changes_time_and_text(chat: ConsoleChat, clock: FakeClock, core: Core) -> None:
    await chat.say("/remind in 1 hour stretch")
    form = await chat.say((await chat.say("/reminders")).button("Edit 1"))
    assert "📝 Edit reminder" in form[0]
    assert "New time (empty keeps it)" in form[1]
    await chat.say("tomorrow 9am")
    saved = await chat.say("stretch your legs")
    assert "Saved: stretch your legs — Tue 24 Nov 2026, 09:00 UTC" in saved[0]
    assert (
        "1. stretch your legs — Tue 24 Nov 2026, 09:00 UTC" in (await chat.say("/reminders")).text
    )
    assert await count(core, Delivery, status="pending") == 1

    clock.advance(timedelta(hours=20))
    dm = (await chat.next_dm()).text
    assert "Reminder: stretch your legs" in dm
    assert "Sorry" not in dm  # it was not sent at the old time and again late


async def test_edit_text_only_keeps_the_time(chat: ConsoleChat) -> None:
    await chat.say("/remind tomorrow 9am stretch")
    await chat.say((await chat.say("/reminders")).button("Edit 1"))
    await chat.say("")
    saved = await chat.say("stretch and breathe")
    assert "Saved: stretch and breathe — Tue 24 Nov 2026, 09:00 UTC" in saved[0]


async def test_edit_time_only_keeps_the_text(chat: ConsoleChat) -> None:
    await chat.say("/remind tomorrow 9am stretch")
    await chat.say((await chat.say("/reminders")).button("Edit 1"))
    await chat.say("friday 5pm")
    saved = await chat.say("")  # the text field defaults to the current text
    assert "Saved: stretch — Fri 27 Nov 2026, 17:00 UTC" in saved[0]


async def test_edit_with_a_bad_time_explains_and_changes_nothing(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/remind tomorrow 9am stretch")
    await chat.say((await chat.say("/reminders")).button("Edit 1"))
    await chat.say("whenever I feel like it")
    answer = await chat.say("something else")
    assert answer[0].startswith("⚠")
    assert "You wrote" in answer.text
    async with core.sessions() as session:
        reminder = (await session.scalars(select(Reminder))).one()
        dues = (await session.scalars(select(Delivery.due_at))).all()
    assert reminder.text == "stretch"
    assert len(dues) == 1
    assert "1. stretch — Tue 24 Nov 2026, 09:00 UTC" in (await chat.say("/reminders")).text


async def test_edit_back_to_the_original_time_still_fires(
    chat: ConsoleChat, clock: FakeClock
) -> None:
    await chat.say("/remind tomorrow 9am stretch")
    await chat.say((await chat.say("/reminders")).button("Edit 1"))
    await chat.say("tomorrow 10am")
    await chat.say("")
    await chat.say((await chat.say("/reminders")).button("Edit 1"))
    await chat.say("tomorrow 9am")
    saved = await chat.say("")
    assert "09:00 UTC" in saved[0]
    assert "1. stretch — Tue 24 Nov 2026, 09:00 UTC" in (await chat.say("/reminders")).text
    clock.advance(timedelta(hours=20))
    dm = (await chat.next_dm()).text
    assert "Reminder: stretch" in dm
    assert "Sorry" not in dm


async def test_repeating_series_survives_an_edit_onto_a_cancelled_occurrence(
    chat: ConsoleChat, clock: FakeClock
) -> None:
    # Monday's occurrence is cancelled by the edit; the daily series reaches it again later.
    await chat.say("/remind every monday 9am review goals")
    await chat.say((await chat.say("/reminders")).button("Edit 1"))
    await chat.say("every day 9am")
    await chat.say("")
    for _ in range(7):  # Tue 24 Nov .. Mon 30 Nov
        clock.advance(timedelta(days=1) if clock.now().hour == 9 else timedelta(hours=20))
        assert "review goals" in (await chat.next_dm()).text
    listed = (await chat.say("/reminders")).text
    assert "Tue 1 Dec 2026, 09:00 UTC" in listed


async def test_list_is_per_member(chat: ConsoleChat) -> None:
    await chat.say("/remind in 1 hour my own thing")
    await chat.say("/remind in 2 hours my second thing")
    await chat.say("/remind in 3 hours bob's secret", as_user="bob")

    mine = (await chat.say("/reminders")).text
    assert "(2, page 1 of 1)" in mine
    assert "bob's secret" not in mine
    bobs = (await chat.say("/reminders", as_user="bob")).text
    assert "(1, page 1 of 1)" in bobs
    assert "bob's secret" in bobs
    assert "my own thing" not in bobs


async def test_someone_else_cannot_edit_or_cancel_from_my_list(
    chat: ConsoleChat, core: Core
) -> None:
    await chat.say("/remind in 1 hour stretch")
    listed = await chat.say("/reminders")
    edit = await chat.say(listed.button("Edit 1"), as_user="mallory")
    assert "Only the person who set that reminder can edit it" in edit[0]
    cancel = await chat.say(listed.button("Cancel 1"), as_user="mallory")
    assert "Only the person who set that reminder can cancel it" in cancel[0]
    assert await count(core, Delivery, status="pending") == 1
    assert await count(core, Reminder, status="active") == 1


async def test_pause_resume_and_edit_back_on_both_databases(
    database_url: str, clock: FakeClock
) -> None:
    core = Core(make_settings(database_url), clock=clock)
    await core.migrate()
    async with core:
        chat = ConsoleChat(core)
        await chat.say("/remind every monday 9am review goals")
        await chat.say((await chat.say("/reminders")).button("Pause 1"))
        await chat.say((await chat.say("/reminders")).button("Resume 1"))
        await chat.say((await chat.say("/reminders")).button("Edit 1"))
        await chat.say("every monday 10am")
        await chat.say("")
        await chat.say((await chat.say("/reminders")).button("Edit 1"))
        await chat.say("every monday 9am")
        await chat.say("")
        listed = (await chat.say("/reminders")).text
        assert "1. review goals — Mon 30 Nov 2026, 09:00 UTC" in listed
        assert await count(core, Delivery, status="pending") == 1
        clock.advance(timedelta(days=6, hours=20))
        assert "review goals" in (await chat.next_dm()).text
