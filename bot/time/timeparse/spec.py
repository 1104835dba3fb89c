"""Fold the matched atoms of one phrase into a `Spec`, refusing combinations that contradict."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Literal

from bot.time.describe import MONTH_NAMES
from bot.time.timeparse.vocabulary import (
    EXACT_SECONDS,
    MAX_DIGITS,
    NUMBER_WORDS,
    ORDINALS,
    PART_RE,
    WS_RE,
    day_list,
    month_number,
    unit_name,
    weekday_number,
    weekday_plural,
)
from bot.time.zones import BadOffset, UnknownZone, zone_in_phrase

Reason = Literal["invalid", "past", "too_far", "ambiguous"]


class TimeParseError(ValueError):
    """A phrase we can't turn into a future time; `message` is friendly and shows an example."""

    def __init__(self, reason: Reason, message: str, *, hour: int | None = None) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message
        self.hour = hour  # set for "at 5": am or pm?


@dataclass(slots=True)
class Spec:
    """Everything the atoms of one time expression said, before resolving it against `now`."""

    date_kind: str | None = None  # rel | wd | date | od | nth | lastday | eop
    date_text: str = ""
    rel_days: int = 0
    weekday: int = 0
    year: int | None = None
    month: int = 0
    day: int = 0
    nth: int = 0
    has_dur: bool = False
    cal: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # years, months, weeks, days
    exact: float = 0.0
    dur_parts: list[tuple[float, str]] = field(default_factory=list)
    clock: tuple[int, int, int] | None = None
    clock_text: str = ""
    named: str | None = None
    bare_hour: int | None = None
    pin_today: bool = False
    zone: tzinfo | None = None
    zone_label: str = ""
    freq: str | None = None
    interval: int = 1
    exact_every: int = 0  # seconds, for "every N hours"
    byday: tuple[int, ...] = ()
    rec_text: str = ""
    monthly_day: bool = False  # a recurring od/ld/nth date pattern
    yearly_date: bool = False
    past: str | None = None
    vague: bool = False
    period: str = ""  # eop: w | m | q | y
    check_weekday: int | None = None  # "Friday, 4 December 2026": the date must be a Friday
    check_text: str = ""


def fail(reason: Reason, message: str) -> TimeParseError:
    return TimeParseError(reason, message)


def conflict(spec: Spec, text: str) -> TimeParseError:
    first = spec.date_text or "another date"
    return fail(
        "invalid",
        f"I found two dates in that (`{first}` and `{text}`). "
        "Give me just one, like `friday at 5pm` or `in 3 days`.",
    )


def _set_date(spec: Spec, kind: str, text: str) -> None:
    if kind == "date" and spec.date_kind == "wd" and spec.check_weekday is None:
        # a written date with its weekday: the weekday only checks the date
        spec.check_weekday, spec.check_text = spec.weekday, spec.date_text
        spec.date_kind = None
    if spec.date_kind is not None or spec.has_dur:
        raise conflict(spec, text)
    spec.date_kind, spec.date_text = kind, text


def _set_freq(spec: Spec, freq: str, interval: int, text: str) -> None:
    if spec.freq is not None and (spec.freq, spec.interval) != (freq, interval):
        raise fail(
            "invalid",
            f"I found two different repeats (`{spec.rec_text}` and `{text}`). "
            "Try one, like `every monday at 9am`.",
        )
    spec.freq, spec.interval, spec.rec_text = freq, interval, spec.rec_text or text


def _number(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise fail("too_far", too_far_message())
    return int(text)


def too_far_message(days: int = 5 * 365 + 1) -> str:
    years = days // 365
    return (
        f"That's too far ahead: I can remind you up to {years} years from now. "
        "Try something closer, like `in 2 years` or `1 march 2028`."
    )


# --------------------------------------------------------------------------- atom handlers


def apply(spec: Spec, m: re.Match[str], repeat: bool) -> None:
    """Fold one matched atom into the spec (dispatch on the named alternative that matched)."""
    kind = m.lastgroup
    text = m.group(0)
    if kind == "iso":
        _apply_iso(spec, m, text)
    elif kind == "nd":
        _apply_numeric_date(spec, m, text)
    elif kind in ("rec", "rdays", "radv", "ryear", "rmday"):
        _apply_repeat(spec, m, kind, text)
    elif kind in ("nth", "nth2"):
        _apply_nth(spec, m, kind, text)
    elif kind == "ld":
        _set_date(spec, "lastday", text)
        if m.group("ldev") or (m.group("lds") or "").lower() in ("every", "each"):
            _set_freq(spec, "MONTHLY", 1, text)
            spec.monthly_day = True
    elif kind == "md":
        _apply_month_date(spec, m, text)
    elif kind == "od":
        _set_date(spec, "od", text)
        spec.day = int(m.group("odd"))
        if (m.group("ods") or "").lower() in ("every", "each"):
            _set_freq(spec, "MONTHLY", 1, text)
            spec.monthly_day = True
    elif kind == "dur":
        _apply_duration(spec, m, text, repeat)
    elif kind in ("clock", "compact"):
        _apply_clock(spec, m, text)
    elif kind == "eop":
        _set_date(spec, "eop", text)
        spec.period = (m.group("eopa") or m.group("eopw")[0]).lower()
    elif kind == "bare":
        _apply_bare(spec, m, text)
    elif kind == "named":
        _apply_named(spec, m, text)
    elif kind == "rel":
        _apply_relative(spec, m, text)
    elif kind == "wd":
        _apply_weekday(spec, m, text)
    elif kind == "nu":
        _apply_next_unit(spec, m, text)
    elif kind == "vague":
        spec.vague = True


def finish(spec: Spec) -> None:
    """Settle facts that depend on atom order ("monthly on the 15th" vs "the 15th monthly")."""
    if spec.freq == "MONTHLY" and spec.date_kind in ("od", "lastday", "nth"):
        spec.monthly_day = True
    elif spec.freq == "YEARLY" and spec.date_kind == "date":
        spec.yearly_date = True
    elif spec.freq == "WEEKLY" and spec.date_kind == "wd" and not spec.byday:
        spec.byday, spec.date_kind = (spec.weekday,), None


def _apply_iso(spec: Spec, m: re.Match[str], text: str) -> None:
    _set_date(spec, "date", text)
    spec.year, spec.month, spec.day = int(m.group("iy")), int(m.group("imo")), int(m.group("id"))
    if m.group("ih") is not None:
        _set_clock(spec, int(m.group("ih")), int(m.group("imi")), int(m.group("is") or 0), text)
        if m.group("iz"):
            _set_zone(spec, m.group("iz"))


def _apply_numeric_date(spec: Spec, m: re.Match[str], text: str) -> None:
    _set_date(spec, "date", text)
    a = int(m.group("nda"))
    if m.group("ndb3") is not None:  # dotted: always day-first
        day, month, year_text = a, int(m.group("ndb3")), m.group("ndc3")
    elif m.group("ndb4") is not None:  # "24.12", "24-12": day-first, like the dotted form
        day, month, year_text = a, int(m.group("ndb4")), None
    else:
        b = int(m.group("ndb") or m.group("ndb2"))
        year_text = m.group("ndc") or m.group("ndc2")
        if a > 12:
            day, month = a, b
        elif b > 12 or a == b:
            day, month = b, a
        else:
            raise fail(
                "ambiguous",
                f"`{text}` could be {a} {MONTH_NAMES[b - 1]} or "
                f"{b} {MONTH_NAMES[a - 1]}. Write the month as a word, "
                f"like `{a} {MONTH_NAMES[b - 1][:3].lower()}`, "
                "or use `YYYY-MM-DD`.",
            )
    spec.day, spec.month = day, month
    if year_text is not None:
        spec.year = int(year_text) + (2000 if len(year_text) == 2 else 0)


def _apply_month_date(spec: Spec, m: re.Match[str], text: str) -> None:
    _set_date(spec, "date", text)
    spec.day = int(m.group("mdd1") or m.group("mdd2"))
    spec.month = month_number(m.group("mdm1") or m.group("mdm2"))
    if m.group("mdy"):
        spec.year = int(m.group("mdy"))
    if spec.freq == "YEARLY":
        spec.yearly_date = True


def _apply_repeat(spec: Spec, m: re.Match[str], kind: str, text: str) -> None:
    if kind == "rec":
        unit = unit_name(m.group("recu"))
        raw = "0.5" if m.group("rech") else m.group("recn") or ""
        if "." in raw:
            _every_fraction(spec, float(raw), unit, text)
            return
        count = 2 if m.group("reco") else _count(m.group("recn"))
        if count <= 0:
            raise fail("invalid", f"`{text}` never repeats. Try `every 2 days` or `every week`.")
        _set_every(spec, unit, count, text)
    elif kind == "radv":
        word = m.group("radv").lower()
        unit = {
            "hourly": "hours",
            "daily": "days",
            "weekly": "weeks",
            "fortnightly": "fortnights",
            "biweekly": "fortnights",
            "monthly": "months",
        }.get(word, "years")
        _set_every(spec, unit, 1, text)
    elif kind == "rdays":
        spec.byday = day_list(m.group("rdl"))
        _set_freq(spec, "WEEKLY", 2 if m.group("rdo") else 1, text)
    elif kind == "ryear":
        _set_freq(spec, "YEARLY", 1, "every year")
        spec.yearly_date = spec.date_kind == "date"
    else:  # rmday: "every 15th"
        _set_freq(spec, "MONTHLY", 1, "every month")
        spec.monthly_day = True


def _every_fraction(spec: Spec, value: float, unit: str, text: str) -> None:
    """`every 1.5 hours`: fractions are fine for exact units, converted to whole minutes."""
    if unit not in EXACT_SECONDS or unit == "seconds":
        raise fail(
            "invalid",
            "Repeats need whole numbers of days, weeks, months or years. Try `every 2 days`.",
        )
    _set_every(spec, "minutes", round(value * EXACT_SECONDS[unit] / 60), text)


def _count(text: str | None) -> int:
    if text is None:
        return 1
    low = WS_RE.sub(" ", text.lower())
    if low in NUMBER_WORDS:
        return NUMBER_WORDS[low]
    if "couple" in low:
        return 2
    return _number(text)


def _set_every(spec: Spec, unit: str, count: int, text: str) -> None:
    if unit in EXACT_SECONDS:
        seconds = count * EXACT_SECONDS[unit]
        if seconds < 3600:
            raise fail(
                "invalid",
                f"`{text}` is too often: reminders can repeat at most hourly. "
                "Try `every hour` or `every 2 hours`.",
            )
        spec.exact_every = seconds
        freq, interval = (
            ("HOURLY", seconds // 3600)
            if seconds % 3600 == 0
            else (("MINUTELY", seconds // 60) if seconds % 60 == 0 else ("SECONDLY", seconds))
        )
        _set_freq(spec, freq, interval, text)
        return
    freq, mult = {
        "days": ("DAILY", 1),
        "weeks": ("WEEKLY", 1),
        "fortnights": ("WEEKLY", 2),
        "months": ("MONTHLY", 1),
        "years": ("YEARLY", 1),
    }[unit]
    _set_freq(spec, freq, count * mult, text)
    if freq == "YEARLY" and spec.date_kind == "date":
        spec.yearly_date = True
    if freq == "MONTHLY" and spec.date_kind in ("od", "lastday", "nth"):
        spec.monthly_day = True


def _apply_nth(spec: Spec, m: re.Match[str], kind: str, text: str) -> None:
    _set_date(spec, "nth", text)
    two = kind == "nth2"
    spec.nth = ORDINALS[m.group("nthn2" if two else "nthn").lower()]
    spec.weekday = weekday_number(m.group("nthw2" if two else "nthw"))
    every = not two and (m.group("nthev") or m.group("nths").lower() in ("every", "each"))
    if every:
        _set_freq(spec, "MONTHLY", 1, text)
    if spec.freq == "MONTHLY":
        spec.monthly_day = True


def _apply_duration(spec: Spec, m: re.Match[str], text: str, repeat: bool) -> None:
    post = (m.group("durpost") or "").lower()
    start = m.start()
    negative = start > 0 and m.string[start - 1] == "-"
    if post in ("ago", "before", "earlier", "back"):
        spec.past = f"`{text}` is in the past"
        return
    if spec.has_dur or spec.date_kind is not None:
        raise conflict(spec, text)
    spec.has_dur = True
    spec.date_text = text
    for part in PART_RE.finditer(m.group("durbody")):
        negative = negative or part.group("neg") is not None
        _add_part(spec, part)
    if negative:
        raise fail("invalid", "Durations can't be negative. Try `in 5 days`.")
    if repeat and spec.freq is None:
        _repeat_from_duration(spec, text)


def _add_part(spec: Spec, part: re.Match[str]) -> None:
    unit = unit_name(part.group("unit") or part.group("wunit") or part.group("hunit"))
    if part.group("num") is not None:
        raw = part.group("num")
        whole = raw.split(".")[0]
        if len(whole) > MAX_DIGITS:
            raise fail("too_far", too_far_message())
        value = float(raw) if "." in raw else int(raw)
    elif part.group("half") is not None:
        value = 0.5
    else:
        value = _count(part.group("word"))
    if part.group("andhalf"):
        value += 0.5
    spec.dur_parts.append((value, unit))
    if unit in EXACT_SECONDS:
        spec.exact += value * EXACT_SECONDS[unit]
        return
    if isinstance(value, float) and not value.is_integer():
        raise fail(
            "invalid",
            "I can only use fractions of hours and minutes. "
            "Try `in 36 hours` instead of `in 1.5 days`.",
        )
    count = int(value)
    index = {"years": 0, "months": 1, "weeks": 2, "fortnights": 2, "days": 3}[unit]
    spec.cal[index] += count * (2 if unit == "fortnights" else 1)


def _repeat_from_duration(spec: Spec, text: str) -> None:
    """`RemindMeRepeat! 1 week` means every week: a single-unit duration becomes the repeat."""
    if len(spec.dur_parts) != 1:
        raise fail(
            "invalid",
            "RemindMeRepeat! needs a single repeat like `every monday` "
            "or `RemindMeRepeat! 1 week`.",
        )
    value, unit = spec.dur_parts[0]
    spec.has_dur, spec.cal, spec.exact, spec.dur_parts = False, [0, 0, 0, 0], 0.0, []
    spec.date_text = ""
    if not float(value).is_integer():
        _every_fraction(spec, value, unit, f"every {text}")
        return
    count = int(value)
    if count <= 0:
        raise fail("invalid", f"`{text}` never repeats. Try `every 2 days` or `every week`.")
    _set_every(spec, unit, count, f"every {text}")


def _set_clock(spec: Spec, hour: int, minute: int, second: int, text: str) -> None:
    if hour > 23 or minute > 59 or second > 59:
        raise fail("invalid", f"`{text.strip()}` isn't a time of day. Try `at 23:00` or `at 11pm`.")
    if spec.clock is not None:
        raise fail(
            "invalid",
            f"I found two times (`{spec.clock_text}` and `{text.strip()}`). "
            "Give me one, like `tomorrow at 9am`.",
        )
    spec.clock, spec.clock_text = (hour, minute, second), text.strip()


def _apply_clock(spec: Spec, m: re.Match[str], text: str) -> None:
    """`5pm`, `17:00`, and compact `at 930` (09:30, 24-hour like `9:30`) or `at 930pm`."""
    compact = m.lastgroup == "compact"
    hour = int(m.group("cch" if compact else "c12h") or m.group("c24h"))
    minute = int(m.group("ccm" if compact else "c12m") or m.group("c24m") or 0)
    half = m.group("ccap" if compact else "c12ap")
    if half is not None:
        if not 1 <= hour <= 12:
            raise fail(
                "invalid", f"`{text.strip()}` isn't a time of day. Try `at 11pm` or `at 23:00`."
            )
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    _set_clock(
        spec, hour, minute, 0 if compact else int(m.group("c12s") or m.group("c24s") or 0), text
    )
    if m.group("cz3" if compact else "cz1"):
        _set_zone(spec, m.group("cz3" if compact else "cz1"))


def _apply_bare(spec: Spec, m: re.Match[str], text: str) -> None:
    hour = int(m.group("bh"))
    if hour > 23:
        raise fail("invalid", f"`{text.strip()}` isn't a time of day. Try `at 23:00`.")
    if m.group("cz2"):
        _set_zone(spec, m.group("cz2"))
    if hour >= 13 or hour == 0:
        _set_clock(spec, hour, 0, 0, text)
    else:
        spec.bare_hour = hour
        spec.clock_text = text.strip()


def _apply_named(spec: Spec, m: re.Match[str], text: str) -> None:
    word = m.group("nw").lower().split()[0]
    if spec.named is not None:
        raise fail(
            "invalid",
            f"I found two times of day in that (`{text}`). Give me one, like `tomorrow at 9am`.",
        )
    spec.named = word
    pre = (m.group("npre") or "").lower()
    if word == "tonight" or (pre == "this" and word != "midnight"):
        spec.pin_today = True


def _apply_relative(spec: Spec, m: re.Match[str], text: str) -> None:
    word = m.group("relw").lower()
    if word == "yesterday":
        spec.past = "yesterday is in the past"
        return
    _set_date(spec, "rel", text)
    spec.rel_days = 0 if word == "today" else 2 if "after" in word else 1


def _apply_weekday(spec: Spec, m: re.Match[str], text: str) -> None:
    qualifier = WS_RE.sub(" ", (m.group("wdq") or "").lower())
    if qualifier in ("last", "past"):
        spec.past = f"`{text}` is in the past"
        return
    day = weekday_number(m.group("wdn"))
    if spec.freq == "WEEKLY" and not spec.byday:
        spec.byday = (day,)
        return
    if weekday_plural(m.group("wdn")) and qualifier in ("", "on"):
        spec.byday = (day,)
        _set_freq(spec, "WEEKLY", 1, text)
        return
    if spec.date_kind == "date" and spec.check_weekday is None:
        spec.check_weekday, spec.check_text = day, text  # "4 December 2026, Friday"
        return
    _set_date(spec, "wd", text)
    spec.weekday = day


def _apply_next_unit(spec: Spec, m: re.Match[str], text: str) -> None:
    if spec.has_dur or spec.date_kind is not None:
        raise conflict(spec, text)
    unit = m.group("nuu").lower()
    spec.has_dur, spec.date_text = True, text
    spec.cal[{"year": 0, "month": 1, "week": 2}[unit]] += 1
    spec.dur_parts.append((1, f"{unit}s"))


def _set_zone(spec: Spec, raw: str) -> None:
    try:
        spec.zone, spec.zone_label = zone_in_phrase(raw)
    except BadOffset as exc:
        raise fail("invalid", f"`{raw}` isn't a valid UTC offset. Try `9pm UTC+2`.") from exc
    except UnknownZone as exc:
        raise fail(
            "invalid",
            f"I don't know the time zone `{raw}`. Try `9pm UTC`, `9pm PST` or `9pm Europe/Berlin`.",
        ) from exc
