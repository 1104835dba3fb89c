"""The check-ins feature: `/checkin`, the weekly prompts, the team digest and the member's data.

The digest is one APScheduler cron job, at the top of every hour (UTC): calendar jobs are fixed
when the core starts, but each workspace chooses its own local day and hour, so each hour the job
queues the digest of every workspace whose local time has just reached its digest time, as a
pending `checkin.digest` channel row keyed by that moment (a repeated run queues it once); the
delivery queue posts it like any other delivery.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar import CalendarJob
from bot.chat import Actor, Reply
from bot.checkins.commands import CheckinCommands
from bot.checkins.deliveries import CheckinDeliveries
from bot.checkins.schedule import DIGEST, FAMILY
from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.profile.service import MemberInfo
from bot.queue import DeliveryKind, delivery_row
from bot.router import Router
from bot.storage.tables import (
    Checkin,
    CheckinChannel,
    CheckinWeek,
    Delivery,
    Workspace,
)
from bot.storage.upsert import insert_ignore
from bot.time.zones import safe_zone

DIGEST_JOB = "checkin-digest"
log = logging.getLogger(__name__)


class CheckinFeature(FeatureBase):
    """Weekly accountability check-ins with streaks, nudges, a team digest and a report."""

    name = "checkins"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.commands = CheckinCommands(context)
        self.deliveries = CheckinDeliveries(context.settings.default_timezone)

    def register(self, router: Router) -> None:
        self.commands.register(router)

    def delivery_kinds(self) -> Sequence[DeliveryKind]:
        return self.deliveries.kinds()

    async def home_section(self, actor: Actor) -> Reply | None:
        return await self.commands.home(actor)

    def calendar_jobs(self) -> Sequence[CalendarJob]:
        return (CalendarJob(DIGEST_JOB, run=self.queue_digests, cron={"minute": 0}),)

    async def queue_digests(self) -> int:
        """Queue the digest of every workspace whose local digest hour is now; returns how many.

        Each digest is a pending `checkin.digest` channel row of the delivery queue, so it gets
        what every delivery gets: the exactly-once key, retries, the late notice and crash
        recovery (the platform is asked whether a post went out before its record was lost).
        Keyed by workspace and moment: a second run in that hour, here or in another process,
        queues nothing, even if the channel changed in between.
        """
        now = self.context.clock.now()
        queued = 0
        async with self.context.sessions.begin() as session:
            found = await session.execute(
                select(CheckinChannel, Workspace.platform, Workspace.default_tz).join(
                    Workspace, Workspace.id == CheckinChannel.workspace_id
                )
            )
            for channel, platform, zone in found.all():
                local = now.astimezone(safe_zone(zone, self.context.settings.default_timezone))
                if (local.weekday(), local.hour) != (channel.digest_weekday, channel.digest_hour):
                    continue
                at = local.replace(minute=0, second=0, microsecond=0)
                if await session.scalar(
                    select(Delivery.id).where(
                        Delivery.family == FAMILY,
                        Delivery.kind == DIGEST,
                        Delivery.subject_id == channel.workspace_id,
                        Delivery.occurrence == at,
                    )
                ):
                    continue
                row = delivery_row(
                    DIGEST,
                    channel.workspace_id,
                    workspace_id=channel.workspace_id,
                    platform=platform,
                    at=at,
                    channel_id=channel.channel_id,
                )
                queued += await insert_ignore(session, Delivery, row)
        if queued:
            self.context.wake_queue(now)
        return queued

    async def sweep(self, session: AsyncSession, now: datetime) -> int:
        """Check-in weeks (answers, hours, reasons) older than the operator's
        `MENTORBOT_CHECKIN_RETENTION_MONTHS`; with it unset they are kept."""
        months = self.context.settings.checkin_retention_months
        if months is None:
            return 0
        cutoff = now - relativedelta(months=months)
        result = await session.execute(
            delete(CheckinWeek)
            .where(CheckinWeek.occurrence < cutoff)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        checkin = await session.scalar(select(Checkin).where(Checkin.member_id == member.id))
        weeks = (
            await session.scalars(
                select(CheckinWeek)
                .where(CheckinWeek.member_id == member.id)
                .order_by(CheckinWeek.occurrence)
            )
        ).all()
        return {
            "checkin": None
            if checkin is None
            else {
                "repeat_rule": checkin.rule,
                "status": checkin.status,
                "goal": checkin.goal,
                "target_role": checkin.target_role,
                "shared_in_channel": checkin.share,
                "quiet_hours_minutes": [checkin.quiet_start, checkin.quiet_end],
                "next_at": _iso(checkin.next_at),
                "paused_until": _iso(checkin.paused_until),
            },
            "weeks": [
                {
                    "at": week.occurrence.isoformat(),
                    "status": week.status,
                    "answers": json.loads(week.answers or "{}"),
                    "hours": week.hours,
                    "confidence": week.confidence,
                    "skip_reason": week.skip_reason,
                }
                for week in weeks
            ],
        }

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        """Their check-in, every week of it, and its queued messages."""
        removed = 0
        for statement in (
            delete(Delivery).where(Delivery.family == FAMILY, Delivery.member_id == member.id),
            delete(CheckinWeek).where(CheckinWeek.member_id == member.id),
            delete(Checkin).where(Checkin.member_id == member.id),
        ):
            result = await session.execute(statement.execution_options(synchronize_session=False))
            removed += int(getattr(result, "rowcount", 0) or 0)
        return removed


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
