"""The Cancel button on a confirmation or in the list cancels that reminder."""

from __future__ import annotations

from tests.support.slack import SlackDriver, button


async def test_cancel_from_the_confirmation(slack: SlackDriver) -> None:
    confirmation = (await slack.command("remind in 1 hour stretch", channel="D0ALICE")).posts[0]

    cancelled = await slack.click(button(confirmation, "rem.cancel"), channel="D0ALICE")

    assert "Cancelled: stretch" in cancelled.text
    assert cancelled.posts[0]["response_type"] == "ephemeral"
    assert "no upcoming reminders" in (await slack.command("reminders")).text


async def test_someone_else_cannot_cancel_my_reminder(slack: SlackDriver) -> None:
    confirmation = (await slack.command("remind in 1 hour stretch")).posts[0]

    attempt = await slack.click(button(confirmation, "rem.cancel"), user="U0MALLORY")

    assert "Cancelled" not in attempt.text
    assert "stretch" in (await slack.command("reminders")).text
