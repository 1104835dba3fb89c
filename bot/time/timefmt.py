"""How times are shown to members: exact local time plus the relative time.

"Sat 28 Nov 2026, 14:00 CET, in 5 days". The markup form wraps it in a `moment` token so Discord
and Slack can show each viewer their own local time, with this text as the fallback.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, date, datetime, tzinfo

from bot import markup

_OFFSET_NAME_RE = re.compile(r"([+-])(\d{2})(\d{2})?")


def local(at: datetime, tz: tzinfo) -> str:
    when = at.astimezone(tz)
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M} {_zone_abbreviation(when)}".rstrip()


def _zone_abbreviation(when: datetime) -> str:
    """CET, PST...; a bare offset ("+02", "-0530") reads "UTC+2", "UTC-5:30"."""
    name = when.tzname() or ""
    m = _OFFSET_NAME_RE.fullmatch(name)
    if m is None:
        return name
    minutes = f":{m.group(3)}" if m.group(3) and m.group(3) != "00" else ""
    return f"UTC{m.group(1)}{int(m.group(2))}{minutes}"


def relative(at: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """How far away `at` is, as typed: "in 10 days", "in 1 hour 30 minutes", "tomorrow".

    Rounds only where it says so ("about"): exact minutes under a day, calendar days in `tz`
    (the member's zone) beyond, and months and years once they are whole or the span is long.
    """
    seconds = round((at - now).total_seconds())
    if abs(seconds) < 1:
        return "now"
    if abs(seconds) < 12 * 3600:
        return _span(_clock_span(abs(seconds)), seconds > 0)
    zone = tz or now.tzinfo or UTC
    earlier, later = sorted((at.astimezone(zone).date(), now.astimezone(zone).date()))
    days = (later - earlier).days
    if days == 0:
        return _span(_clock_span(abs(seconds)), seconds > 0)
    if days == 1:
        return "tomorrow" if seconds > 0 else "yesterday"
    return _span(_date_span(earlier, later), seconds > 0)


def _span(words: str, future: bool) -> str:
    return f"in {words}" if future else f"{words} ago"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _clock_span(seconds: int) -> str:
    """Under a day: "45 seconds", "4 minutes 30 seconds", "1 hour 30 minutes"."""
    if seconds < 60:
        return _plural(seconds, "second")
    if seconds < 300 and seconds % 60:
        return f"{_plural(seconds // 60, 'minute')} {_plural(seconds % 60, 'second')}"
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [_plural(hours, "hour")] if hours else []
    if minutes or not hours:
        parts.append(_plural(minutes, "minute"))
    return " ".join(parts)


def _date_span(earlier: date, later: date) -> str:
    """Between two days: "10 days", "2 weeks", "3 months", "about 1 year 2 months"."""
    days = (later - earlier).days
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    if months < 2:
        return _plural(days // 7, "week") if days % 7 == 0 else _plural(days, "day")
    year, month = divmod(earlier.month - 1 + months, 12)
    anchor_year = earlier.year + year
    anchor = date(anchor_year, month + 1, min(earlier.day, monthrange(anchor_year, month + 1)[1]))
    rest = (later - anchor).days
    years, months = divmod(months, 12)
    units = [(years, "year"), (months, "month"), (rest, "day")]
    shown = [(n, unit) for n, unit in units if n][:2]
    dropped = sum(1 for n, _ in units if n) > len(shown)
    return ("about " if dropped else "") + " ".join(_plural(n, unit) for n, unit in shown)


def describe(at: datetime, tz: tzinfo, now: datetime) -> str:
    return f"{local(at, tz)}, {relative(at, now, tz)}"


def moment(at: datetime, tz: tzinfo, now: datetime) -> str:
    """Markup for a time every platform can localise, falling back to the member's view."""
    return markup.moment(at, describe(at, tz, now))


def lateness(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds / 86400)} days"
