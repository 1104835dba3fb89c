"""Streak rules: answers count, an announced skip keeps the streak, a silent miss breaks it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins import streaks
from bot.checkins.streaks import WeekMark

MONDAY = datetime(2026, 9, 7, 9, tzinfo=UTC)


def weeks(*statuses: str, hours: float | None = None) -> list[WeekMark]:
    return [
        WeekMark(MONDAY + timedelta(weeks=n), status, hours) for n, status in enumerate(statuses)
    ]


def test_consecutive_answers_count() -> None:
    assert streaks.streak(weeks("answered", "answered", "answered")) == 3


def test_an_announced_skip_keeps_the_streak_without_adding() -> None:
    assert streaks.streak(weeks("answered", "skipped", "answered")) == 2


def test_a_silent_miss_breaks_it() -> None:
    assert streaks.streak(weeks("answered", "answered", "missed", "answered")) == 1


def test_the_open_week_neither_counts_nor_breaks() -> None:
    assert streaks.streak(weeks("answered", "answered", "open")) == 2


def test_an_open_week_that_is_not_the_newest_was_missed() -> None:
    assert streaks.streak(weeks("answered", "open", "answered")) == 1
    assert streaks.squares(weeks("answered", "open", "skipped", "open")) == "🟩🟥🟨⬜"


def test_squares_show_the_last_twelve_weeks() -> None:
    assert len(streaks.squares(weeks(*["answered"] * 20))) == 12


def test_hours_trend_is_a_sparkline_with_latest_and_average() -> None:
    marks = [WeekMark(MONDAY + timedelta(weeks=n), "answered", h) for n, h in enumerate((2, 4, 8))]
    assert streaks.hours_trend(marks) == "▂▄█  latest 8 h, average 4.7 h a week"
