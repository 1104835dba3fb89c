"""How far away a reminder is reads as it was typed: no rounding 10 days to "1 week"."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.time import timefmt
from bot.time.zones import get_zone

BERLIN = get_zone("Europe/Berlin")
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=BERLIN)  # Monday


@pytest.mark.parametrize(
    ("later", "words"),
    [
        (timedelta(days=10), "in 10 days"),
        (timedelta(days=11), "in 11 days"),
        (timedelta(days=5), "in 5 days"),
        (timedelta(days=14), "in 2 weeks"),
        (timedelta(minutes=90), "in 1 hour 30 minutes"),
        (timedelta(hours=2), "in 2 hours"),
        (timedelta(minutes=5), "in 5 minutes"),
        (timedelta(minutes=4, seconds=30), "in 4 minutes 30 seconds"),
        (timedelta(seconds=45), "in 45 seconds"),
        (timedelta(hours=19), "tomorrow"),  # tomorrow at 09:00, 19 hours away
        (timedelta(days=1, hours=2), "tomorrow"),
        (timedelta(days=32), "in 32 days"),
        (timedelta(0), "now"),
    ],
)
def test_relative_says_what_was_typed(later: timedelta, words: str) -> None:
    assert timefmt.relative(NOW + later, NOW, BERLIN) == words


def test_tomorrow_at_nine_from_ten_in_the_morning_is_tomorrow_not_a_day() -> None:
    now = NOW.replace(hour=10)
    assert timefmt.relative(datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN), now, BERLIN) == "tomorrow"


def test_late_at_night_a_few_hours_read_as_hours() -> None:
    now = NOW.replace(hour=23, minute=30)
    at = datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN)
    assert timefmt.relative(at, now, BERLIN) == "in 9 hours 30 minutes"


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (datetime(2027, 11, 23, 14, 0), "in 1 year"),
        (datetime(2031, 11, 23, 14, 0), "in 5 years"),
        (datetime(2027, 2, 23, 14, 0), "in 3 months"),
        (datetime(2027, 3, 5, 14, 0), "in 3 months 10 days"),
        (datetime(2032, 3, 1, 9, 0), "in about 5 years 3 months"),
    ],
)
def test_long_spans_count_calendar_months(at: datetime, words: str) -> None:
    assert timefmt.relative(at.replace(tzinfo=BERLIN), NOW, BERLIN) == words


def test_the_past_reads_backwards() -> None:
    assert timefmt.relative(NOW - timedelta(days=10), NOW, BERLIN) == "10 days ago"
    assert timefmt.relative(NOW - timedelta(hours=20), NOW, BERLIN) == "yesterday"
    assert timefmt.relative(NOW - timedelta(minutes=90), NOW, BERLIN) == "1 hour 30 minutes ago"


def test_days_are_counted_in_the_members_zone() -> None:
    tokyo = get_zone("Asia/Tokyo")  # 22:00 there: 09:00 tomorrow in Tokyo is 11 hours away
    at = datetime(2026, 11, 24, 9, 0, tzinfo=tokyo)
    assert timefmt.relative(at, NOW, tokyo) == "in 11 hours"
    assert timefmt.relative(NOW + timedelta(hours=20), NOW, tokyo) == "tomorrow"


def test_describe_uses_the_zone_for_the_relative_part() -> None:
    at = datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN)
    assert timefmt.describe(at, BERLIN, NOW) == "Tue 24 Nov 2026, 09:00 CET, tomorrow"
