"""The check-in delivery kinds: the weekly prompt, its one nudge, the streak warning, the digest.

`prepare` of a prompt runs inside the queue's claim transaction: it opens the week, settles
older open weeks as missed, queues the next prompt, the nudge (out of quiet hours) and, for a
running streak, the warning the day before it would break; a crash never loses the series.
Nudges and warnings are withdrawn when the week is answered or skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Reply
from bot.checkins import schedule, streaks, team, views
from bot.checkins.schedule import DIGEST, NUDGE, PROMPT, WARNING
from bot.checkins.service import open_week_row
from bot.queue import Claim, DeliveryKind, Due, delivery_row, enqueue
from bot.storage.tables import Checkin, CheckinWeek, Delivery, DeliveryStatus, Member, Workspace
from bot.storage.upsert import insert_ignore
from bot.time.zones import safe_zone


class CheckinDeliveries:
    """Handlers of `checkin.prompt`, `checkin.nudge`, `checkin.warning` and `checkin.digest`."""

    def __init__(self, default_tz: str) -> None:
        self.default_tz = default_tz

    def kinds(self) -> tuple[DeliveryKind, ...]:
        return (
            DeliveryKind(PROMPT, self.compose_prompt, prepare=self.prepare, describe=self.describe),
            DeliveryKind(NUDGE, self.compose_nudge, describe=self.describe),
            DeliveryKind(WARNING, self.compose_warning, describe=self.describe),
            DeliveryKind(DIGEST, self.compose_digest),
        )

    async def prepare(self, session: AsyncSession, claims: Sequence[Claim], now: datetime) -> None:
        """Open the claimed weeks and queue what follows them, a few statements per batch.

        A burst claims hundreds of prompts in one transaction; statements per claim made that
        transaction last seconds (the first batch of a 10,000-member burst took ~19 s before a
        DM went out) and held SQLite's write lock as long. So every step is one set-based
        statement for the whole batch.
        """
        ids = {claim.subject_id for claim in claims}
        rows = (
            await session.execute(
                select(Checkin, Member.tz, Workspace.default_tz, Workspace.platform)
                .join(Member, Member.id == Checkin.member_id)
                .join(Workspace, Workspace.id == Checkin.workspace_id)
                .where(Checkin.id.in_(ids), Checkin.status == "active")
            )
        ).all()
        found = {row[0].id: row for row in rows}
        opened = [claim for claim in claims if claim.subject_id in found]
        if not opened:
            return
        await insert_ignore(
            session,
            CheckinWeek,
            [open_week_row(found[claim.subject_id][0], claim.occurrence, now) for claim in opened],
        )
        by_occurrence: dict[datetime, set[int]] = {}
        for claim in opened:
            by_occurrence.setdefault(claim.occurrence, set()).add(claim.subject_id)
        for occurrence, checkin_ids in by_occurrence.items():  # one statement in a burst
            await session.execute(
                update(CheckinWeek)
                .where(
                    CheckinWeek.checkin_id.in_(checkin_ids),
                    CheckinWeek.status == streaks.OPEN,
                    CheckinWeek.occurrence < occurrence,
                )
                .values(status=streaks.MISSED, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        upcoming: dict[int, datetime] = {}
        for claim in opened:
            checkin, member_tz, workspace_tz, _ = found[claim.subject_id]
            tz = safe_zone(member_tz or workspace_tz, self.default_tz)
            at = schedule.next_prompt(checkin, max(now, claim.occurrence), tz)
            if at is not None:
                upcoming[claim.id] = at
        await schedule.queue_prompts(
            session,
            [
                (found[claim.subject_id][0], found[claim.subject_id][3], upcoming[claim.id])
                for claim in opened
                if claim.id in upcoming
            ],
        )
        weeks = await _weeks(session, {claim.subject_id for claim in opened})
        later: list[dict[str, object]] = []
        for claim in opened:
            if claim.id not in upcoming:
                continue
            checkin, member_tz, workspace_tz, platform = found[claim.subject_id]
            tz = safe_zone(member_tz or workspace_tz, self.default_tz)
            occurrence, next_at = claim.occurrence, upcoming[claim.id]
            marks = weeks.get(checkin.id, [])
            week_id = next(w[3] for w in marks if w[0] == occurrence)
            quiet = checkin.quiet_start, checkin.quiet_end
            nudge_at = schedule.out_of_quiet_hours(
                occurrence + timedelta(hours=checkin.nudge_hours), tz, *quiet
            )
            follow: list[tuple[str, datetime]] = []
            if nudge_at < next_at:
                follow.append((NUDGE, nudge_at))
            streak = streaks.streak([streaks.WeekMark(w[0], w[1], w[2]) for w in marks])
            warn_at = schedule.out_of_quiet_hours(next_at - schedule.WARN_BEFORE, tz, *quiet)
            if streak and occurrence < warn_at < next_at and warn_at > nudge_at:
                follow.append((WARNING, warn_at))
            later.extend(
                delivery_row(
                    kind,
                    week_id,
                    workspace_id=checkin.workspace_id,
                    platform=platform,
                    at=at,
                    member_id=checkin.member_id,
                )
                for kind, at in follow
            )
        await enqueue(session, later)

    async def compose_prompt(
        self, session: AsyncSession, due: Sequence[Due]
    ) -> Mapping[int, Reply]:
        checkins = {
            checkin.id: checkin
            for checkin in await session.scalars(
                select(Checkin).where(Checkin.id.in_({item.subject_id for item in due}))
            )
        }
        weeks = await _weeks(session, set(checkins))
        closed = await _closed(session, {item.member_id for item in due})
        messages: dict[int, Reply] = {}
        for item in due:
            checkin = checkins.get(item.subject_id)
            if checkin is None or checkin.status != "active" or item.member_id in closed:
                continue
            marks = weeks.get(checkin.id, [])
            week = next((w for w in marks if w[0] == item.occurrence), None)
            if week is None or week[1] != streaks.OPEN:
                continue
            streak = streaks.streak([streaks.WeekMark(w[0], w[1], w[2]) for w in marks])
            messages[item.id] = views.prompt(week[3], checkin.id, goal=checkin.goal, streak=streak)
        return messages

    async def compose_nudge(self, session: AsyncSession, due: Sequence[Due]) -> Mapping[int, Reply]:
        return await self._about_open_weeks(session, due, nudge=True)

    async def compose_warning(
        self, session: AsyncSession, due: Sequence[Due]
    ) -> Mapping[int, Reply]:
        return await self._about_open_weeks(session, due, nudge=False)

    async def _about_open_weeks(
        self, session: AsyncSession, due: Sequence[Due], *, nudge: bool
    ) -> Mapping[int, Reply]:
        rows = (
            await session.execute(
                select(CheckinWeek, Checkin)
                .join(Checkin, Checkin.id == CheckinWeek.checkin_id)
                .where(CheckinWeek.id.in_({item.subject_id for item in due}))
            )
        ).all()
        found = {week.id: (week, checkin) for week, checkin in rows}
        weeks = await _weeks(session, {checkin.id for _, checkin in rows})
        messages: dict[int, Reply] = {}
        for item in due:
            if item.subject_id not in found:
                continue
            week, checkin = found[item.subject_id]
            if week.status != streaks.OPEN or checkin.status != "active":
                continue
            if week.member_id != item.member_id:
                continue
            marks = [streaks.WeekMark(w[0], w[1], w[2]) for w in weeks.get(checkin.id, [])]
            streak = streaks.streak(marks)
            if nudge:
                messages[item.id] = views.prompt(
                    week.id, checkin.id, goal=checkin.goal, streak=streak, nudge=True
                )
            elif streak and checkin.next_at is not None:
                messages[item.id] = views.warning(
                    week.id, streak=streak, closes=checkin.next_at, tz=item.tz, now=item.occurrence
                )
        return messages

    async def compose_digest(
        self, session: AsyncSession, due: Sequence[Due]
    ) -> Mapping[int, Reply]:
        messages: dict[int, Reply] = {}
        for item in due:
            digest = await team.digest(session, item.subject_id, item.occurrence)
            messages[item.id] = team.digest_reply(digest)
        return messages

    async def describe(
        self, session: AsyncSession, subject_ids: Sequence[int]
    ) -> Mapping[int, str]:
        return {subject: "your weekly check-in" for subject in subject_ids}


async def _closed(session: AsyncSession, member_ids: set[int | None]) -> set[int]:
    """Members whose last check-in DM found their DMs closed and who have not been back since:
    not prompted again (a refused DM counts against the bot) until the notice has reached them."""
    found = await session.scalars(
        select(Delivery.member_id)
        .where(
            Delivery.family == schedule.FAMILY,
            Delivery.status == DeliveryStatus.UNDELIVERED,
            Delivery.member_id.in_({m for m in member_ids if m is not None}),
        )
        .distinct()
    )
    return {member_id for member_id in found if member_id is not None}


async def _weeks(
    session: AsyncSession, checkin_ids: set[int]
) -> dict[int, list[tuple[datetime, str, float | None, int]]]:
    """Every week of these check-ins, oldest first, per check-in (one query)."""
    found: dict[int, list[tuple[datetime, str, float | None, int]]] = {}
    if not checkin_ids:
        return found
    rows = await session.execute(
        select(
            CheckinWeek.checkin_id,
            CheckinWeek.occurrence,
            CheckinWeek.status,
            CheckinWeek.hours,
            CheckinWeek.id,
        )
        .where(CheckinWeek.checkin_id.in_(checkin_ids))
        .order_by(CheckinWeek.occurrence)
    )
    for checkin_id, occurrence, status, hours, week_id in rows:
        found.setdefault(checkin_id, []).append((occurrence, status, hours, week_id))
    return found
