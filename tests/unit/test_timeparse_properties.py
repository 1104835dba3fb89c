"""Property tests: whatever the text, parse_when returns a future time or a TimeParseError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.time.recurrence import next_occurrence, validate_rule
from bot.time.timeparse import ParsedWhen, TimeParseError, contains_time, parse_when
from bot.time.timeparse.atoms import clean_spaces
from bot.time.zones import get_zone

ZONES = [
    get_zone(name)
    for name in (
        "Europe/Berlin",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "UTC",
        "Pacific/Kiritimati",
    )
]

# Every minute from 2026 to 2030, so DST switch days (and their skipped/repeated hours) come up.
nows = st.builds(
    lambda minutes: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes),
    st.integers(0, 5 * 366 * 24 * 60),
)

TOKENS = [
    "in",
    "at",
    "on",
    "every",
    "each",
    "other",
    "next",
    "this",
    "last",
    "the",
    "of",
    "and",
    "to",
    "remind me",
    "me",
    "RemindMe!",
    "!remindme",
    "RemindMeRepeat!",
    "tomorrow",
    "today",
    "tonight",
    "yesterday",
    "noon",
    "midnight",
    "eod",
    "morning",
    "evening",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "hour",
    "hours",
    "minute",
    "minutes",
    "seconds",
    "h",
    "m",
    "d",
    "w",
    "y",
    "mo",
    "wk",
    "hr",
    "mins",
    "monday",
    "fri",
    "sat",
    "weekday",
    "weekend",
    "nov",
    "march",
    "feb",
    "1st",
    "31st",
    "15th",
    "first",
    "ago",
    "from now",
    "half an hour",
    "a",
    "an",
    "a few",
    "soon",
    "later",
    "daily",
    "weekly",
    "monthly",
    "yearly",
    "hourly",
    "am",
    "pm",
    "9am",
    "5pm",
    "12am",
    "17:00",
    "25:00",
    "2:30",
    "at 16",
    "at 5",
    "UTC",
    "PST",
    "IST",
    "UTC+2",
    "+05:30",
    "Europe/Berlin",
    "Mars/Olympus",
    "2026-12-01",
    "2027-03-28 02:30",
    "2026-12-01T09:00:00+02:00",
    "05/06/2027",
    "25/12",
    "12.05.2027",
    "24.12.",
    "-",
    "-5",
    "0",
    "1",
    "2",
    "5",
    "12",
    "13",
    "29",
    "31",
    "99",
    "1.5",
    "99999999999999",
    "2h30m",
    ":",
    ",",
    ".",
    "!",
    "?",
    '"',
    "\u201c",
    "\u201d",
    "[",
    "]",
    "check the thread",
    "call mom",
    "<@123>",
    "\U0001f389",
    "  ",
]
grammar_text = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8).map(" ".join)
any_text = st.one_of(st.text(max_size=60), grammar_text)


def _check(text: str, now: datetime, tz_index: int, max_days: int) -> ParsedWhen | None:
    tz = ZONES[tz_index]
    try:
        result = parse_when(text, now=now, tz=tz, max_ahead_days=max_days)
    except TimeParseError as exc:
        assert exc.reason in ("invalid", "past", "too_far", "ambiguous")
        assert exc.message
        return None
    assert result.at.tzinfo is not None
    assert now < result.at <= _horizon(now, tz, max_days)
    assert result.message == result.message.strip()
    assert result.message in clean_spaces(text)
    assert result.understood
    if result.rule is not None:
        validate_rule(result.rule)
        zone = result.at.tzinfo
        later = next_occurrence(result.rule, first=result.at, after=result.at, tz=zone)
        assert later is None or later > result.at
    return result


def _horizon(now: datetime, tz: tzinfo, max_days: int) -> datetime:
    """The latest allowed firing: a whole number of years is counted in the member's calendar."""
    years = round(max_days / 365.2425)
    if not (years and years * 365 <= max_days <= years * 366):
        return now + timedelta(days=max_days)
    local = now.astimezone(tz)
    day = 28 if (local.month, local.day) == (2, 29) else local.day
    later = local.replace(year=local.year + years, day=day, tzinfo=None)
    return (later.replace(tzinfo=tz) + timedelta(hours=3)).astimezone(UTC)  # DST slack


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, now=nows, tz_index=st.integers(0, len(ZONES) - 1))
def test_never_crashes_on_any_text(text: str, now: datetime, tz_index: int) -> None:
    _check(text, now, tz_index, 5 * 365 + 1)
    contains_time(text)


@settings(max_examples=500, deadline=None)
@given(
    text=grammar_text,
    now=nows,
    tz_index=st.integers(0, len(ZONES) - 1),
    max_days=st.sampled_from([1, 30, 365, 5 * 365 + 1]),
)
def test_results_respect_the_horizon(
    text: str, now: datetime, tz_index: int, max_days: int
) -> None:
    _check(text, now, tz_index, max_days)


@settings(max_examples=300, deadline=None)
@given(
    amount=st.integers(1, 500),
    unit=st.sampled_from(["minutes", "hours", "days", "weeks"]),
    now=nows,
    tz_index=st.integers(0, len(ZONES) - 1),
)
def test_durations_are_exact_or_keep_wall_clock(
    amount: int, unit: str, now: datetime, tz_index: int
) -> None:
    tz = ZONES[tz_index]
    try:
        result = parse_when(f"in {amount} {unit}", now=now, tz=tz)
    except TimeParseError as exc:
        assert exc.reason == "too_far"
        return
    if unit in ("minutes", "hours"):
        assert result.at - now == timedelta(**{unit: amount})
    else:
        local_now = now.astimezone(tz)
        days = amount * (7 if unit == "weeks" else 1)
        assert result.at.date() == local_now.date() + timedelta(days=days)


@settings(max_examples=200, deadline=None)
@given(
    now=nows,
    tz_index=st.integers(0, len(ZONES) - 1),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_bare_clock_is_the_next_occurrence(
    now: datetime, tz_index: int, hour: int, minute: int
) -> None:
    tz = ZONES[tz_index]
    result = parse_when(f"at {hour:02d}:{minute:02d}", now=now, tz=tz)
    assert now < result.at <= now + timedelta(days=1, hours=1)
