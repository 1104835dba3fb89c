"""App Home: opening the Home tab publishes the member's reminders, buttons and time zone."""

from __future__ import annotations

from tests.support.slack import MEMBER, SlackDriver, all_text, button


async def test_home_shows_reminders_and_zone(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")

    ack = await slack.open_home()

    assert ack.status == 200
    call = slack.fake.calls_to("views.publish")[-1]
    assert call.params["user_id"] == MEMBER
    view = call.params["view"]
    assert view["type"] == "home"
    assert "stretch" in all_text(view)
    assert "Europe/Berlin" in all_text(view)
    assert button(view, "rem.cancel")


async def test_the_messages_tab_publishes_nothing(slack: SlackDriver) -> None:
    await slack.open_home(tab="messages")

    assert slack.fake.calls_to("views.publish") == []


async def test_a_click_in_home_answers_by_dm_and_refreshes_home(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")
    await slack.open_home()

    await slack.click(button(slack.last_view("views.publish"), "rem.cancel"), home=True)

    dm = (await slack.fake.wait_calls("chat.postMessage"))[0].params
    assert "Cancelled: stretch" in all_text(dm)
    refreshed = slack.last_view("views.publish")
    assert "stretch" not in all_text(refreshed)
    assert len(slack.fake.calls_to("views.publish")) == 2


async def test_edit_from_home_opens_a_modal(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")
    await slack.open_home()

    await slack.click(button(slack.last_view("views.publish"), "rem.edit"), home=True)
    await slack.submit(slack.last_view(), {"when": "in 2 hours", "what": "stretch more"})

    assert "stretch more" in all_text(slack.last_view("views.publish"))
