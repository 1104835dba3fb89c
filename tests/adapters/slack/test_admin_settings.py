"""`/mentor admin settings` on Slack: a workspace admin changes the settings in the modal (a wrong
value is shown on its field, the modal stays open) and the effects show; a member who is not a
Slack admin is refused the command, the button and the modal submission."""

from __future__ import annotations

from sqlalchemy import select

from bot.admin.tables import SettingsChange, WorkspaceSettings
from bot.app import Core
from bot.storage.tables import CheckinChannel, Flow, Reminder
from tests.support.conversation import count
from tests.support.slack import CHANNEL, MEMBER, SlackDriver, all_text, button

ADMIN = "U0ADMIN"
SETTINGS = {
    "zone": "Europe/Berlin",
    "channel": "here",
    "digest": "friday 4pm",
    "limit": "1",
    "channel_reminders": "admins",
}


async def open_form(slack: SlackDriver) -> dict[str, object]:
    shown = await slack.command("admin settings", user=ADMIN)
    [overview] = shown.posts
    assert "Default time zone" in all_text(overview)
    await slack.click(button(overview, "adm.edit"), user=ADMIN)
    modal = slack.last_view()
    assert modal["callback_id"] == "adm.settings"
    return modal


async def test_a_workspace_admin_changes_the_settings_and_they_take_effect(
    slack: SlackDriver, core: Core
) -> None:
    slack.fake.user(ADMIN, is_admin=True)
    modal = await open_form(slack)
    wrong = await slack.submit(modal, {**SETTINGS, "limit": "lots"}, user=ADMIN)
    assert wrong.body["response_action"] == "errors"
    assert set(wrong.body["errors"]) == {"limit"}
    assert await count(core, SettingsChange) == 0
    # What was typed is kept for **Fix it** too (shown where a form cannot keep its errors).
    async with core.sessions() as session:
        flow = await session.scalar(select(Flow))
    assert flow is not None
    fix = {"action_id": "adm.fix", "type": "button", "value": f"{flow.id}.{flow.step}"}
    refused = await slack.click(fix)  # MEMBER, not an admin
    assert "Only community admins can do that" in refused.text
    await slack.click(fix, user=ADMIN)
    reopened = slack.last_view()
    assert reopened["callback_id"] == "adm.settings" and "lots" in str(reopened)
    saved = await slack.submit(modal, SETTINGS, user=ADMIN)
    assert saved.status == 200 and saved.body.get("response_action") is None
    async with core.sessions() as session:
        digest = await session.get(CheckinChannel, 1)
    assert digest is not None and digest.channel_id == CHANNEL  # "here": where it was opened

    # "Admins only": the member's reminder in the channel is kept private, with a note.
    mine = await slack.command("remind in 1 hour stand up")
    assert "keep reminders set in channels private" in mine.text
    assert mine.posts[0].get("response_type") != "in_channel"
    assert "rem.follow" not in str(mine.posts[0])
    # The limit of 1 refuses the member's second active reminder.
    second = await slack.command("remind in 2 hours stretch")
    assert "the most this community allows" in second.text
    # The admin's channel reminder is shared with Remind me too.
    shared = await slack.command("remind in 1 hour retro", user=ADMIN)
    assert "rem.follow" in str(shared.posts[0])
    async with core.sessions() as session:
        rows = dict((await session.execute(select(Reminder.text, Reminder.shared))).all())
    assert rows == {"stand up": False, "retro": True}


async def test_a_member_who_is_not_a_slack_admin_is_refused_everywhere(
    slack: SlackDriver, core: Core
) -> None:
    slack.fake.user(ADMIN, is_admin=True)
    refused = await slack.command("admin settings")  # MEMBER: not an admin
    assert "Only community admins can use" in refused.text
    modal = await open_form(slack)
    [overview] = (await slack.command("admin settings", user=ADMIN)).posts
    pressed = await slack.click(button(overview, "adm.edit"), user=MEMBER)
    assert "Only community admins can do that" in pressed.text
    forged = await slack.submit(modal, SETTINGS, user=MEMBER)
    assert forged.body.get("response_action") != "errors"
    await slack.fake.wait_for(lambda: len(slack.fake.posted) == 5)
    assert "Only community admins can do that" in str(slack.fake.posted[-1].body)
    assert await count(core, SettingsChange) == 0
    assert await count(core, WorkspaceSettings) == 0
