"""How a repeat rule reads in English: "every Monday at 09:00", "every month on the last day".

The one renderer of RRULEs: the parser's `understood` text, the reminder confirmation, the
list and the autocomplete preview all call `describe_rule`, so a repeat reads the same everywhere.
It reads the rule string rather than the parser's internals, so a stored rule (or one a later
feature builds) is described exactly like a freshly parsed one. It never raises: a rule it does not
recognise reads "regularly".
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product
from typing import Final

from bot.time.recurrence import rule_parts

__all__ = ["MONTH_NAMES", "WEEKDAY_NAMES", "describe_rule", "ordinal"]

# fmt: off
WEEKDAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                        "Sunday")
MONTH_NAMES: Final = ("January", "February", "March", "April", "May", "June", "July",
                      "August", "September", "October", "November", "December")
# fmt: on
_DAY_CODES: Final = {name[:2].upper(): name for name in WEEKDAY_NAMES}  # MO -> Monday
_NTH_WORDS: Final = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS: Final = {
    "YEARLY": "year",
    "MONTHLY": "month",
    "WEEKLY": "week",
    "DAILY": "day",
    "HOURLY": "hour",
    "MINUTELY": "minute",
    "SECONDLY": "second",
}
# day groups: (after "every", after "on")
_GROUPS: Final = {("MO", "TU", "WE", "TH", "FR"): ("weekday", "weekdays"),
                  ("SA", "SU"): ("weekend day", "weekends")}  # fmt: skip
_FALLBACK = "regularly"


def ordinal(n: int) -> str:
    """1 -> "1st", 22 -> "22nd", 13 -> "13th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@lru_cache(maxsize=1024)
def describe_rule(rule: str) -> str:
    """`FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0` -> "every Monday at 09:00"."""
    try:
        return _describe(rule_parts(rule))
    except (ValueError, KeyError, IndexError):
        return _FALLBACK


def _describe(parts: dict[str, str]) -> str:
    unit = _UNITS.get(parts.get("FREQ", ""))
    if unit is None:
        return _FALLBACK
    interval = int(parts.get("INTERVAL", "1"))
    every = _every(unit, interval)
    days = tuple(d for d in parts.get("BYDAY", "").split(",") if d)
    month_days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    # the parser's clamp: "the 31st" is BYMONTHDAY=28,...,31 with BYSETPOS=-1
    clamped = parts.get("BYSETPOS") == "-1" and len(month_days) > 1 and month_days[0] == 28
    if days and all(d in _DAY_CODES for d in days):
        what = _weekly(days, unit, interval)
    elif days or month_days:
        if unit == "year" and "BYMONTH" in parts and month_days and not days:
            months = [MONTH_NAMES[int(m) - 1] for m in parts["BYMONTH"].split(",")]
            on = _and([f"{d} {m}" for m in months for d in month_days])
        elif days:
            on = _nth_weekdays(days)
        else:
            on = f"the {ordinal(month_days[-1])}" if clamped else _month_days(month_days)
        what = f"{every} on {on}"
    else:
        what = every
    return what + (" or its last day" if clamped else "") + _at(parts)


def _every(unit: str, n: int) -> str:
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _weekly(days: tuple[str, ...], unit: str, interval: int) -> str:
    """Named days: "every Monday and Thursday", "every weekday", "every 3 weeks on Monday"."""
    order = sorted(set(days), key=list(_DAY_CODES).index)
    group = _GROUPS.get(tuple(order))
    names = _and([_DAY_CODES[d] for d in order])
    if unit in ("week", "day") and interval == 1:
        return f"every {group[0] if group else names}"
    if unit == "week" and interval == 2 and group is None:
        return f"every other {names}"
    return f"{_every(unit, interval)} on {group[1] if group else names}"


def _nth_weekdays(days: tuple[str, ...]) -> str:
    """`1MO` -> "the first Monday", `-1FR` -> "the last Friday"."""
    return _and([f"the {_NTH_WORDS[int(d[:-2] or 1)]} {_DAY_CODES[d[-2:]]}" for d in days])


def _month_days(days: list[int]) -> str:
    """`15` -> "the 15th", `-1` -> "the last day"."""
    words = [
        ordinal(d) if d > 0 else "last day" if d == -1 else f"{ordinal(-d)} to last day"
        for d in days
    ]
    return "the " + _and(words)


def _at(parts: dict[str, str]) -> str:
    """The time of day, `" at 09:00"` (seconds only when set); empty when the rule has none."""
    if "BYHOUR" not in parts:
        return ""
    hours, minutes, seconds = (
        [int(v) for v in parts.get(key, "0").split(",") if v] or [0]
        for key in ("BYHOUR", "BYMINUTE", "BYSECOND")
    )
    times = sorted(product(hours, minutes, seconds))
    clocks = [f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "") for h, m, s in times]
    return " at " + _and(clocks)
