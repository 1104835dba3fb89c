"""How reminders look in chat: the confirmation, the list, and the forms."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from bot import markup, paging
from bot.chat import Button, ButtonStyle, Form, FormInput, Reply
from bot.paging import Page
from bot.reminders.service import ReminderView
from bot.time import timefmt
from bot.time.describe import describe_rule
from bot.time.zones import zone_label


def confirmation(
    view: ReminderView,
    *,
    tz: tzinfo,
    now: datetime,
    in_channel: bool,
    understood: str = "",
    note: str = "",
) -> Reply:
    when = _when(view.next_at, tz, now, shared=in_channel) if view.next_at else "(no date)"
    lines = [
        f"✅ I'll remind {'you' if view.is_owner else 'them'} {when}: {markup.escape(view.text)}"
    ]
    if note:  # e.g. a wall time the clocks skip that night
        lines.append(f"🕑 {markup.escape(note)}")
    if view.rule:
        lines.append(f"🔁 Repeats {describe_rule(view.rule)}.")
    if view.source_link:
        lines.append(markup.link("the message", view.source_link))
    if view.followers:
        others = "other" if view.followers == 1 else "others"
        lines.append(f"👥 {view.followers} {others} will be reminded too.")
    if understood and not view.rule:  # a repeat's understanding is the 🔁 line above
        lines.append(f"__Understood: {markup.escape(understood)}__")
    row = [Button("Cancel", "rem.cancel", str(view.id), ButtonStyle.DANGER)]
    if in_channel:
        row.append(Button("Remind me too", "rem.follow", str(view.id), ButtonStyle.PRIMARY))
        if view.followers:
            row.append(Button("Stop reminding me", "rem.leave", str(view.id)))
    return Reply(text="\n".join(lines), buttons=(tuple(row),), private=not in_channel)


def _when(at: datetime, tz: tzinfo, now: datetime, *, shared: bool) -> str:
    """The time as markup Discord and Slack show in each viewer's zone. In a shared message the
    fallback (the console, old clients) names the owner's zone, since it is not the reader's."""
    if not shared or not isinstance(tz, ZoneInfo):
        return timefmt.moment(at, tz, now)
    local, name = timefmt.local(at, tz), zone_label(tz.key)
    named = local if local.endswith(f" {name}") else f"{local} ({name})"
    return markup.moment(at, f"{named}, {timefmt.relative(at, now, tz)}")


def listing(page: Page[ReminderView], *, tz: tzinfo, now: datetime) -> Reply:
    if not page.total:
        return Reply("You have no upcoming reminders. Try `/remind in 5 days check the thread`.")
    lines = [f"**Your reminders** ({page.total}, page {page.page} of {page.pages})"]
    rows: list[tuple[Button, ...]] = []
    for number, item in enumerate(page.items, start=page.first_number):
        when = timefmt.moment(item.next_at, tz, now) if item.next_at else "not scheduled"
        line = f"**{number}.** {markup.escape(markup.truncate(item.text, 200))} — {when}"
        if item.rule:
            line += f" (repeats {describe_rule(item.rule)})"
        if item.status == "paused":
            line += " ⏸ paused"
        if not item.is_owner:
            line += " (you joined)"
        if item.undelivered:
            line += " ⚠ I couldn't DM you this one: are your DMs open?"
        lines.append(line)
        value = str(item.id)
        row = []
        if item.is_owner:
            row.append(Button(f"Edit {number}", "rem.edit", value))
        row.append(Button(f"Cancel {number}", "rem.cancel", value, ButtonStyle.DANGER))
        if item.is_owner and item.rule:
            if item.status == "paused":
                row.append(Button(f"Resume {number}", "rem.resume", value))
            else:
                row.append(Button(f"Pause {number}", "rem.pause", value))
            row.append(Button(f"End {number}", "rem.end", value))
        rows.append(tuple(row))
    return Reply(text="\n".join(lines), buttons=(*rows, *paging.buttons(page, "rem.page")))


def when_form(form_id: str, title: str, context: str, *, with_text: bool) -> Form:
    inputs = [FormInput("when", "When?", placeholder="in 2 hours, tomorrow 9am, next friday")]
    if with_text:
        inputs.append(FormInput("what", "What about?", required=False, multiline=True))
    return Form(form_id, title, tuple(inputs), submit_label="Remind me", context=context)


def edit_form(view: ReminderView) -> Form:
    return Form(
        "rem.edit",
        "Edit reminder",
        (
            FormInput(
                "when",
                "New time (empty keeps it)",
                required=False,
                placeholder="tomorrow 9am / every monday 10am",
            ),
            FormInput("what", "Text", default=view.text[:1000], multiline=True, required=False),
        ),
        submit_label="Save",
        context=str(view.id),
    )
