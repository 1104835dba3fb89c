"""How times are shown to members: exact local time plus the relative time.

"Sat 28 Nov 2026, 14:00 CET, in 5 days". The markup form wraps it in a `moment` token so Discord
and Slack can show each viewer their own local time, with this text as the fallback.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot import markup


def local(at: datetime, tz: tzinfo) -> str:
    when = at.astimezone(tz)
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M} {when.tzname() or ''}".rstrip()


def relative(at: datetime, now: datetime) -> str:
    seconds = round((at - now).total_seconds())
    future = seconds >= 0
    seconds = abs(seconds)
    if seconds < 45:
        return "now" if seconds < 1 else (f"in {seconds} s" if future else f"{seconds} s ago")
    units = (
        ("year", 365 * 86400),
        ("month", 30 * 86400),
        ("week", 7 * 86400),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    )
    for name, size in units:
        if seconds >= size * 0.95:
            count = max(1, round(seconds / size))
            phrase = f"{count} {name}{'s' if count != 1 else ''}"
            return f"in {phrase}" if future else f"{phrase} ago"
    return "in 1 minute" if future else "1 minute ago"


def describe(at: datetime, tz: tzinfo, now: datetime) -> str:
    return f"{local(at, tz)}, {relative(at, now)}"


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
