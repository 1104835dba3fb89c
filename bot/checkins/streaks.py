"""Streak rules and the text pictures of progress (no images, so every platform shows them).

A streak is the number of weeks answered in a row, counted back from the newest closed week: an
announced skip keeps it (and adds nothing), a silent miss breaks it. The week still open (its
prompt sent, its answer not yet due) neither counts nor breaks; an open week that is not the
newest was missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

ANSWERED, SKIPPED, MISSED, OPEN = "answered", "skipped", "missed", "open"
SQUARES = {ANSWERED: "🟩", SKIPPED: "🟨", MISSED: "🟥", OPEN: "⬜"}
LEGEND = "🟩 answered · 🟨 skipped · 🟥 missed · ⬜ open"
BARS = "▁▂▃▄▅▆▇█"
WEEKS_SHOWN = 12


@dataclass(frozen=True)
class WeekMark:
    """One week as the streak rules see it."""

    occurrence: datetime
    status: str
    hours: float | None = None


def settled(weeks: Sequence[WeekMark]) -> list[str]:
    """Each week's status, oldest first, with open weeks before the newest read as missed."""
    ordered = sorted(weeks, key=lambda week: week.occurrence)
    last = len(ordered) - 1
    return [
        MISSED if week.status == OPEN and index < last else week.status
        for index, week in enumerate(ordered)
    ]


def streak(weeks: Sequence[WeekMark]) -> int:
    """Consecutive answered weeks back from the newest (skips keep it, misses end it)."""
    count = 0
    statuses = settled(weeks)
    if statuses and statuses[-1] == OPEN:
        statuses = statuses[:-1]
    for status in reversed(statuses):
        if status == MISSED:
            break
        if status == ANSWERED:
            count += 1
    return count


def squares(weeks: Sequence[WeekMark], shown: int = WEEKS_SHOWN) -> str:
    """The last `shown` weeks as coloured squares, oldest first."""
    return "".join(SQUARES.get(status, "⬜") for status in settled(weeks)[-shown:])


def hours_trend(weeks: Sequence[WeekMark], shown: int = WEEKS_SHOWN) -> str:
    """A sparkline of hours over the last weeks answered with hours, and the latest and mean."""
    ordered = sorted(weeks, key=lambda week: week.occurrence)[-shown:]
    hours = [week.hours for week in ordered if week.hours is not None]
    if not hours:
        return ""
    top = max(hours) or 1.0
    line = "".join(BARS[min(len(BARS) - 1, int(value / top * (len(BARS) - 1)))] for value in hours)
    mean = sum(hours) / len(hours)
    return f"{line}  latest {_h(hours[-1])}, average {_h(mean)} a week"


def _h(value: float) -> str:
    return f"{value:g} h" if value == int(value) else f"{value:.1f} h"


def median(values: Sequence[int]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
