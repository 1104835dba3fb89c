"""What a newcomer meets: the time at the start wins, hints in their own words, DST said aloud."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.time.timeparse import TimeParseError, parse_when
from bot.time.zones import get_zone
from tests.unit.timeparse_cases import CASES, Case

BERLIN = get_zone("Europe/Berlin")
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=BERLIN)
SPRING = datetime(2027, 3, 27, 14, 0, tzinfo=BERLIN)  # the night before 02:00 -> 03:00


def _parse(text: str, now: datetime = NOW) -> tuple[datetime, str | None, str, str]:
    result = parse_when(text, now=now, tz=BERLIN)
    return result.at, result.rule, result.message, result.note


@pytest.mark.parametrize(
    "phrase",
    [
        "tomorrow at 2:30",
        "tomorrow 02:30 water the plants",
        "2027-03-28 02:30",
        "every day at 2:30am",
    ],
)
def test_a_skipped_wall_time_is_said_in_the_note(phrase: str) -> None:
    at, _, _, note = _parse(phrase, SPRING)
    assert at == datetime(2027, 3, 28, 3, 30, tzinfo=BERLIN)
    assert "02:30" in note and "03:30" in note and "Sun 28 Mar" in note


def test_a_calendar_duration_landing_in_the_gap_is_said_too() -> None:
    at, _, _, note = _parse("in 1 day", datetime(2027, 3, 27, 2, 30, tzinfo=BERLIN))
    assert at == datetime(2027, 3, 28, 3, 30, tzinfo=BERLIN)
    assert "02:30 doesn't exist" in note


@pytest.mark.parametrize(
    "phrase",
    ["tomorrow at 3:30", "in 24 hours", "in 1 day", "tomorrow at 1:59", "every day at 9am"],
)
def test_times_that_exist_have_no_note(phrase: str) -> None:
    assert _parse(phrase, SPRING)[3] == ""


@pytest.mark.parametrize(
    ("phrase", "first", "second"),
    [
        ("every weekday at 8", "`every weekday at 8am`", "`every weekday at 8pm`"),
        ("at 3 call bob", "`at 3pm call bob`", "`at 3am call bob`"),
        ("tomorrow at 11", "`tomorrow at 11am`", "`tomorrow at 11pm`"),
        ("at 12", "`at 12pm`", "`at 12am`"),
    ],
)
def test_an_unclear_hour_offers_both_halves_of_the_day(
    phrase: str, first: str, second: str
) -> None:
    with pytest.raises(TimeParseError) as info:
        _parse(phrase)
    assert info.value.reason == "ambiguous"
    message = info.value.message
    assert first in message and second in message
    assert message.index(first) < message.index(second)  # the likelier half first


def test_noon_and_midnight_are_named_for_twelve() -> None:
    with pytest.raises(TimeParseError) as info:
        _parse("at 12")
    assert "12pm (noon)" in info.value.message and "12am (midnight)" in info.value.message


STARTS = [
    "in 2 hours",
    "tomorrow at 9am",
    "friday 5pm",
    "every monday 9am",
    "in 5 days",
    "28 nov at 3pm",
    "at 1730",
    "eom",
    "RemindMe! 2 weeks",
]
DAY_ONLY = {"eom"}  # a day without a time of day: a clock time ending the message joins it
# time-like words a message may hold, and the words it starts with
WORDS = [
    "tomorrow", "at", "10", "5pm", "friday", "in", "2", "days", "every", "weekly", "daily", "eod",
    "on", "the", "1st", "noon", "next", "week", "and", "9:30", "23.11", "2026-12-01", "!", ";--",
]  # fmt: skip
FIRST = ["call", "ask", "buy", "review", "ping", "standup:"]


@settings(max_examples=200, deadline=None)
@given(
    start=st.sampled_from(STARTS),
    first=st.sampled_from(FIRST),
    rest=st.lists(st.sampled_from(WORDS), max_size=8),
)
def test_everything_after_a_time_at_the_start_is_the_message(
    start: str, first: str, rest: list[str]
) -> None:
    message = " ".join([first, *rest])
    words = [word for word in rest if word != "!"]
    after_at = words[-2:-1] == ["at"] and re.fullmatch(r"[\d.:]+", words[-1]) is not None
    ends_with_clock = words[-1:] in (["5pm"], ["9:30"]) or after_at  # `at 10`, `at 23.11`
    assume(not (start in DAY_ONLY and ends_with_clock))  # the one exception: they combine
    alone = parse_when(start, now=NOW, tz=BERLIN)
    result = parse_when(f"{start} {message}", now=NOW, tz=BERLIN)
    assert (result.at, result.rule, result.message) == (alone.at, alone.rule, message)


SPACES = [
    "\u00a0",
    "\u2002",
    "\u2003",
    "\u2009",
    "\u202f",
    "\u3000",
    "\u205f",
    " \u200b",
    "\u2060 ",
]
WORKING = [c for c in CASES if c.at is not None and c.now == "2026-11-23T14:00" and " " in c.phrase]


@settings(max_examples=200, deadline=None)
@given(case=st.sampled_from(WORKING), space=st.sampled_from(SPACES))
def test_unicode_spaces_read_like_spaces(case: Case, space: str) -> None:
    phrase = case.phrase
    plain = parse_when(phrase, now=NOW, tz=BERLIN)
    fancy = parse_when(phrase.replace(" ", space), now=NOW, tz=BERLIN)
    assert (fancy.at, fancy.rule) == (plain.at, plain.rule)
    assert fancy.message.replace("\u200b", "").replace("\u2060", "") == fancy.message
    assert fancy.message.split() == plain.message.split()


@pytest.mark.parametrize(
    ("max_days", "ok", "too_far"),
    [
        (365, "in 1 year", "in 1 year 1 day"),  # 366 days from 1 March 2027: a leap day
        (5 * 365 + 1, "in 5 years", "in 5 years 1 day"),
        (30, "in 30 days", "in 31 days"),  # not whole years: days
    ],
)
def test_the_limit_is_whole_calendar_years_else_days(max_days: int, ok: str, too_far: str) -> None:
    now = datetime(2027, 3, 1, 10, 0, tzinfo=BERLIN)
    assert parse_when(ok, now=now, tz=BERLIN, max_ahead_days=max_days).at > now
    with pytest.raises(TimeParseError) as info:
        parse_when(too_far, now=now, tz=BERLIN, max_ahead_days=max_days)
    assert info.value.reason == "too_far"
