"""Benchmark the reminder time parser (and dateparser, if installed, for comparison).

Run from the repo root:  python bench/timeparse.py [--repeat N]

Prints median and p99 microseconds per phrase for `parse_when`; with dateparser importable it
also times `dateparser.parse` on the same phrases and reports how often its answer agrees with
ours (within one minute).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.time.timeparse import TimeParseError, parse_when  # noqa: E402
from bot.time.zones import get_zone  # noqa: E402

TZ = get_zone("Europe/Berlin")
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=TZ)

PHRASES = [
    # durations
    "in 5 days",
    "5 days",
    "in 5 days check the thread",
    "check the thread in 5 days",
    "in 2 hours",
    "in 30 minutes",
    "2h30m",
    "1d",
    "72hr",
    "1yr",
    "5mins",
    "1 wk",
    "in a week",
    "an hour",
    "half an hour",
    "in 1 day 2 hours",
    "in 1 week and 3 days",
    "in 3 months",
    'RemindMe! 2 weeks "check the thread"',
    "!remindme 3 days",
    "in 2 days at 9am",
    "remind me in 45 minutes to take the pizza out",
    "10 seconds",
    "in 1.5 hours",
    "next week",
    # clock times and named times
    "at 5pm",
    "5pm",
    "at 17:00",
    "9am",
    "at 9:30am",
    "noon",
    "midnight",
    "eod",
    "tonight",
    "tomorrow morning",
    "at 16",
    "12am",
    "tonight at 11",
    "at 14:30:15",
    "9pm UTC",
    "9pm PST",
    # days and dates
    "tomorrow",
    "tomorrow at 9am submit the form",
    "friday",
    "next friday 5pm demo",
    "remind me to call mom on friday at 5pm",
    "this friday",
    "on monday at noon",
    "day after tomorrow",
    "28 nov",
    "nov 28",
    "november 28th 2027",
    "28th of november",
    "on the 31st",
    "the 15th at 10am",
    "25/12",
    "12.05.2027",
    "2026-12-01",
    "2026-12-01 09:00",
    "2026-12-01T09:00:00+02:00",
    "Call Mom ON FRIDAY AT 5PM!!",
    "tomorrow call mom at 5pm",
    "[standup notes] tomorrow 9:15",
    "dec 24 at 18:00 presents",
    # repeats
    "every weekday at 9:30",
    "every monday",
    "every monday 9am standup",
    "every mon and thu at 18:00",
    "every 2 weeks",
    "every other wednesday",
    "every day at 2:30am",
    "daily",
    "weekly",
    "every hour",
    "every 3 hours",
    "every month on the 1st",
    "monthly on the 15th at 10am",
    "every first monday of the month",
    "on the last friday of every month",
    "every year on 1 march",
    "RemindMeRepeat! every monday",
    "every month on the 31st",
    # errors
    "soon",
    "later",
    "a few minutes",
    "some time",
    "yesterday",
    "5 days ago",
    "2020-01-01",
    "asdf qwer",
    "31 feb",
    "at 25:00",
    "in -5 days",
    "every 0 days",
    "every 30 minutes",
    "in 99999999999999 years",
    "05/06/2027",
    "5",
    "at 5",
    "remind me to call mom",
    "today at 9am",
]


def _ours(phrase: str) -> datetime | None:
    try:
        return parse_when(phrase, now=NOW, tz=TZ).at
    except TimeParseError:
        return None


def _time_each(fn: Callable[[str], object], phrases: list[str], repeat: int) -> list[float]:
    """Per-phrase median microseconds (each phrase timed `repeat` times)."""
    per_phrase: list[float] = []
    gc.disable()
    try:
        for phrase in phrases:
            fn(phrase)  # warm caches
            samples = []
            for _ in range(repeat):
                start = time.perf_counter_ns()
                fn(phrase)
                samples.append((time.perf_counter_ns() - start) / 1000)
            per_phrase.append(statistics.median(samples))
    finally:
        gc.enable()
    return per_phrase


def _comparable(ours: datetime, theirs: datetime) -> datetime:
    """Our aware result in the form dateparser used (naive local wall time, or aware)."""
    if theirs.tzinfo is not None:
        return ours
    return ours.astimezone(TZ).replace(tzinfo=None)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _report(label: str, timings: list[float]) -> tuple[float, float]:
    median, p99 = statistics.median(timings), _p99(timings)
    print(f"{label:<28} median {median:9.1f} us/phrase   p99 {p99:9.1f} us/phrase")
    return median, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per phrase")
    args = parser.parse_args()
    print(f"phrases: {len(PHRASES)}, runs per phrase: {args.repeat}, now: {NOW.isoformat()}")
    ours = _time_each(_ours, PHRASES, args.repeat)
    our_median, _ = _report("parse_when", ours)
    answered = sum(_ours(p) is not None for p in PHRASES)
    print(f"parse_when answered {answered}/{len(PHRASES)} phrases (the rest are errors)")
    try:
        import dateparser
    except ImportError:
        print("dateparser not installed: skipping the comparison")
        return
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": NOW.replace(tzinfo=None)}

    def theirs(phrase: str) -> datetime | None:
        result: datetime | None = dateparser.parse(phrase, languages=["en"], settings=settings)
        return result

    their_timings = _time_each(theirs, PHRASES, max(3, args.repeat // 20))
    their_median, _ = _report("dateparser.parse", their_timings)
    print(f"dateparser / parse_when median ratio: {their_median / our_median:.1f}x")
    agree = 0
    returned = 0
    for phrase in PHRASES:
        their = theirs(phrase)
        if their is None:
            continue
        returned += 1
        our = _ours(phrase)
        if our is not None and abs(_comparable(our, their) - their) <= timedelta(minutes=1):
            agree += 1
    print(
        f"dateparser returned a datetime for {returned}/{len(PHRASES)} phrases; "
        f"{agree}/{returned} ({100 * agree / max(returned, 1):.0f}%) match parse_when +-1 min"
    )


if __name__ == "__main__":
    main()
