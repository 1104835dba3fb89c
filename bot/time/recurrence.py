"""Next-occurrence computation for stored RRULEs, in the member's wall-clock time.

Rules are evaluated in naive local time so that "every Monday at 09:00" stays at 09:00 across DST
changes. Each naive candidate is then made aware with the same rules as the parser (`localize`):
a local time skipped by DST moves forward by the gap, a repeated one means its first occurrence.

Exception: sub-daily rules with no BY* parts ("every 3 hours") are evaluated in UTC, because the
parser treats hours as exact elapsed time; in local wall time they would drift by the DST gap.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import product

from dateutil.rrule import rrule, rrulestr

__all__ = ["localize", "next_occurrence", "rule_parts", "validate_rule"]

_MIN_GAP = 3600  # seconds: reminders repeat at most hourly
_SEARCH_BACK = timedelta(hours=27)  # covers any UTC offset change plus a DST gap
_MAX_CANDIDATES = 2000


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach `tz` to a wall-clock time: gaps move forward by the gap, repeats take fold=0.

    PEP 495 gives a skipped time with fold=0 the offset from before the transition; converting
    through UTC turns it into the real instant, i.e. the wall time shifted forward by the gap.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz)


def _as_aware(value: datetime) -> datetime:
    """Accept naive values as UTC, since storage keeps naive UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _split_until(rule: str) -> tuple[str, str | None]:
    """Remove UNTIL (parsed separately, because dateutil rejects a UTC UNTIL with naive DTSTART)."""
    parts = [p for p in rule.strip().removeprefix("RRULE:").split(";") if p]
    until = next((p.split("=", 1)[1] for p in parts if p.upper().startswith("UNTIL=")), None)
    rest = ";".join(p for p in parts if not p.upper().startswith("UNTIL="))
    return rest, until


def _parse_until(value: str, tz: tzinfo) -> datetime:
    """UNTIL as naive local wall time of `tz` (a trailing Z means UTC)."""
    fmt = "%Y%m%dT%H%M%S" if "T" in value.upper() else "%Y%m%d"
    stamp = datetime.strptime(value.upper().rstrip("Z"), fmt)
    if value.upper().endswith("Z"):
        return stamp.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
    return stamp if "T" in value.upper() else stamp.replace(hour=23, minute=59, second=59)


@lru_cache(maxsize=512)
def _build(rule: str, dtstart: datetime, tz: tzinfo | None) -> rrule:
    body, until = _split_until(rule)
    parsed = rrulestr(body, dtstart=dtstart)
    if not isinstance(parsed, rrule):  # pragma: no cover - rrulestr only returns sets on demand
        raise ValueError("expected a single RRULE")
    if until is not None:
        parsed = parsed.replace(until=_parse_until(until, tz or UTC))
    return parsed


def rule_parts(rule: str) -> dict[str, str]:
    """The rule's KEY=VALUE parts, upper-cased keys (what BY* parts the author actually wrote)."""
    parts = (p.split("=", 1) for p in rule.strip().removeprefix("RRULE:").split(";") if "=" in p)
    return {k.strip().upper(): v.strip().upper() for k, v in parts}


_BY_KEYS = (
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYEASTER",
)
_STEP = {"HOURLY": 3600, "MINUTELY": 60, "SECONDLY": 1}


def _utc_rule(parts: dict[str, str]) -> bool:
    """True for "every N hours"-style rules that must keep exact elapsed time."""
    return parts.get("FREQ") in _STEP and not any(k in parts for k in _BY_KEYS)


def next_occurrence(rule: str, *, first: datetime, after: datetime, tz: tzinfo) -> datetime | None:
    """The first occurrence of `rule` strictly after `after`, for a series that started at `first`.

    Evaluated in naive local wall time of `tz` (DTSTART = `first` in `tz`), each candidate made
    aware with `localize`. Returns an aware datetime in `tz`, or None if the series has ended.
    """
    first_aware, after_aware = _as_aware(first), _as_aware(after)
    local_first = first_aware.astimezone(tz).replace(tzinfo=None, microsecond=0)
    if "BYHOUR" in rule_parts(rule):
        # The rule names its own time of day, so the series start only anchors the date. Had the
        # member changed zone, `first` in the new zone may sit after that time on its first day
        # (set 09:00 UTC, now 10:00 in Berlin), which would skip a whole period.
        local_first = local_first.replace(hour=0, minute=0, second=0)
    rr = _build(rule, local_first, tz)
    if _utc_rule(rule_parts(rule)):
        utc_first = first_aware.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        utc_rr = _build(rule, utc_first, UTC)
        start = after_aware.astimezone(UTC).replace(tzinfo=None)
        found = utc_rr.after(start, inc=False)
        return None if found is None else found.replace(tzinfo=UTC).astimezone(tz)
    after_utc = after_aware.astimezone(UTC)
    start = after_aware.astimezone(tz).replace(tzinfo=None) - _SEARCH_BACK
    for count, candidate in enumerate(rr.xafter(start, inc=True)):
        aware = localize(candidate, tz)
        if aware > after_utc:
            return aware
        if count >= _MAX_CANDIDATES:
            break
    return None


def _ints(value: str | None) -> list[int]:
    return sorted(int(v) for v in value.split(",")) if value else []


def validate_rule(rule: str) -> None:
    """Raise ValueError if `rule` does not parse or could fire more often than hourly."""
    try:
        _build(rule, datetime(2026, 1, 1, 9, 0), UTC)
        parts = rule_parts(rule)
        interval = int(parts.get("INTERVAL", "1"))
        hours, minutes = _ints(parts.get("BYHOUR")), _ints(parts.get("BYMINUTE"))
        seconds = _ints(parts.get("BYSECOND"))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ValueError(f"not a valid repeat rule: {rule!r} ({exc})") from exc
    freq = parts.get("FREQ", "")
    if freq in _STEP:
        by_time = len(minutes) > 1 or len(seconds) > 1
        if _STEP[freq] * interval < _MIN_GAP or by_time or (freq != "HOURLY" and hours):
            raise ValueError("reminders can repeat at most hourly")
        return
    times = sorted(
        h * 3600 + m * 60 + s for h, m, s in product(hours or [0], minutes or [0], seconds or [0])
    )
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    if len(times) > 1 and freq == "DAILY" and interval == 1:
        gaps.append(times[0] + 86400 - times[-1])
    if any(gap < _MIN_GAP for gap in gaps):
        raise ValueError("reminders can repeat at most hourly")
