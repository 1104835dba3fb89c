"""Edit opens a modal with the reminder filled in; submitting it saves and answers."""

from __future__ import annotations

from tests.support.slack import SlackDriver, button


async def test_edit_opens_a_modal_and_saves(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")
    listing = (await slack.command("reminders")).posts[0]

    opened = await slack.click(button(listing, "rem.edit"))

    assert opened.posts == []
    call = slack.fake.calls_to("views.open")[-1]
    assert call.params["trigger_id"].startswith("trigger-")
    modal = call.params["view"]
    assert modal["callback_id"] == "rem.edit"
    assert modal["title"]["text"] == "Edit reminder"
    text_input = next(b for b in modal["blocks"] if b["block_id"] == "what")
    assert text_input["element"]["initial_value"] == "stretch"

    ack = await slack.submit(modal, {"when": "tomorrow 9am", "what": "stretch twice"})

    assert ack.status == 200
    assert ack.body.get("response_action") is None  # the modal closes
    assert "Saved: stretch twice" in opened.text  # answered where the Edit button was
    assert "stretch twice" in (await slack.command("reminders")).text


async def test_a_bad_time_in_the_modal_is_shown_on_the_field(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")
    listing = (await slack.command("reminders")).posts[0]
    opened = await slack.click(button(listing, "rem.edit"))

    ack = await slack.submit(slack.last_view(), {"when": "whenever pigs fly", "what": ""})

    assert ack.status == 200
    assert ack.body["response_action"] == "errors"  # the modal stays open
    assert set(ack.body["errors"]) == {"when"}
    assert ack.body["errors"]["when"]
    assert opened.posts == []  # not also explained afterwards
    assert "stretch" in (await slack.command("reminders")).text  # unchanged
