"""When check-in messages are due: the weekly rule, quiet hours, and the queue rows.

All calendar arithmetic is in the member's zone through `bot.time`, so a 09:00 Monday prompt
stays at 09:00 local across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.queue import delivery_row, enqueue
from bot.storage.tables import Checkin, Delivery, DeliveryStatus
from bot.time.recurrence import localize, next_occurrence
from bot.time.timeparse import TimeParseError, parse_when

FAMILY = "checkin"
PROMPT = "checkin.prompt"
NUDGE = "checkin.nudge"
WARNING = "checkin.warning"
DIGEST = "checkin.digest"
WARN_BEFORE = timedelta(days=1)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NOT_WEEKLY = "Check-ins are weekly: give one day and a time, like `monday 9am`."


def weekly_rule(text: str, *, now: datetime, tz: tzinfo) -> tuple[str, datetime]:
    """ "monday 9am" -> (weekly RRULE, first occurrence); TimeParseError with a friendly text."""
    text = text.strip()
    if not text:
        raise TimeParseError("invalid", "Tell me a day and a time, like `monday 9am`.")
    phrase = text if text.lower().startswith("every ") else f"every {text}"
    parsed = parse_when(phrase, now=now, tz=tz)
    rule = parsed.rule or ""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    day = parts.get("BYDAY", "")
    if parsed.message or parts.get("FREQ") != "WEEKLY" or day not in WEEKDAYS:
        raise TimeParseError("invalid", NOT_WEEKLY)
    if parts.get("INTERVAL", "1") != "1" or "BYHOUR" not in parts:
        raise TimeParseError("invalid", NOT_WEEKLY)
    return rule, parsed.at


def rule_time(rule: str) -> tuple[int, int, int]:
    """(weekday 0=Monday, hour, minute) of a weekly rule."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    return (
        WEEKDAYS.index(parts["BYDAY"]),
        int(parts.get("BYHOUR", "9")),
        int(parts.get("BYMINUTE", "0")),
    )


def next_prompt(checkin: Checkin, after: datetime, tz: tzinfo) -> datetime | None:
    """The first prompt strictly after `after` (and after a pause's end)."""
    if checkin.paused_until is not None and checkin.paused_until > after:
        after = checkin.paused_until
    return next_occurrence(checkin.rule, first=checkin.first_at, after=after, tz=tz)


def out_of_quiet_hours(at: datetime, tz: tzinfo, start: int, end: int) -> datetime:
    """`at`, or the end of the member's quiet hours if it falls inside them (minutes of day)."""
    local = at.astimezone(tz)
    minute = local.hour * 60 + local.minute
    inside = (start <= minute < end) if start <= end else (minute >= start or minute < end)
    if not inside or start == end:
        return at
    day = local.date() if minute < end else local.date() + timedelta(days=1)
    return localize(datetime.combine(day, time(end // 60, end % 60)), tz)


def parse_quiet(text: str) -> tuple[int, int]:
    """ "22:00-08:00" -> minutes after midnight; ValueError with a friendly text."""
    start, dash, end = text.replace("–", "-").partition("-")
    if not dash:
        raise ValueError("Quiet hours look like `22:00-08:00`.")
    return _clock(start), _clock(end)


def _clock(text: str) -> int:
    hour, _, minute = text.strip().partition(":")
    if not hour.isdigit() or (minute and not minute.isdigit()):
        raise ValueError("Quiet hours look like `22:00-08:00`.")
    h, m = int(hour), int(minute or 0)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError("Quiet hours look like `22:00-08:00` (24-hour clock).")
    return h * 60 + m


def quiet_text(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


async def queue_prompt(
    session: AsyncSession, checkin: Checkin, platform: str, at: datetime
) -> None:
    """Make `at` the one pending prompt of `checkin` (others are cancelled)."""
    await queue_prompts(session, [(checkin, platform, at)])


async def queue_prompts(
    session: AsyncSession, prompts: Sequence[tuple[Checkin, str, datetime]]
) -> None:
    """`queue_prompt` for many check-ins at once: two statements however many (a burst)."""
    if not prompts:
        return
    await session.execute(
        update(Delivery)
        .where(
            Delivery.member_id.in_({checkin.member_id for checkin, _, _ in prompts}),
            Delivery.subject_id.in_({checkin.id for checkin, _, _ in prompts}),
            Delivery.family == FAMILY,
            Delivery.kind == PROMPT,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    rows = []
    for checkin, platform, at in prompts:
        checkin.next_at = at
        rows.append(
            delivery_row(
                PROMPT,
                checkin.id,
                workspace_id=checkin.workspace_id,
                platform=platform,
                at=at,
                member_id=checkin.member_id,
            )
        )
    await enqueue(session, rows)


async def cancel(
    session: AsyncSession,
    member_id: int,
    *,
    kinds: Sequence[str],
    subject_ids: Sequence[int] | None = None,
) -> None:
    """Withdraw a member's pending check-in rows of `kinds` (optionally only some subjects)."""
    statement = (
        update(Delivery)
        .where(
            Delivery.member_id == member_id,
            Delivery.family == FAMILY,
            Delivery.kind.in_(kinds),
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    if subject_ids is not None:
        statement = statement.where(Delivery.subject_id.in_(subject_ids))
    await session.execute(statement)
