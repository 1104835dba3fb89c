"""Turn the `Spec` of a one-off phrase into an instant, in wall time of the phrase's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.time.describe import MONTH_NAMES, WEEKDAY_NAMES, ordinal
from bot.time.recurrence import localize
from bot.time.timeparse.spec import Spec, TimeParseError, conflict, fail, too_far_message
from bot.time.timeparse.vocabulary import (
    DEFAULT_TIME,
    EXAMPLE,
    NAMED_TIMES,
    PERIOD_PM,
    WD_SHORT,
)

END_OF_DAY = (*NAMED_TIMES["eod"], 0)


@dataclass(slots=True)
class Ctx:
    """The moment a phrase is resolved against, and the zone its wall times are read in."""

    now: datetime  # aware, UTC
    zone: tzinfo
    local: datetime  # naive wall time of now in zone
    max_days: int
    wanted: tuple[int, int, int] | None = None  # the wall time asked for, to notice DST gaps


def local_at(ctx: Ctx, day: date, clock: tuple[int, int, int]) -> datetime:
    return localize(datetime.combine(day, time(*clock)), ctx.zone)


def clock_for(spec: Spec) -> tuple[int, int, int] | None:
    """The time of day the phrase asked for (named periods disambiguate a bare hour)."""
    if spec.bare_hour is not None:
        if spec.clock is None and spec.named in PERIOD_PM:
            hour = spec.bare_hour % 12 + (12 if PERIOD_PM[spec.named] else 0)
            return (hour, 0, 0)
        if spec.clock is None:
            h = spec.bare_hour
            raise TimeParseError(
                "ambiguous", f"Did you mean {h}am or {h}pm? Try `at {h}am` or `at {h}pm`.", hour=h
            )
    if spec.clock is not None:
        return spec.clock
    if spec.named is not None:
        return (*NAMED_TIMES[spec.named], 0)
    return None


def add_calendar(base: datetime, cal: list[int]) -> datetime:
    """Add years/months (clamped to month end), then weeks/days, keeping the wall-clock time."""
    years, months, weeks, days = cal
    total_months = base.month - 1 + months + 12 * years
    year, month = base.year + total_months // 12, total_months % 12 + 1
    if not 1 <= year <= 9998:
        raise OverflowError("year out of range")
    day = min(base.day, month_length(year, month))
    return base.replace(year=year, month=month, day=day) + timedelta(weeks=weeks, days=days)


def month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def check_far(spec: Spec, ctx: Ctx) -> None:
    """Reject huge durations before doing any arithmetic that could overflow."""
    years, months, weeks, days = spec.cal
    rough = years * 365 + months * 28 + weeks * 7 + days + spec.exact / 86400
    if rough > ctx.max_days + 2:
        raise fail("too_far", too_far_message(ctx.max_days))


def _resolve_duration(spec: Spec, ctx: Ctx, clock: tuple[int, int, int] | None) -> datetime:
    check_far(spec, ctx)
    if spec.exact and clock is not None:
        raise fail(
            "invalid",
            "I can't combine hours or minutes with a time of day. "
            "Try `in 2 days at 9am` or `in 5 hours`.",
        )
    if not any(spec.cal):
        if spec.exact <= 0:
            raise fail("invalid", "That's no time at all. Try `in 5 minutes`.")
        return (ctx.now + timedelta(seconds=spec.exact)).astimezone(ctx.zone)
    moved = add_calendar(ctx.local, spec.cal)
    if clock is not None:
        moved = datetime.combine(moved.date(), time(*clock))
        if spec.named == "midnight" and spec.clock is None:
            moved += timedelta(days=1)
    at = localize(moved, ctx.zone)
    if spec.exact:
        at = (at.astimezone(UTC) + timedelta(seconds=spec.exact)).astimezone(ctx.zone)
    return at


def first_date_after(ctx: Ctx, clock: tuple[int, int, int], dates: list[date]) -> datetime:
    for day in dates:
        at = local_at(ctx, day, clock)
        if at > ctx.now:
            return at
    raise fail("too_far", too_far_message(ctx.max_days))


def _month_starts(ctx: Ctx, count: int = 62) -> list[tuple[int, int]]:
    year, month = ctx.local.year, ctx.local.month
    return [(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1) for i in range(count)]


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    if nth > 0:
        first = date(year, month, 1)
        day = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    else:
        last = date(year, month, month_length(year, month))
        day = last.day - (last.weekday() - weekday) % 7
    return date(year, month, day) if 1 <= day <= month_length(year, month) else None


def _resolve_date(spec: Spec, ctx: Ctx, clock: tuple[int, int, int]) -> datetime:
    today = ctx.local.date()
    kind = spec.date_kind
    if kind == "rel":
        return _pinned(ctx, today + timedelta(days=spec.rel_days), clock, spec.date_text)
    if kind == "wd":
        return local_at(
            ctx, today + timedelta(days=(spec.weekday - today.weekday() - 1) % 7 + 1), clock
        )
    if kind == "date":
        return _resolve_calendar_date(spec, ctx, clock)
    if kind == "od":
        if not 1 <= spec.day <= 31:
            raise fail(
                "invalid", f"There's no {ordinal(spec.day)} day in a month. Try `on the 15th`."
            )
        dates = [
            date(y, m, spec.day) for y, m in _month_starts(ctx) if spec.day <= month_length(y, m)
        ]
        return first_date_after(ctx, clock, dates)
    if kind == "nth":
        found = (_nth_weekday(y, m, spec.nth, spec.weekday) for y, m in _month_starts(ctx))
        return first_date_after(ctx, clock, [d for d in found if d is not None])
    if kind == "eop":
        return first_date_after(ctx, clock, _period_ends(spec.period, today))
    # lastday
    return first_date_after(
        ctx, clock, [date(y, m, month_length(y, m)) for y, m in _month_starts(ctx)]
    )


def _period_ends(period: str, today: date) -> list[date]:
    """The last days of this and the next week (Friday), month, quarter or year."""
    if period == "w":
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return [friday, friday + timedelta(days=7)]
    if period == "y":
        return [date(today.year, 12, 31), date(today.year + 1, 12, 31)]
    step = 3 if period == "q" else 1
    last_month = today.month + (-today.month % step)  # this quarter's last month
    ends = []
    for i in range(2):
        total = last_month - 1 + i * step
        year, month = today.year + total // 12, total % 12 + 1
        ends.append(date(year, month, month_length(year, month)))
    return ends


def _pinned(ctx: Ctx, day: date, clock: tuple[int, int, int], text: str) -> datetime:
    at = local_at(ctx, day, clock)
    if at <= ctx.now:
        raise fail(
            "past",
            f"That time {text.lower() or 'today'} has already passed. "
            "Try `tomorrow at 9am` or `in 2 hours`.",
        )
    return at


def _resolve_calendar_date(spec: Spec, ctx: Ctx, clock: tuple[int, int, int]) -> datetime:
    label = f"{spec.day} {MONTH_NAMES[spec.month - 1]}" if 1 <= spec.month <= 12 else "that date"
    if not 1 <= spec.month <= 12 or not 1 <= spec.day <= month_length(2000, spec.month):
        raise fail(
            "invalid", f"`{spec.date_text}` isn't a real date. Try `28 feb` or `2027-03-01`."
        )
    if spec.year is not None:
        if spec.day > month_length(spec.year, spec.month):
            raise fail("invalid", f"There's no {label} in {spec.year}. Try `28 feb {spec.year}`.")
        if spec.year > ctx.local.year + ctx.max_days // 365 + 1:
            raise fail("too_far", too_far_message(ctx.max_days))
        at = local_at(ctx, date(spec.year, spec.month, spec.day), clock)
        if at <= ctx.now:
            raise fail(
                "past",
                f"{label} {spec.year} is in the past. "
                "Try a future date, like `tomorrow` or `1 march`.",
            )
        return at
    years = range(ctx.local.year, ctx.local.year + 9)
    dates = [
        date(y, spec.month, spec.day) for y in years if spec.day <= month_length(y, spec.month)
    ]
    return first_date_after(ctx, clock, dates)


def resolve_once(spec: Spec, ctx: Ctx) -> tuple[datetime, str]:
    clock = clock_for(spec)
    if spec.has_dur:
        if spec.date_kind is not None:
            raise conflict(spec, spec.date_kind)
        if clock is not None:
            ctx.wanted = clock
        elif not spec.exact:
            ctx.wanted = (ctx.local.hour, ctx.local.minute, ctx.local.second)
        at = _resolve_duration(spec, ctx, clock)
        words = _describe_duration(spec)
        return at, (f"in {words}" if clock is None else f"in {words} at {_hm(at)}")
    midnight = spec.named == "midnight" and spec.clock is None and spec.bare_hour is None
    if spec.date_kind is not None:
        ctx.wanted = clock or (END_OF_DAY if spec.date_kind == "eop" else DEFAULT_TIME)
        at = _resolve_date(spec, ctx, ctx.wanted)
        if midnight:
            at = localize(at.replace(tzinfo=None) + timedelta(days=1), ctx.zone)
        if spec.check_weekday is not None:
            _check_weekday(spec.check_weekday, at.astimezone(ctx.zone).date())
        return at, _describe_at(at, spec)
    if clock is None:
        raise fail("invalid", f"I couldn't find a time in that. {EXAMPLE}")
    ctx.wanted = clock
    today = ctx.local.date()
    if midnight:
        at = local_at(ctx, today + timedelta(days=1), clock)
    elif spec.pin_today:
        at = _pinned(ctx, today, clock, spec.named or "today")
    else:
        at = local_at(ctx, today, clock)
        if at <= ctx.now:
            at = local_at(ctx, today + timedelta(days=1), clock)
    return at, _describe_at(at, spec)


def _check_weekday(weekday: int, day: date) -> None:
    """`Thursday, 4 December 2026` names two different days: ask rather than pick one."""
    if day.weekday() != weekday:
        named = WEEKDAY_NAMES[weekday]
        raise fail(
            "invalid",
            f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year} is a "
            f"{WEEKDAY_NAMES[day.weekday()]}, not a {named}. Check the date, or write just "
            f"one of them, like `{day.day} {MONTH_NAMES[day.month - 1][:3].lower()} {day.year}`.",
        )


def _describe_duration(spec: Spec) -> str:
    """Normalised amounts, e.g. "1 week 3 days" or "2 hours 30 minutes"."""
    years, months, weeks, days = spec.cal
    seconds = round(spec.exact)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    amounts = zip(
        (years, months, weeks, days, hours, minutes, secs),
        ("year", "month", "week", "day", "hour", "minute", "second"),
        strict=True,
    )
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in amounts if n) or "0 seconds"


def _hm(at: datetime) -> str:
    return f"{at.hour:02d}:{at.minute:02d}" + (f":{at.second:02d}" if at.second else "")


def _describe_at(at: datetime, spec: Spec) -> str:
    zone = f" {spec.zone_label}" if spec.zone_label else ""
    return (
        f"{WD_SHORT[at.weekday()]} {at.day} {MONTH_NAMES[at.month - 1][:3]} {at.year} "
        f"at {_hm(at)}{zone}"
    )
