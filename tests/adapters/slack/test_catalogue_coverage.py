"""Every feature the core has works on Slack: each command answers, and each command, button,
form and message action of the catalogue has a Slack scenario (a new one fails this test)."""

from __future__ import annotations

from bot.app import Core
from tests.support.slack import SlackDriver

# Where each is exercised through the real Bolt app, in both modes.
SCENARIOS = {
    "commands": {
        "help": "test_slash_help",
        "remind": "test_slash_remind",
        "reminders": "test_slash_reminders",
        "timezone": "test_slash_timezone",
        "resources": "test_resources",
        "rolefit": "test_rolefit",
        "roles": "test_rolefit",
        "checkin": "test_checkin",
        "admin": "test_admin_settings",
        "mydata": "test_mydata",
    },
    "actions": {
        "rem.cancel": "test_button_cancel",
        "rem.follow": "test_button_follow",
        "rem.leave": "test_button_follow",
        "rem.page": "test_slash_reminders",
        "rem.edit": "test_button_edit_modal",
        "rem.pause": "test_button_pause_resume_end",
        "rem.resume": "test_button_pause_resume_end",
        "rem.end": "test_button_pause_resume_end",
        "rem.keep": "test_button_pause_resume_end",
        "rem.snooze10": "test_reminder_dm",
        "rem.snooze60": "test_reminder_dm",
        "rem.snoozetomorrow": "test_reminder_dm",
        "rem.snoozecustom": "test_reminder_dm",
        "rem.done": "test_reminder_dm",
        "tz.pick": "test_slash_timezone",
        "rs.page": "test_resources",
        "rs.save": "test_resources",
        "rs.unsave": "test_resources",
        "rs.savedpage": "test_resources",
        "rs.more": "test_resources",
        "rs.remind": "test_resources",
        "rs.approve": "test_resources",
        "rs.reject": "test_resources",
        "rf.answer": "test_rolefit",
        "rf.pick": "test_rolefit",
        "rf.back": "test_rolefit",
        "rf.retake": "test_rolefit",
        "rf.start": "test_rolefit",
        "rf.remind": "test_rolefit",
        "rf.role": "test_rolefit",
        "rf.resources": "test_rolefit",
        "ck.now": "test_checkin",
        "ck.pause": "test_checkin",
        "ck.resume": "test_checkin",
        "ck.change": "test_checkin",
        "ck.answer": "test_checkin",
        "ck.skip": "test_checkin",
        "ck.fix": "test_checkin",
        "ck.blocker": "test_checkin",
        "ck.history": "test_checkin",
        "adm.edit": "test_admin_settings",
        "adm.fix": "test_admin_settings",
        "mydata.export": "test_mydata",
        "mydata.ask": "test_mydata",
        "mydata.delete": "test_mydata",
        "mydata.keep": "test_mydata",
    },
    "forms": {
        "rem.edit": "test_button_edit_modal",
        "rem.snooze": "test_reminder_dm",
        "rem.message": "test_message_shortcut",
        "rs.remind": "test_resources",
        "rs.approve": "test_resources",
        "ck.setup": "test_checkin",
        "ck.answer": "test_checkin",
        "ck.skip": "test_checkin",
        "adm.settings": "test_admin_settings",
    },
    "message actions": {"remind-message": "test_message_shortcut"},
}


def test_every_catalogue_entry_has_a_slack_scenario(core: Core) -> None:
    router = core.router
    present = {
        "commands": set(router.commands),
        "actions": set(router.actions),
        "forms": set(router.forms),
        "message actions": set(router.message_actions),
    }
    for kind, names in present.items():
        missing = names - set(SCENARIOS[kind])
        assert not missing, f"{kind} without a Slack scenario: {sorted(missing)}"


async def test_every_command_answers_as_a_mentor_subcommand(slack: SlackDriver) -> None:
    for spec in slack.runtime.app.core.router.catalogue:
        exchange = await slack.command(spec.name)
        assert exchange.ack.status == 200
        assert exchange.posts, f"/mentor {spec.name} got no answer"
        assert "I don't know" not in exchange.text
