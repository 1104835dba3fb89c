"""Natural-language reminder times: "in 5 days check the thread", "every monday 9am standup".

Pure and fast (no I/O, no dateparser): one precompiled regex finds time "atoms" (durations, clock
times, dates, weekdays, repeat phrases); the atoms touching the start and/or end of the text form
the time expression and the rest is the message. Rules are documented in docs/time-phrases.md.

The package follows the steps of a parse: `vocabulary` (words and regex fragments), `atoms`
(find the time expression in the text), `spec` (fold each atom into one `Spec`), `resolve` (a
one-off time against `now`) and `repeat` (a repeat rule and its first firing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

from bot.time.describe import MONTH_NAMES
from bot.time.recurrence import localize
from bot.time.timeparse.atoms import split_phrase, vague_edge
from bot.time.timeparse.repeat import resolve_repeat
from bot.time.timeparse.resolve import Ctx, add_calendar, resolve_once
from bot.time.timeparse.spec import (
    Reason,
    Spec,
    TimeParseError,
    apply,
    fail,
    finish,
    too_far_message,
)
from bot.time.timeparse.vocabulary import EXAMPLE, FLAGS, WD_SHORT

__all__ = ["ParsedWhen", "Reason", "TimeParseError", "contains_time", "parse_when"]


@dataclass(frozen=True)
class ParsedWhen:
    """What a reminder phrase means: first firing, optional repeat rule, and the message."""

    at: datetime
    rule: str | None
    message: str
    understood: str
    note: str = ""  # something the member should know, e.g. a time a DST change skips


_BARE_NUMBER_RE: Final = re.compile(r"[\s.!?]*[+-]?\d+(?:[.,]\d+)?[\s.!?]*", FLAGS)


def contains_time(text: str) -> bool:
    """True if the text has something that looks like a time expression at its start or end."""
    return bool(split_phrase(text).options)


def parse_when(
    text: str, *, now: datetime, tz: tzinfo, max_ahead_days: int = 5 * 365 + 1
) -> ParsedWhen:
    """Parse a reminder phrase into its first firing (strictly after `now`), rule and message.

    Wall-clock times are read in `tz` unless the phrase names a zone; a naive `now` is taken as
    wall time in `tz`. Raises TimeParseError (invalid / past / too_far / ambiguous) whose
    message is friendly and shows a phrase that works.
    """
    aware_now = now if now.tzinfo is not None else now.replace(tzinfo=tz)
    found = split_phrase(text)
    if not found.options:
        raise _no_time(text)
    error: TimeParseError | None = None
    for atoms, message in found.options:
        try:
            return _interpret(atoms, message, found.repeat, aware_now, tz, max_ahead_days)
        except TimeParseError as exc:
            if exc.reason == "ambiguous" and exc.hour is not None:
                raise _am_or_pm(text, atoms, exc.hour) from exc
            if exc.reason != "invalid" or len(found.options) == 1:
                raise
            error = error or exc
    assert error is not None
    raise error


def _interpret(
    atoms: list[re.Match[str]],
    message: str,
    repeat: bool,
    now: datetime,
    tz: tzinfo,
    max_ahead_days: int,
) -> ParsedWhen:
    spec = Spec()
    for atom in atoms:
        apply(spec, atom, repeat)
    finish(spec)
    if spec.past is not None:
        raise fail(
            "past",
            f"{spec.past[:1].upper()}{spec.past[1:]}; reminders need a future "
            "time. Try `in 5 days` or `tomorrow at 9am`.",
        )
    if repeat and spec.freq is None:
        raise fail(
            "invalid",
            "RemindMeRepeat! needs a repeat like `every monday` or `RemindMeRepeat! 1 week`.",
        )
    zone = spec.zone or tz
    utc_now = now.astimezone(UTC)
    ctx = Ctx(
        utc_now,
        zone,
        now.astimezone(zone).replace(tzinfo=None),
        max_ahead_days,
    )
    try:
        if spec.freq is not None:
            at, rule, understood = resolve_repeat(spec, ctx, tz)
        else:
            (at, understood), rule = resolve_once(spec, ctx), None
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, TimeParseError):
            raise
        raise fail("too_far", too_far_message(max_ahead_days)) from exc
    if at <= utc_now:
        raise fail("past", f"That time has already passed. {EXAMPLE}")
    # the exact limit costs a few microseconds: only work it out near it (never below 365/366)
    near = timedelta(days=max_ahead_days * 365 // 366 - 1)
    if at - utc_now > near and at > _limit(now, tz, max_ahead_days):
        raise fail("too_far", too_far_message(max_ahead_days))
    return ParsedWhen(at, rule, message, understood, _skipped_note(at, ctx))


def _limit(now: datetime, tz: tzinfo, max_ahead_days: int) -> datetime:
    """The latest allowed moment: whole years are calendar years in the member's zone.

    A limit of a whole number of years give or take leap days (the default, 5 * 365 + 1) means
    that many calendar years from now's wall time, so two leap days in between never shorten it;
    any other limit is that many days.
    """
    years = round(max_ahead_days / 365.2425)
    if years and years * 365 <= max_ahead_days <= years * 366:
        local = now.astimezone(tz).replace(tzinfo=None)
        return localize(add_calendar(local, [years, 0, 0, 0]), tz)
    return now + timedelta(days=max_ahead_days)


def _skipped_note(at: datetime, ctx: Ctx) -> str:
    """Say so when the wall time asked for doesn't exist that day (clocks go forward)."""
    if ctx.wanted is None:
        return ""
    local = at if at.tzinfo is ctx.zone else at.astimezone(ctx.zone)
    if (local.hour, local.minute, local.second) == ctx.wanted:
        return ""
    hour, minute, _ = ctx.wanted
    day = f"{WD_SHORT[local.weekday()]} {local.day} {MONTH_NAMES[local.month - 1][:3]}"
    return (
        f"{hour:02d}:{minute:02d} doesn't exist on {day} (the clocks go forward), "
        f"so it's set for {local:%H:%M}."
    )


def _am_or_pm(text: str, atoms: list[re.Match[str]], hour: int) -> TimeParseError:
    """`at 8` could be morning or evening: offer both, the likelier first, in their words."""
    bare = next(a for a in atoms if a.lastgroup == "bare")
    first, second = ("am", "pm") if 7 <= hour <= 11 else ("pm", "am")
    shown = text.strip() if len(text.strip()) <= 60 else bare.group(0).strip()

    def fixed(half: str) -> str:
        return shown.replace(bare.group(0).strip(), f"at {hour}{half}", 1)

    names = {"am": " (midnight)", "pm": " (noon)"} if hour == 12 else {"am": "", "pm": ""}
    return fail(
        "ambiguous",
        f"Did you mean {hour}{first}{names[first]} or {hour}{second}{names[second]}? "
        f"Try `{fixed(first)}` or `{fixed(second)}`.",
    )


def _no_time(text: str) -> TimeParseError:
    if _BARE_NUMBER_RE.fullmatch(text):
        return fail(
            "invalid", "A number on its own isn't a time. Try `in 5 minutes`, `at 17:00` or `5pm`."
        )
    if vague_edge(text):
        return fail(
            "ambiguous",
            "That's a bit vague for me. Give me a time like `in 30 minutes` or `tomorrow at 9am`.",
        )
    return fail("invalid", f"I couldn't find a time in that. {EXAMPLE}")
