"""Check-in transactions: set up, pause, answer, skip, read history; they return view data.

Every query is scoped to the member (and through them their workspace); a week pressed by
someone else is refused with a `Problem`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins import schedule, streaks
from bot.checkins.schedule import NUDGE, PROMPT, WARNING
from bot.errors import Problem
from bot.profile.service import MemberInfo
from bot.storage.tables import Checkin, CheckinWeek
from bot.storage.upsert import insert_ignore
from bot.time.recurrence import next_occurrence

NOT_YOURS = "Those buttons belong to the person whose check-in this is."
NO_CHECKIN = "You have no weekly check-in yet. Start one with `/checkin setup monday 9am`."
CLOSED = "That week is closed: answers can be changed until the next check-in arrives."


class CheckinProblem(Problem):
    """A check-in request that cannot be done; the text says why."""


@dataclass(frozen=True)
class Settings:
    """What `/checkin setup` sets (the form's fields, or the command's options)."""

    rule: str
    first_at: datetime
    goal: str = ""
    target_role: str = ""
    share: bool = False
    quiet_start: int = 22 * 60
    quiet_end: int = 8 * 60


@dataclass(frozen=True)
class Status:
    """A member's check-in as `/checkin` and the home show it."""

    id: int
    rule: str
    status: str
    next_at: datetime | None
    paused_until: datetime | None
    goal: str
    target_role: str
    share: bool
    quiet_start: int
    quiet_end: int
    weeks: tuple[streaks.WeekMark, ...] = ()

    @property
    def streak(self) -> int:
        return streaks.streak(self.weeks)


@dataclass(frozen=True)
class WeekView:
    """One week's answers (or skip), with what the form needs to reopen it."""

    id: int
    occurrence: datetime
    status: str
    answers: Mapping[str, str] = field(default_factory=dict)
    hours: float | None = None
    confidence: int | None = None
    skip_reason: str | None = None


def week_view(row: CheckinWeek) -> WeekView:
    return WeekView(
        id=row.id,
        occurrence=row.occurrence,
        status=row.status,
        answers=_answers(row.answers),
        hours=row.hours,
        confidence=row.confidence,
        skip_reason=row.skip_reason,
    )


def _answers(text: str) -> dict[str, str]:
    try:
        loaded = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


class Checkins:
    """The check-in service; `now` is the core's clock."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now

    async def find(self, session: AsyncSession, member: MemberInfo) -> Checkin | None:
        return await session.scalar(select(Checkin).where(Checkin.member_id == member.id))

    async def require(self, session: AsyncSession, member: MemberInfo) -> Checkin:
        found = await self.find(session, member)
        if found is None or found.status == "stopped":
            raise CheckinProblem(NO_CHECKIN)
        return found

    async def status(self, session: AsyncSession, member: MemberInfo) -> Status | None:
        checkin = await self.find(session, member)
        if checkin is None or checkin.status == "stopped":
            return None
        return Status(
            id=checkin.id,
            rule=checkin.rule,
            status=checkin.status,
            next_at=checkin.next_at,
            paused_until=checkin.paused_until,
            goal=checkin.goal,
            target_role=checkin.target_role,
            share=checkin.share,
            quiet_start=checkin.quiet_start,
            quiet_end=checkin.quiet_end,
            weeks=tuple(await self.marks(session, checkin.id)),
        )

    async def marks(self, session: AsyncSession, checkin_id: int) -> list[streaks.WeekMark]:
        rows = await session.execute(
            select(CheckinWeek.occurrence, CheckinWeek.status, CheckinWeek.hours)
            .where(CheckinWeek.checkin_id == checkin_id)
            .order_by(CheckinWeek.occurrence)
        )
        return [streaks.WeekMark(*row) for row in rows]

    async def setup(self, session: AsyncSession, member: MemberInfo, wanted: Settings) -> Status:
        """Create or change the member's check-in and queue its next prompt."""
        now = self.now()
        checkin = await self.find(session, member)
        if checkin is None:
            checkin = Checkin(
                workspace_id=member.workspace_id,
                member_id=member.id,
                created_at=now,
                nudge_hours=24,
            )
            session.add(checkin)
        checkin.rule = wanted.rule
        checkin.first_at = wanted.first_at
        checkin.goal = wanted.goal
        checkin.target_role = wanted.target_role
        checkin.share = wanted.share
        checkin.quiet_start = wanted.quiet_start
        checkin.quiet_end = wanted.quiet_end
        checkin.status = "active"
        checkin.paused_until = None
        checkin.updated_at = now
        await session.flush()
        await schedule.queue_prompt(session, checkin, member.platform, wanted.first_at)
        status = await self.status(session, member)
        assert status is not None
        return status

    async def pause(
        self, session: AsyncSession, member: MemberInfo, until: datetime | None
    ) -> Status:
        """Stop prompts until `until` (then they resume by themselves), or until `resume`."""
        checkin = await self.require(session, member)
        checkin.updated_at = self.now()
        await schedule.cancel(session, member.id, kinds=(PROMPT, NUDGE, WARNING))
        if until is None:
            checkin.status = "paused"
            checkin.paused_until = None
            checkin.next_at = None
        else:
            checkin.status = "active"
            checkin.paused_until = until
            await self._queue_next(session, checkin, member, self.now())
        return await self._status(session, member)

    async def resume(self, session: AsyncSession, member: MemberInfo) -> Status:
        checkin = await self.require(session, member)
        checkin.status = "active"
        checkin.paused_until = None
        checkin.updated_at = self.now()
        await self._queue_next(session, checkin, member, self.now())
        return await self._status(session, member)

    async def stop(self, session: AsyncSession, member: MemberInfo) -> None:
        """No more prompts; the weeks stay (export, history) until the member deletes them."""
        checkin = await self.require(session, member)
        checkin.status = "stopped"
        checkin.next_at = None
        checkin.updated_at = self.now()
        await schedule.cancel(session, member.id, kinds=(PROMPT, NUDGE, WARNING))

    async def _queue_next(
        self, session: AsyncSession, checkin: Checkin, member: MemberInfo, after: datetime
    ) -> None:
        upcoming = schedule.next_prompt(checkin, after, member.tz)
        if upcoming is None:
            raise CheckinProblem("I could not find the next check-in time; try `/checkin setup`.")
        await schedule.queue_prompt(session, checkin, member.platform, upcoming)

    async def _status(self, session: AsyncSession, member: MemberInfo) -> Status:
        status = await self.status(session, member)
        if status is None:
            raise CheckinProblem(NO_CHECKIN)
        return status

    async def early_week(self, session: AsyncSession, member: MemberInfo) -> WeekView:
        """`/checkin now`: the week of the next prompt, opened early (or the open one)."""
        checkin = await self.require(session, member)
        if checkin.status != "active" or checkin.next_at is None:
            raise CheckinProblem("Your check-in is paused: `/checkin resume` first.")
        open_week = await session.scalar(
            select(CheckinWeek)
            .where(CheckinWeek.checkin_id == checkin.id, CheckinWeek.status == "open")
            .order_by(CheckinWeek.occurrence.desc())
            .limit(1)
        )
        if open_week is not None and self.now() < checkin.next_at:
            return week_view(open_week)
        return await self.open_week(session, checkin, checkin.next_at)

    async def open_week(
        self, session: AsyncSession, checkin: Checkin, occurrence: datetime
    ) -> WeekView:
        await insert_week(session, checkin, occurrence, self.now())
        row = await session.scalar(
            select(CheckinWeek).where(
                CheckinWeek.checkin_id == checkin.id, CheckinWeek.occurrence == occurrence
            )
        )
        assert row is not None
        return week_view(row)

    async def editable_week(
        self, session: AsyncSession, member: MemberInfo, week_id: int
    ) -> tuple[CheckinWeek, Checkin]:
        """The member's own week, if it can still be answered or changed."""
        week = await session.scalar(
            select(CheckinWeek).where(CheckinWeek.id == week_id, CheckinWeek.member_id == member.id)
        )
        if week is None:
            raise CheckinProblem(NOT_YOURS)
        checkin = await session.scalar(
            select(Checkin).where(Checkin.id == week.checkin_id, Checkin.member_id == member.id)
        )
        assert checkin is not None
        closes = next_occurrence(
            checkin.rule, first=checkin.first_at, after=week.occurrence, tz=member.tz
        )
        newer = await session.scalar(
            select(CheckinWeek.id).where(
                CheckinWeek.checkin_id == checkin.id, CheckinWeek.occurrence > week.occurrence
            )
        )
        if newer is not None or (
            closes is not None and self.now() >= closes and not _early(checkin, week)
        ):
            raise CheckinProblem(CLOSED)
        return week, checkin

    async def week(self, session: AsyncSession, member: MemberInfo, week_id: int) -> WeekView:
        week, _ = await self.editable_week(session, member, week_id)
        return week_view(week)

    async def answer(
        self,
        session: AsyncSession,
        member: MemberInfo,
        week_id: int,
        answers: Mapping[str, str],
        *,
        hours: float | None,
        confidence: int | None,
    ) -> tuple[WeekView, Status]:
        """Store (or replace) a week's answers; an early answer moves the prompt to next week."""
        week, checkin = await self.editable_week(session, member, week_id)
        week.status = streaks.ANSWERED
        week.answers = json.dumps(dict(answers), ensure_ascii=False)
        week.hours = hours
        week.confidence = confidence
        week.skip_reason = None
        week.answered_at = week.answered_at or self.now()
        week.updated_at = self.now()
        await self._settle(session, checkin, member, week)
        return week_view(week), await self._status(session, member)

    async def skip(
        self, session: AsyncSession, member: MemberInfo, week_id: int, reason: str
    ) -> Status:
        """An announced skip: the streak is kept, the nudges for that week withdrawn."""
        week, checkin = await self.editable_week(session, member, week_id)
        if week.status == streaks.ANSWERED:
            raise CheckinProblem("You already answered that week; use **Edit** to change it.")
        week.status = streaks.SKIPPED
        week.skip_reason = reason[:200] or None
        week.updated_at = self.now()
        await self._settle(session, checkin, member, week)
        return await self._status(session, member)

    async def _settle(
        self, session: AsyncSession, checkin: Checkin, member: MemberInfo, week: CheckinWeek
    ) -> None:
        await schedule.cancel(session, member.id, kinds=(NUDGE, WARNING), subject_ids=(week.id,))
        if _early(checkin, week):
            # Answered before its prompt: that prompt is not needed, the following one is.
            await self._queue_next(session, checkin, member, week.occurrence)

    async def history(self, session: AsyncSession, member: MemberInfo) -> list[WeekView]:
        """Answered and skipped weeks, newest first."""
        rows = await session.scalars(
            select(CheckinWeek)
            .where(
                CheckinWeek.member_id == member.id,
                CheckinWeek.status.in_((streaks.ANSWERED, streaks.SKIPPED)),
            )
            .order_by(CheckinWeek.occurrence.desc())
        )
        return [week_view(row) for row in rows]


def _early(checkin: Checkin, week: CheckinWeek) -> bool:
    """The week is the one of the upcoming prompt (answered with `/checkin now`)."""
    return checkin.next_at is not None and week.occurrence >= checkin.next_at


def local_label(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%a %d %b")


def hours_text(hours: float | None) -> str:
    if hours is None:
        return "–"
    return f"{hours:g}"


def by_id(weeks: Sequence[WeekView]) -> dict[int, WeekView]:
    return {week.id: week for week in weeks}


async def insert_week(
    session: AsyncSession, checkin: Checkin, occurrence: datetime, now: datetime
) -> None:
    """Open the week of `occurrence` for answers (nothing happens if it is already open)."""
    await insert_ignore(
        session,
        CheckinWeek,
        {
            "checkin_id": checkin.id,
            "member_id": checkin.member_id,
            "workspace_id": checkin.workspace_id,
            "occurrence": occurrence,
            "status": streaks.OPEN,
            "answers": "{}",
            "updated_at": now,
        },
    )
