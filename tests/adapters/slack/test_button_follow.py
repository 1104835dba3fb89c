"""A channel reminder's "Remind me too" adds the clicker and updates the shared message."""

from __future__ import annotations

from tests.support.slack import SlackDriver, button


async def test_remind_me_too(slack: SlackDriver) -> None:
    shared = (await slack.command("remind tomorrow 9am demo day")).posts[0]

    joined = await slack.click(button(shared, "rem.follow"), user="U0BOB")

    updated, private = joined.posts
    assert updated["replace_original"] is True
    assert updated["response_type"] == "in_channel"
    assert "1 other will be reminded too" in str(updated["blocks"])
    assert private["replace_original"] is False
    assert private["response_type"] == "ephemeral"
    assert "I'll remind you too" in str(private["blocks"])
    bobs = await slack.command("reminders", user="U0BOB")
    assert "demo day" in bobs.text
