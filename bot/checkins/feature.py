"""The check-ins feature: `/checkin`, the weekly prompts, the team digest and the member's data.

The digest is one APScheduler cron job, at the top of every hour (UTC): calendar jobs are fixed
when the core starts, but each workspace chooses its own local day and hour, so each hour the job
posts the digest of every workspace whose local time has just reached its digest time, recorded
as a `checkin.digest` channel row keyed by that moment (a repeated run posts it once).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar import CalendarJob
from bot.chat import Actor, Channel, Reply
from bot.checkins import team
from bot.checkins.commands import CheckinCommands
from bot.checkins.deliveries import CheckinDeliveries
from bot.checkins.schedule import DIGEST, FAMILY
from bot.context import Context
from bot.delivery import DeliveryError
from bot.features import JSON, FeatureBase
from bot.profile.service import MemberInfo
from bot.queue import DeliveryKind, delivery_row
from bot.router import Router
from bot.storage.tables import (
    Checkin,
    CheckinChannel,
    CheckinWeek,
    Delivery,
    DeliveryStatus,
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
        """Post the digest of every workspace whose local digest hour is now; returns how many.

        Each digest is a `checkin.digest` row keyed by its moment, inserted already `sending`
        (the queue does not post in channels yet, so it must not claim it): only the run that
        inserts it posts, so a second run in the same hour posts nothing. The post goes through
        the platform's `Messenger.post`, and the row records the outcome.
        """
        now = self.context.clock.now()
        planned: list[tuple[int, Channel, datetime]] = []
        async with self.context.sessions.begin() as session:
            found = await session.execute(
                select(
                    CheckinChannel, Workspace.platform, Workspace.external_id, Workspace.default_tz
                ).join(Workspace, Workspace.id == CheckinChannel.workspace_id)
            )
            for channel, platform, external_id, zone in found:
                local = now.astimezone(safe_zone(zone, self.context.settings.default_timezone))
                if (local.weekday(), local.hour) != (channel.digest_weekday, channel.digest_hour):
                    continue
                at = local.replace(minute=0, second=0, microsecond=0)
                row = delivery_row(
                    DIGEST,
                    channel.workspace_id,
                    workspace_id=channel.workspace_id,
                    platform=platform,
                    at=at,
                    channel_id=channel.channel_id,
                )
                row |= {"status": DeliveryStatus.SENDING, "claimed_at": now, "attempts": 1}
                if await insert_ignore(session, Delivery, row):
                    target = Channel(platform, external_id, channel.channel_id)
                    planned.append((channel.workspace_id, target, at))
        for workspace_id, target, at in planned:
            await self._post_digest(workspace_id, target, at)
        return len(planned)

    async def _post_digest(self, workspace_id: int, target: Channel, at: datetime) -> None:
        async with self.context.sessions() as session:
            reply = team.digest_reply(await team.digest(session, workspace_id, at))
        messenger = self.context.messengers.get(target.platform)
        values: dict[str, object] = {"status": DeliveryStatus.FAILED, "error": "platform offline"}
        if messenger is not None:
            try:
                key = f"mentorbot-digest-{workspace_id}-{int(at.timestamp())}"
                message_id = await messenger.post(target, reply, key=key)
            except DeliveryError as error:
                log.warning("check-in digest for workspace %s not posted: %s", workspace_id, error)
                values = {"status": DeliveryStatus.FAILED, "error": error.reason[:200]}
            else:
                values = {
                    "status": DeliveryStatus.SENT,
                    "sent_at": self.context.clock.now(),
                    "message_id": message_id,
                }
        async with self.context.sessions.begin() as session:
            await session.execute(
                update(Delivery)
                .where(
                    Delivery.kind == DIGEST,
                    Delivery.subject_id == workspace_id,
                    Delivery.occurrence == at,
                )
                .values(**values)
            )

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
