"""Repeating phrases: the RRULE they stand for and its first firing after `now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from bot.time.describe import describe_rule
from bot.time.recurrence import localize, next_occurrence
from bot.time.timeparse.resolve import (
    Ctx,
    add_calendar,
    check_far,
    clock_for,
    first_date_after,
    local_at,
    month_length,
)
from bot.time.timeparse.spec import Spec, fail, too_far_message
from bot.time.timeparse.vocabulary import (
    DEFAULT_TIME,
    EXAMPLE,
    RRULE_DAYS,
)


def _rule(spec: Spec, clock: tuple[int, int, int] | None) -> str:
    parts = [f"FREQ={spec.freq}"]
    if spec.interval != 1:
        parts.append(f"INTERVAL={spec.interval}")
    if spec.freq == "YEARLY" and spec.yearly_date:
        parts += [f"BYMONTH={spec.month}", f"BYMONTHDAY={spec.day}"]
    elif spec.monthly_day and spec.date_kind == "od":
        if spec.day >= 29:  # clamp: the 31st means the last day in shorter months
            parts += [
                f"BYMONTHDAY={','.join(str(d) for d in range(28, spec.day + 1))}",
                "BYSETPOS=-1",
            ]
        else:
            parts.append(f"BYMONTHDAY={spec.day}")
    elif spec.monthly_day and spec.date_kind == "lastday":
        parts.append("BYMONTHDAY=-1")
    elif spec.monthly_day and spec.date_kind == "nth":
        parts.append(f"BYDAY={spec.nth}{RRULE_DAYS[spec.weekday]}")
    if spec.byday:
        parts.append("BYDAY=" + ",".join(RRULE_DAYS[d] for d in spec.byday))
    if clock is not None and not spec.exact_every:
        parts += [f"BYHOUR={clock[0]}", f"BYMINUTE={clock[1]}", f"BYSECOND={clock[2]}"]
    return ";".join(parts)


def _check_repeat_shape(spec: Spec) -> None:
    if spec.has_dur:
        raise fail(
            "invalid",
            "I can't combine a repeat with a duration. "
            "Try `every 2 weeks` or `every monday at 9am`.",
        )
    kind = spec.date_kind
    ok = (
        kind is None
        or (kind == "date" and spec.freq == "YEARLY" and spec.yearly_date and spec.year is None)
        or (kind in ("od", "lastday", "nth") and spec.freq == "MONTHLY" and spec.monthly_day)
    )
    if not ok:
        raise fail(
            "invalid",
            f"I can't repeat `{spec.rec_text}` on `{spec.date_text}`. "
            "Try `every month on the 1st` or `every year on 1 march`.",
        )
    if kind == "od" and not 1 <= spec.day <= 31:
        raise fail(
            "invalid", "Pick a day from the 1st to the 31st, like `every month on the 15th`."
        )
    if kind == "date" and not (
        1 <= spec.month <= 12 and 1 <= spec.day <= month_length(2000, spec.month)
    ):
        raise fail("invalid", f"`{spec.date_text}` isn't a real date. Try `every year on 1 march`.")


def resolve_repeat(spec: Spec, ctx: Ctx, member_tz: tzinfo) -> tuple[datetime, str, str]:
    _check_repeat_shape(spec)
    if (
        spec.zone is not None
        and spec.zone is not member_tz
        and getattr(spec.zone, "key", 0) != getattr(member_tz, "key", 1)
    ):
        raise fail(
            "invalid",
            "Repeating reminders follow your own time zone, so leave the zone "
            "out: try `every monday at 9am`.",
        )
    clock = clock_for(spec)
    pattern = bool(spec.byday or spec.monthly_day or spec.yearly_date)
    if pattern and clock is None:
        clock = DEFAULT_TIME
    rule = _rule(spec, clock)
    if clock is not None:
        ctx.wanted = clock
    elif not spec.exact_every:
        ctx.wanted = (ctx.local.hour, ctx.local.minute, ctx.local.second)
    start = ctx.local.replace(microsecond=0)
    now_whole = localize(start, ctx.zone) if start != ctx.local else ctx.now
    if spec.byday and spec.freq == "WEEKLY":
        assert clock is not None
        today = ctx.local.date()
        days = [
            today + timedelta(days=i) for i in range(8) if (today.weekday() + i) % 7 in spec.byday
        ]
        at = first_date_after(ctx, clock, days)
    elif pattern:
        found = next_occurrence(
            rule, first=start.replace(tzinfo=ctx.zone), after=ctx.now, tz=ctx.zone
        )
        if found is None:  # pragma: no cover - unbounded rules always have a next date
            raise fail("invalid", f"That repeat never happens. {EXAMPLE}")
        at = found
    elif clock is not None:
        at = local_at(ctx, start.date(), clock)
        if at <= ctx.now:
            at = local_at(ctx, start.date() + timedelta(days=1), clock)
    elif spec.exact_every:
        _check_far_seconds(spec.exact_every, ctx)
        at = (now_whole.astimezone(UTC) + timedelta(seconds=spec.exact_every)).astimezone(ctx.zone)
    else:
        at = _every_calendar_start(spec, ctx, start)
    return at, rule, describe_rule(rule)


def _check_far_seconds(seconds: int, ctx: Ctx) -> None:
    if seconds / 86400 > ctx.max_days + 2:
        raise fail("too_far", too_far_message(ctx.max_days))


def _every_calendar_start(spec: Spec, ctx: Ctx, start: datetime) -> datetime:
    """`every N <unit>` without a time starts N units from now."""
    cal = [0, 0, 0, 0]
    index = {"YEARLY": 0, "MONTHLY": 1, "WEEKLY": 2, "DAILY": 3}[spec.freq or "DAILY"]
    cal[index] = spec.interval
    probe = Spec(cal=cal)
    check_far(probe, ctx)
    return localize(add_calendar(start, cal), ctx.zone)
