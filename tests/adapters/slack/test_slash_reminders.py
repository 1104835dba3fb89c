"""`/mentor reminders`: the member's list, with a row of buttons per reminder and paging."""

from __future__ import annotations

from tests.support.slack import SlackDriver, button, buttons


async def test_empty_list_says_how_to_start(slack: SlackDriver) -> None:
    exchange = await slack.command("reminders")

    assert "You have no upcoming reminders" in exchange.text
    assert "`/mentor remind in 5 days check the thread`" in exchange.text


async def test_list_shows_each_reminder_with_its_buttons(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")
    await slack.command("remind every monday 9am review goals", channel="D0ALICE")

    listing = (await slack.command("reminders")).posts[0]

    labels = [b["text"]["text"] for b in buttons(listing)]
    assert labels == ["Edit 1", "Cancel 1", "Edit 2", "Cancel 2", "Pause 2", "End 2"]
    ids = [b["action_id"] for b in buttons(listing)]
    assert len(ids) == len(set(ids)), "Slack needs distinct action ids in one message"


async def test_next_page_replaces_the_list(slack: SlackDriver) -> None:
    for hours in range(1, 7):
        await slack.command(f"remind in {hours} hours task {hours}", channel="D0ALICE")
    first = (await slack.command("reminders")).posts[0]

    second = await slack.click(button(first, "rem.page"))

    assert second.posts[0]["replace_original"] is True
    assert "page 2 of 2" in second.text
    assert "task 5" in second.text


async def test_a_page_number_can_be_typed(slack: SlackDriver) -> None:
    for hours in range(1, 7):
        await slack.command(f"remind in {hours} hours task {hours}", channel="D0ALICE")

    exchange = await slack.command("reminders 2")

    assert "page 2 of 2" in exchange.text
