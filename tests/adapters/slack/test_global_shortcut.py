"""The global shortcut opens every command as a modal; submitting runs that command."""

from __future__ import annotations

from tests.support.slack import MEMBER, SlackDriver, all_text


async def test_the_menu_lists_every_command(slack: SlackDriver) -> None:
    ack = await slack.global_shortcut()

    assert ack.status == 200
    modal = slack.last_view()
    assert modal["callback_id"] == "mentorbot.menu"
    choose = modal["blocks"][0]["element"]
    assert [option["value"] for option in choose["options"]] == [
        spec.name for spec in slack.runtime.app.core.router.catalogue if not spec.admin_only
    ]  # the member is no admin: `admin` is not offered
    assert "/mentor remind in 5 days" in all_text(modal)


async def test_running_remind_from_the_menu_answers_by_dm(slack: SlackDriver) -> None:
    await slack.global_shortcut()

    ack = await slack.submit(
        slack.last_view(), {"command": "remind", "details": "in 2 hours stretch"}
    )

    assert ack.status == 200
    dm = (await slack.fake.wait_calls("chat.postMessage"))[0].params
    assert dm["channel"] == f"D{MEMBER}"
    assert "I'll remind you" in all_text(dm)
    assert "stretch" in (await slack.command("reminders")).text


async def test_a_command_that_opens_a_form_replaces_the_menu(slack: SlackDriver) -> None:
    await slack.command("remind in 1 hour stretch", channel="D0ALICE")
    await slack.global_shortcut()

    ack = await slack.submit(slack.last_view(), {"command": "reminders"})

    assert ack.body == {}
    dm = (await slack.fake.wait_calls("chat.postMessage"))[0].params
    assert "Your reminders" in all_text(dm)
