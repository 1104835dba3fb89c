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


async def test_the_redrawn_message_shows_each_viewer_their_own_time(slack: SlackDriver) -> None:
    await slack.command("timezone berlin")
    await slack.command("timezone tokyo", user="U0BOB")
    shared = (await slack.command("remind friday 9am demo day")).posts[0]
    friday_9_berlin = 1795766400  # Fri 27 Nov 2026 08:00 UTC
    stamp = f"<!date^{friday_9_berlin}^{{date_long_pretty}} at {{time}}|"
    assert stamp in str(shared["blocks"])

    updated, _ = (await slack.click(button(shared, "rem.follow"), user="U0BOB")).posts
    redrawn = str(updated["blocks"])
    assert stamp + "Fri 27 Nov 2026, 09:00 CET (Europe/Berlin)" in redrawn  # owner's fallback
    assert "JST" not in redrawn


async def test_stop_reminding_me_drops_the_count(slack: SlackDriver) -> None:
    shared = (await slack.command("remind tomorrow 9am demo day")).posts[0]
    joined, _ = (await slack.click(button(shared, "rem.follow"), user="U0BOB")).posts
    assert "1 other will be reminded too" in str(joined["blocks"])

    left, note = (await slack.click(button(joined, "rem.leave"), user="U0BOB")).posts
    assert left["replace_original"] is True and left["response_type"] == "in_channel"
    assert "will be reminded too" not in str(left["blocks"])
    assert note["response_type"] == "ephemeral"
    assert "won't be reminded about this any more" in str(note["blocks"])
    bobs = await slack.command("reminders", user="U0BOB")
    assert "demo day" not in bobs.text


async def test_followers_get_a_dm_when_the_owner_cancels(slack: SlackDriver) -> None:
    shared = (await slack.command("remind tomorrow 9am demo day")).posts[0]
    await slack.click(button(shared, "rem.follow"), user="U0BOB")
    await slack.click(button(shared, "rem.cancel"))
    [dm] = await slack.fake.wait_calls("chat.postMessage")
    assert dm.params["channel"] == "DU0BOB"
    assert "cancelled a reminder you joined: demo day" in dm.params["text"]
