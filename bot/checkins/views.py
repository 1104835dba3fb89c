"""How check-ins look in chat: pure functions from view data to `Reply`s and forms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot import markup, paging
from bot.chat import Button, ButtonStyle, Choice, Form, FormInput, Reply
from bot.checkins import streaks
from bot.checkins.content import CheckinContent
from bot.checkins.schedule import quiet_text
from bot.checkins.service import Status, WeekView
from bot.paging import Page
from bot.time import timefmt
from bot.time.describe import describe_rule

SETUP_FORM = "ck.setup"
ANSWER_FORM = "ck.answer"
SKIP_FORM = "ck.skip"
ROLE_NOTE = "the role you are aiming for, e.g. ML engineer"


def _weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"


def progress_lines(status: Status) -> list[str]:
    """Streak, the last 12 weeks as squares, and the hours trend."""
    lines = [f"🔥 Streak: **{_weeks(status.streak)}**"]
    if status.weeks:
        lines.append(f"Last weeks: {streaks.squares(status.weeks)}  __{streaks.LEGEND}__")
    trend = streaks.hours_trend(status.weeks)
    if trend:
        lines.append(f"Hours: {trend}")
    return lines


def overview(status: Status | None, *, tz: tzinfo, now: datetime) -> Reply:
    """`/checkin`: the setup, the streak and the next prompt's local time."""
    if status is None:
        return Reply(
            "You have no weekly check-in. Start one with `/checkin setup monday 9am`: a DM at "
            "your time with a few questions, and a streak worth keeping."
        )
    lines = [f"**Your weekly check-in**: {describe_rule(status.rule)} ({tz})"]
    if status.status == "paused":
        lines.append("⏸ Paused. `/checkin resume` starts it again.")
    elif status.next_at is not None:
        lines.append(f"Next check-in: {timefmt.moment(status.next_at, tz, now)}")
    if status.paused_until is not None and status.paused_until > now:
        lines.append(f"⏸ Paused until {timefmt.moment(status.paused_until, tz, now)}")
    if status.goal:
        lines.append(f"🎯 Goal: {markup.escape(status.goal)}")
    if status.target_role:
        lines.append(f"🧭 Target role: {markup.escape(status.target_role)}")
    shared = "shared in the accountability channel" if status.share else "kept private"
    lines.append(
        f"Updates: {shared} · quiet hours {quiet_text(status.quiet_start, status.quiet_end)}"
    )
    lines.extend(progress_lines(status))
    row = [Button("Answer now", "ck.now", str(status.id), ButtonStyle.PRIMARY)]
    if status.status == "paused":
        row.append(Button("Resume", "ck.resume", str(status.id)))
    else:
        row.append(Button("Pause", "ck.pause", str(status.id)))
    row.append(Button("Change", "ck.change", str(status.id)))
    return Reply("\n".join(lines), buttons=(tuple(row),))


def home(status: Status | None, *, tz: tzinfo, now: datetime) -> Reply | None:
    """The App Home / console overview line: status, streak, next prompt."""
    if status is None:
        return None
    state = "⏸ paused" if status.status == "paused" else "active"
    lines = [f"**Weekly check-in** ({state}): 🔥 {_weeks(status.streak)}"]
    if status.status != "paused" and status.next_at is not None:
        lines.append(f"Next: {timefmt.moment(status.next_at, tz, now)}")
    if status.weeks:
        lines.append(streaks.squares(status.weeks))
    return Reply("\n".join(lines))


def setup_form(status: Status | None, *, role_default: str = "") -> Form:
    """The setup form: the same fields as `/checkin setup`'s options."""
    when = ""
    if status is not None:
        when = describe_rule(status.rule).removeprefix("every ")
    return Form(
        SETUP_FORM,
        "Weekly check-in",
        (
            FormInput("when", "Day and time (your zone)", placeholder="monday 9am", default=when),
            FormInput(
                "goal",
                "Your goal (optional)",
                placeholder="deploy a model behind an API by March",
                default=status.goal if status else "",
                required=False,
                max_length=300,
            ),
            FormInput(
                "role",
                "Target role (your role-fit result)" if role_default else "Target role (optional)",
                placeholder=ROLE_NOTE,
                default=(status.target_role if status else "") or role_default,
                required=False,
                max_length=100,
            ),
            FormInput(
                "share",
                "Share updates in the team channel?",
                kind="choice",
                default="yes" if status and status.share else "no",
                choices=(
                    Choice("Yes, share my streak and plan", "yes"),
                    Choice("No, keep them private (only counted)", "no"),
                ),
            ),
            FormInput(
                "quiet",
                "Quiet hours, no nudges (local)",
                default=quiet_text(status.quiet_start, status.quiet_end)
                if status
                else "22:00-08:00",
                max_length=20,
            ),
        ),
        submit_label="Save",
    )


def saved(status: Status, *, tz: tzinfo, now: datetime, first: bool) -> Reply:
    head = "✅ Weekly check-in set" if first else "✅ Check-in updated"
    lines = [f"{head}: {describe_rule(status.rule)} ({tz})."]
    if status.next_at is not None:
        lines.append(f"First prompt: {timefmt.moment(status.next_at, tz, now)}.")
    if status.goal:
        lines.append(f"🎯 {markup.escape(status.goal)}")
    lines.append(
        "Your streak and plan will show in the weekly team digest."
        if status.share
        else "Your answers stay private (the team digest only counts them)."
    )
    return Reply("\n".join(lines))


def prompt(week_id: int, checkin_id: int, *, goal: str, streak: int, nudge: bool = False) -> Reply:
    """The weekly DM (or its one nudge) with Answer, Skip this week and Pause."""
    if nudge:
        head = "⏰ Your weekly check-in is still waiting: two minutes, then it's done."
    else:
        head = "🗓 **Weekly check-in**: how did this week go?"
    lines = [head]
    if goal:
        lines.append(f"🎯 Goal: {markup.escape(goal)}")
    if streak:
        lines.append(f"🔥 Streak: {_weeks(streak)}. Answer (or skip with a reason) to keep it.")
    row = (
        Button("Answer", "ck.answer", str(week_id), ButtonStyle.PRIMARY),
        Button("Skip this week", "ck.skip", str(week_id)),
        Button("Pause", "ck.pause", str(checkin_id)),
    )
    return Reply("\n".join(lines), buttons=(row,))


def warning(week_id: int, *, streak: int, closes: datetime, tz: tzinfo, now: datetime) -> Reply:
    """The day before a streak would break."""
    text = (
        f"⚠️ Your {_weeks(streak)} streak ends {timefmt.moment(closes, tz, now)} unless you "
        "answer this week's check-in (or skip it with a reason)."
    )
    row = (
        Button("Answer", "ck.answer", str(week_id), ButtonStyle.PRIMARY),
        Button("Skip this week", "ck.skip", str(week_id)),
    )
    return Reply(text, buttons=(row,))


def answer_form(
    content: CheckinContent, week: WeekView, typed: dict[str, str] | None = None
) -> Form:
    """The questions, holding the week's stored answers or what was just typed."""
    values = dict(week.answers)
    if typed is not None:
        values.update(typed)
    title = "Edit check-in" if week.status == streaks.ANSWERED else "Weekly check-in"
    return Form(
        ANSWER_FORM,
        title,
        tuple(question.form_input(values.get(question.id, "")) for question in content.questions),
        submit_label="Send",
        context=str(week.id),
    )


def skip_form(week_id: int) -> Form:
    return Form(
        SKIP_FORM,
        "Skip this week",
        (
            FormInput(
                "reason",
                "Why? (keeps your streak)",
                placeholder="holiday, exam week, ill",
                max_length=200,
            ),
        ),
        submit_label="Skip",
        context=str(week_id),
    )


def answered(week: WeekView, status: Status, *, edited: bool, has_blocker: bool) -> Reply:
    """After an answer: the streak, the 12 squares, the hours trend; Edit; blocker -> reminder."""
    head = "✅ Check-in updated." if edited else "✅ Check-in saved. Well done."
    lines = [head, *progress_lines(status)]
    row = [Button("Edit", "ck.answer", str(week.id))]
    if has_blocker:
        row.append(Button("Remind me about the blocker", "ck.blocker", str(week.id)))
    return Reply("\n".join(lines), buttons=(tuple(row),))


def skipped(status: Status) -> Reply:
    return Reply("\n".join(["🟨 Skipped this week; your streak is kept.", *progress_lines(status)]))


def history(page: Page[WeekView], content: CheckinContent, *, tz: tzinfo) -> Reply:
    """`/checkin history`: past answers, a few a page."""
    if not page.total:
        return Reply("No answered check-ins yet. Your first prompt will ask you.")
    lines = [f"**Your check-ins** ({page.total}, page {page.page} of {page.pages})"]
    for week in page.items:
        day = week.occurrence.astimezone(tz).strftime("%a %d %b %Y")
        if week.status == streaks.SKIPPED:
            reason = markup.escape(week.skip_reason or "no reason given")
            lines.append(f"🟨 **{day}**: skipped ({reason})")
            continue
        lines.append(f"🟩 **{day}**")
        for question in content.questions:
            value = week.answers.get(question.id, "")
            if value:
                text = markup.escape(markup.truncate(value, 300))
                lines.append(f"  {markup.escape(question.label)} {text}")
    return Reply("\n".join(lines), buttons=paging.buttons(page, "ck.history"))


def field_problem(errors: Sequence[tuple[str, str]], week_id: int, token: str) -> Reply:
    """A bad value: named on its field; "Fix it" reopens the form with everything typed."""
    text = "⚠️ " + " ".join(message for _, message in errors)
    return Reply(
        text + " Press **Fix it**: your other answers are kept.",
        buttons=((Button("Fix it", "ck.fix", token, ButtonStyle.PRIMARY),),),
        field_errors=tuple(errors),
    )
