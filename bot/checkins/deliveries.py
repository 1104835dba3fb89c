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
from bot.checkins.service import insert_week
from bot.queue import Claim, DeliveryKind, Due, delivery_row, enqueue
from bot.storage.tables import Checkin, CheckinWeek, Delivery, DeliveryStatus, Member, Workspace
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
        for claim in claims:
            if claim.subject_id not in found:
                continue
            checkin, member_tz, workspace_tz, platform = found[claim.subject_id]
            tz = safe_zone(member_tz or workspace_tz, self.default_tz)
            occurrence = claim.occurrence
            await insert_week(session, checkin, occurrence, now)
            await session.execute(
                update(CheckinWeek)
                .where(
                    CheckinWeek.checkin_id == checkin.id,
                    CheckinWeek.status == streaks.OPEN,
                    CheckinWeek.occurrence < occurrence,
                )
                .values(status=streaks.MISSED, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            upcoming = schedule.next_prompt(checkin, max(now, occurrence), tz)
            if upcoming is None:
                continue
            await schedule.queue_prompt(session, checkin, platform, upcoming)
            week_id = await session.scalar(
                select(CheckinWeek.id).where(
                    CheckinWeek.checkin_id == checkin.id, CheckinWeek.occurrence == occurrence
                )
            )
            assert week_id is not None
            quiet = checkin.quiet_start, checkin.quiet_end
            nudge_at = schedule.out_of_quiet_hours(
                occurrence + timedelta(hours=checkin.nudge_hours), tz, *quiet
            )
            later = []
            if nudge_at < upcoming:
                later.append((NUDGE, nudge_at))
            marks = [
                streaks.WeekMark(*row)
                for row in await session.execute(
                    select(CheckinWeek.occurrence, CheckinWeek.status, CheckinWeek.hours).where(
                        CheckinWeek.checkin_id == checkin.id
                    )
                )
            ]
            warn_at = schedule.out_of_quiet_hours(upcoming - schedule.WARN_BEFORE, tz, *quiet)
            if streaks.streak(marks) and occurrence < warn_at < upcoming and warn_at > nudge_at:
                later.append((WARNING, warn_at))
            await enqueue(
                session,
                [
                    delivery_row(
                        kind,
                        week_id,
                        workspace_id=checkin.workspace_id,
                        platform=platform,
                        at=at,
                        member_id=checkin.member_id,
                    )
                    for kind, at in later
                ],
            )

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
