"""What a workspace sees: the weekly digest in its accountability channel and the admin report.

The digest names only members who opted to share (their streak and plan); everyone else is a
count. The report is participation by week (answer rate, active members, median streak) as a
text table, a CSV file, and a PNG chart when the optional `mentorbot[charts]` extra is installed.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import markup
from bot.chat import Attachment, Reply
from bot.checkins import streaks
from bot.storage.tables import Checkin, CheckinWeek, Member

DIGEST_WINDOW = timedelta(days=7)
REPORT_WEEKS = 8
MAX_NAMED = 25


@dataclass(frozen=True)
class Shared:
    name: str
    streak: int
    plan: str


@dataclass(frozen=True)
class Digest:
    shared: tuple[Shared, ...]
    answered_privately: int
    skipped: int
    waiting: int


async def digest(session: AsyncSession, workspace_id: int, at: datetime) -> Digest:
    """The week before `at` in one workspace."""
    rows = (
        await session.execute(
            select(CheckinWeek, Checkin.share, Member.display_name, Member.user_id)
            .join(Checkin, Checkin.id == CheckinWeek.checkin_id)
            .join(Member, Member.id == CheckinWeek.member_id)
            .where(
                CheckinWeek.workspace_id == workspace_id,
                CheckinWeek.occurrence > at - DIGEST_WINDOW,
                CheckinWeek.occurrence <= at,
            )
            .order_by(CheckinWeek.occurrence)
        )
    ).all()
    checkin_ids = {week.checkin_id for week, *_ in rows}
    history: dict[int, list[streaks.WeekMark]] = defaultdict(list)
    for checkin_id, occurrence, status, hours in await session.execute(
        select(
            CheckinWeek.checkin_id, CheckinWeek.occurrence, CheckinWeek.status, CheckinWeek.hours
        ).where(CheckinWeek.checkin_id.in_(checkin_ids), CheckinWeek.occurrence <= at)
    ):
        history[checkin_id].append(streaks.WeekMark(occurrence, status, hours))
    shared: list[Shared] = []
    private = skipped = waiting = 0
    for week, share, display_name, user_id in rows:
        if week.status == streaks.SKIPPED:
            skipped += 1
        elif week.status != streaks.ANSWERED:
            waiting += 1
        elif share:
            plan = str(json.loads(week.answers or "{}").get("plan", ""))
            marks = history[week.checkin_id]
            # The digest's week counts as closed: answered weeks are in the streak.
            count = streaks.streak([*marks, streaks.WeekMark(at + DIGEST_WINDOW, streaks.OPEN)])
            shared.append(Shared(display_name or user_id, count, plan))
        else:
            private += 1
    return Digest(tuple(shared), private, skipped, waiting)


def digest_reply(digest: Digest) -> Reply:
    """The channel post: names never ping (escaped text, no mentions)."""
    lines = ["📣 **This week's check-ins**"]
    if not digest.shared and not (digest.answered_privately or digest.skipped or digest.waiting):
        lines.append("Nobody was due a check-in this week. `/checkin setup` to start yours.")
        return Reply("\n".join(lines), private=False)
    for entry in digest.shared[:MAX_NAMED]:
        plan = f": {markup.escape(markup.truncate(entry.plan, 200))}" if entry.plan else ""
        lines.append(f"• **{markup.escape(entry.name[:80])}** 🔥 {entry.streak}{plan}")
    if len(digest.shared) > MAX_NAMED:
        lines.append(f"…and {len(digest.shared) - MAX_NAMED} more who shared.")
    counts = []
    if digest.answered_privately:
        counts.append(f"{digest.answered_privately} answered privately")
    if digest.skipped:
        counts.append(f"{digest.skipped} skipped with a reason")
    if digest.waiting:
        counts.append(f"{digest.waiting} not answered yet")
    if counts:
        lines.append(", ".join(counts) + ".")
    lines.append("Join in with `/checkin setup`.")
    return Reply("\n".join(lines), private=False)


@dataclass(frozen=True)
class WeekRow:
    start: datetime  # local Monday 00:00 of the week
    prompted: int
    answered: int
    skipped: int
    missed: int
    active: int
    median_streak: float

    @property
    def answer_rate(self) -> float:
        return self.answered / self.prompted if self.prompted else 0.0


async def report(
    session: AsyncSession, workspace_id: int, *, now: datetime, tz: tzinfo
) -> list[WeekRow]:
    """Participation in the last `REPORT_WEEKS` local weeks, oldest first."""
    local = now.astimezone(tz)
    this_monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    starts = [this_monday - timedelta(weeks=n) for n in range(REPORT_WEEKS - 1, -1, -1)]
    rows = await session.execute(
        select(
            CheckinWeek.checkin_id, CheckinWeek.occurrence, CheckinWeek.status, CheckinWeek.hours
        )
        .where(CheckinWeek.workspace_id == workspace_id, CheckinWeek.occurrence <= now)
        .order_by(CheckinWeek.occurrence)
    )
    by_checkin: dict[int, list[streaks.WeekMark]] = defaultdict(list)
    for checkin_id, occurrence, status, hours in rows:
        by_checkin[checkin_id].append(streaks.WeekMark(occurrence, status, hours))
    result: list[WeekRow] = []
    for start in starts:
        end = start + timedelta(weeks=1)
        counts = {streaks.ANSWERED: 0, streaks.SKIPPED: 0, streaks.MISSED: 0}
        active: list[int] = []
        for marks in by_checkin.values():
            upto = [mark for mark in marks if mark.occurrence < end]
            inside = [m for m in upto if m.occurrence >= start]
            if not inside:
                continue
            statuses = streaks.settled(upto)
            status = statuses[-1]
            if status == streaks.OPEN and end <= now:
                status = streaks.MISSED
            if status in counts:
                counts[status] += 1
            closed = [*upto, streaks.WeekMark(end, streaks.OPEN)]
            active.append(streaks.streak(closed))
        result.append(
            WeekRow(
                start=start,
                prompted=len(active),
                answered=counts[streaks.ANSWERED],
                skipped=counts[streaks.SKIPPED],
                missed=counts[streaks.MISSED],
                active=len(active),
                median_streak=streaks.median(active),
            )
        )
    return result


def report_csv(rows: list[WeekRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "week_start",
            "prompted",
            "answered",
            "skipped",
            "missed",
            "answer_rate",
            "active_members",
            "median_streak",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.start.date().isoformat(),
                row.prompted,
                row.answered,
                row.skipped,
                row.missed,
                f"{row.answer_rate:.2f}",
                row.active,
                f"{row.median_streak:g}",
            ]
        )
    return out.getvalue().encode()


def report_chart(rows: list[WeekRow]) -> bytes | None:
    """A PNG of answer rate and active members by week; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        return None
    labels = [row.start.strftime("%d %b") for row in rows]
    figure, rate_axis = pyplot.subplots(figsize=(8, 3.5), dpi=100)
    try:
        rate_axis.bar(labels, [100 * row.answer_rate for row in rows], color="#4c9a6a")
        rate_axis.set_ylabel("answer rate (%)")
        rate_axis.set_ylim(0, 100)
        members_axis = rate_axis.twinx()
        members_axis.plot(labels, [row.active for row in rows], color="#33415c", marker="o")
        members_axis.set_ylabel("active members")
        members_axis.set_ylim(bottom=0)
        rate_axis.set_title("Weekly check-ins")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        pyplot.close(figure)
    return buffer.getvalue()


def report_reply(rows: list[WeekRow]) -> Reply:
    header = "week of   prompted  answered  rate   active  median streak"
    lines = [header]
    for row in rows:
        lines.append(
            f"{row.start.strftime('%d %b'):<9} {row.prompted:>8}  {row.answered:>8}  "
            f"{100 * row.answer_rate:>4.0f}%  {row.active:>6}  {row.median_streak:>13g}"
        )
    files = [Attachment("checkin-report.csv", report_csv(rows), "text/csv")]
    chart = report_chart(rows)
    if chart is not None:
        files.append(Attachment("checkin-report.png", chart, "image/png"))
    note = "" if chart is not None else "\n__No chart: install `mentorbot[charts]` for a PNG.__"
    table = "\n".join(markup.code(line) for line in lines)
    text = "**Check-in participation by week**\n" + table + note
    return Reply(text, attachments=tuple(files))
