"""`/reminders` and its buttons: paging, edit (a modal), cancel, pause, resume, end."""

from __future__ import annotations

from tests.fakes import discord_payloads as p
from tests.support.discord import DiscordHarness, buttons_of, is_ephemeral, text_of


async def test_an_empty_list_says_how_to_start(discord_: DiscordHarness) -> None:
    record = await discord_.slash("reminders", discord_.member("ann"))
    assert "no upcoming reminders" in text_of(record.messages[0])


async def test_the_list_pages_with_buttons_that_update_it(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    for day in range(1, 7):
        await discord_.slash("remind", ann, in_dm=True, when=f"in {day} days", what=f"task {day}")
    record = await discord_.slash("reminders", ann)
    listing = record.messages[0]
    assert is_ephemeral(listing)
    assert "page 1 of 2" in text_of(listing) and "task 1" in text_of(listing)
    clicked = await discord_.click(listing, "Next ▶", ann)
    assert clicked.callback_type == p.UPDATE_MESSAGE
    assert "page 2 of 2" in text_of(listing) and "task 6" in text_of(listing)
    assert "◀ Previous" in buttons_of(listing)


async def test_the_page_option_opens_a_page_directly(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    for day in range(1, 6):
        await discord_.slash("remind", ann, in_dm=True, when=f"in {day} days", what=f"task {day}")
    record = await discord_.slash("reminders", ann, page=2)
    assert "page 2 of 2" in text_of(record.messages[0])


async def test_cancel_from_the_list(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    await discord_.slash("remind", ann, in_dm=True, when="in 2 days", what="stretch")
    listing = (await discord_.slash("reminders", ann)).messages[0]
    record = await discord_.click(listing, "Cancel 1", ann)
    assert "Cancelled: stretch" in text_of(record.messages[0])
    listing = (await discord_.slash("reminders", ann)).messages[0]
    assert "no upcoming reminders" in text_of(listing)


async def test_edit_opens_a_modal_and_saves_what_is_submitted(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    await discord_.slash("remind", ann, in_dm=True, when="in 2 days", what="stretch")
    listing = (await discord_.slash("reminders", ann)).messages[0]
    opened = await discord_.click(listing, "Edit 1", ann)
    assert opened.callback_type == p.MODAL
    assert opened.callback is not None
    modal = opened.callback["data"]
    assert modal["title"] == "Edit reminder"
    inputs = [row["components"][0] for row in modal["components"]]
    assert [field["custom_id"] for field in inputs] == ["when", "what"]
    assert inputs[1]["value"] == "stretch"
    submitted = await discord_.submit(opened, ann, when="in 3 days", what="stretch more")
    assert "Saved: stretch more" in text_of(submitted.messages[0])


async def test_a_repeating_reminder_pauses_resumes_and_ends(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    await discord_.slash("remind", ann, in_dm=True, when="every monday 9am", what="goals")
    listing = (await discord_.slash("reminders", ann)).messages[0]
    paused = await discord_.click(listing, "Pause 1", ann)
    assert "Paused" in text_of(paused.messages[0])
    listing = (await discord_.slash("reminders", ann)).messages[0]
    resumed = await discord_.click(listing, "Resume 1", ann)
    assert "Resumed" in text_of(resumed.messages[0])
    asked = await discord_.click(listing, "End 1", ann)
    assert "Every future reminder stops" in text_of(asked.messages[0])
    ended = await discord_.click(asked.messages[0], "Yes, end it", ann)
    assert "Ended" in text_of(ended.messages[0])
