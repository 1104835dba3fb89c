"""Workspace settings as replies: the overview, the form (with what was typed), the outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import markup
from bot.admin.service import CHANNEL_RULE_LABELS, ChannelReminders, Digest, WorkspaceView
from bot.chat import Button, ButtonStyle, Choice, Field, Form, FormInput, Reply
from bot.time.zones import zone_label

FORM_ID = "adm.settings"
EDIT = "adm.edit"
FIX = "adm.fix"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HERE = "here"
OFF = "off"

CHANNEL_RULE_CHOICES = (
    Choice("Everyone", ChannelReminders.EVERYONE.value, "shared, with Remind me too"),
    Choice("Admins only", ChannelReminders.ADMINS.value, "others' are kept private"),
    Choice("Nobody", ChannelReminders.NOBODY.value, "every reminder is kept private"),
)


def digest_phrase(digest: Digest) -> str:
    """`friday 16:00`: what the form shows and `weekly_rule` reads back."""
    return f"{WEEKDAYS[digest.weekday].lower()} {digest.hour:02d}:00"


def _limit(view: WorkspaceView) -> str:
    if view.max_active is None:
        return f"{view.operator_max} active per member (the operator's maximum)"
    if view.max_active > view.operator_max:
        return (
            f"{view.operator_max} active per member ({view.max_active} was set; "
            f"the operator now allows up to {view.operator_max})"
        )
    return f"{view.max_active} active per member (the operator allows up to {view.operator_max})"


def overview(view: WorkspaceView, *, channel_id: str) -> Reply:
    """`/admin settings`: what is set, the last few changes, and **Change settings**."""
    zone = zone_label(view.zone) + ("" if view.zone_set else " (the operator's default)")
    if view.digest is None:
        digest = channel = "off"
    else:
        here = " (this channel)" if view.digest.channel_id == channel_id else ""
        channel = view.digest.channel_id + here
        day = WEEKDAYS[view.digest.weekday]
        digest = f"{day}s at {view.digest.hour:02d}:00, {zone_label(view.zone)}"
    fields = (
        Field("Default time zone", zone),
        Field("Accountability channel", channel),
        Field("Weekly digest", digest),
        Field("Reminder limit", _limit(view)),
        Field("Reminders set in channels", CHANNEL_RULE_LABELS[view.channel_reminders]),
    )
    lines = ["⚙️ **This community's settings**"]
    if view.last_changes:
        lines.append("Last changed:")
        for change in view.last_changes:
            who = markup.escape(change.by[:80]) if change.by else "a former member"
            when = change.at.strftime("%d %b %Y %H:%M UTC")
            lines.append(f"• {markup.escape(change.field)} by {who}, {when}")
    return Reply(
        "\n".join(lines),
        fields=fields,
        buttons=((Button("Change settings", EDIT, "", ButtonStyle.PRIMARY),),),
    )


def form_values(view: WorkspaceView) -> dict[str, str]:
    """The form's starting values: what is stored now (saving it untouched changes nothing)."""
    channel = view.digest.channel_id if view.digest is not None else ""
    digest = digest_phrase(view.digest) if view.digest is not None else ""
    return {
        "zone": view.zone,
        "channel": channel,
        "digest": digest,
        "limit": "" if view.max_active is None else str(view.max_active),
        "channel_reminders": view.channel_reminders.value,
    }


def settings_form(values: Mapping[str, str], operator_max: int) -> Form:
    """The five settings in one form; `values` are the stored ones or what was typed."""
    return Form(
        FORM_ID,
        "Workspace settings",
        (
            FormInput(
                "zone",
                "Default time zone for new members",
                placeholder="a city or zone, e.g. berlin or Europe/Berlin",
                default=values.get("zone", ""),
                max_length=64,
            ),
            FormInput(
                "channel",
                "Accountability channel",
                placeholder="here, off, or a channel id",
                default=values.get("channel", ""),
                required=False,
                max_length=100,
            ),
            FormInput(
                "digest",
                "Weekly digest day and time",
                placeholder="friday 4pm",
                default=values.get("digest", ""),
                required=False,
                max_length=50,
            ),
            FormInput(
                "limit",
                f"Active reminders per member (1-{operator_max})",
                placeholder=f"empty: {operator_max}, the operator's maximum",
                default=values.get("limit", ""),
                required=False,
                max_length=10,
            ),
            FormInput(
                "channel_reminders",
                "Who may share reminders in channels",
                default=values.get("channel_reminders", ChannelReminders.EVERYONE.value),
                kind="choice",
                choices=CHANNEL_RULE_CHOICES,
            ),
        ),
    )


def problem(errors: Sequence[tuple[str, str]], token: str) -> Reply:
    """Wrong values, each named on its field; **Fix it** reopens the form with what was typed."""
    text = "⚠️ Nothing was changed. " + " ".join(message for _, message in errors)
    return Reply(
        text + " Press **Fix it**: everything you typed is kept.",
        buttons=((Button("Fix it", FIX, token, ButtonStyle.PRIMARY),),),
        field_errors=tuple(errors),
    )


def saved(changed: Sequence[str], moved: int) -> Reply:
    if not changed:
        return Reply("Nothing to change: the settings are as they were.")
    lines = [f"✅ Saved: {', '.join(changed)}. `/admin settings` shows them."]
    if moved:
        things = f"{moved} repeating reminder{'' if moved == 1 else 's'}"
        lines.append(
            f"🔁 {things} of members without their own zone moved with the new default zone."
        )
    return Reply("\n".join(lines))
