"""The reminders feature: its commands, its two delivery kinds, its home section and its data."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Actor, Reply
from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.profile.service import MemberInfo
from bot.queue import DeliveryKind
from bot.reminders.commands import ReminderCommands
from bot.reminders.firing import ReminderDeliveries
from bot.reminders.schedule import CANCELLED, FAMILY
from bot.router import Router
from bot.storage.tables import Delivery, Reminder, ReminderFollower


class ReminderFeature(FeatureBase):
    """`/remind`, `/reminders`, "Remind me about this", and the reminder DMs."""

    name = "reminders"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.commands = ReminderCommands(context)
        self.deliveries = ReminderDeliveries(context.settings.default_timezone)
        # A repeating reminder keeps its owner's wall-clock time when their zone changes.
        context.profiles.on_zone_change(self.commands.reminders.follow_zone)

    def register(self, router: Router) -> None:
        self.commands.register(router)

    def delivery_kinds(self) -> Sequence[DeliveryKind]:
        return self.deliveries.kinds()

    async def home_section(self, actor: Actor) -> Reply | None:
        listing = await self.commands.list_page(actor, 1)
        return listing.replies[0] if listing.replies else None

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        owned = (
            await session.scalars(
                select(Reminder).where(Reminder.owner_id == member.id).order_by(Reminder.id)
            )
        ).all()
        following = (
            await session.scalars(
                select(ReminderFollower.reminder_id)
                .where(ReminderFollower.member_id == member.id)
                .order_by(ReminderFollower.reminder_id)
            )
        ).all()
        deliveries = (
            await session.execute(
                select(Delivery.subject_id, Delivery.kind, Delivery.occurrence, Delivery.status)
                .where(Delivery.member_id == member.id, Delivery.family == FAMILY)
                .order_by(Delivery.occurrence, Delivery.id)
            )
        ).all()
        return {
            "reminders": [
                {
                    "id": reminder.id,
                    "text": reminder.text,
                    "repeat_rule": reminder.rule,
                    "first_at": reminder.first_at.isoformat(),
                    "next_at": reminder.next_at.isoformat() if reminder.next_at else None,
                    "status": reminder.status,
                    "shared_in_channel": reminder.shared,
                    "source_link": reminder.source_link,
                    "source_excerpt": reminder.source_excerpt,
                    "created_at": reminder.created_at.isoformat(),
                }
                for reminder in owned
            ],
            "following": list(following),
            "deliveries": [
                {
                    "reminder_id": row.subject_id,
                    "kind": row.kind,
                    "at": row.occurrence.isoformat(),
                    "status": row.status,
                }
                for row in deliveries
            ],
        }

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        """Their reminders (with every delivery of them, to anyone), follows and deliveries.

        A shared reminder that others joined is first handed to each of them as their own
        private copy, without the author (ADR 0005): they asked to be reminded, and that
        should not depend on someone else's erasure.
        """
        await self._hand_over_shared(session, member)
        owned = select(Reminder.id).where(Reminder.owner_id == member.id).scalar_subquery()
        notice_family = CANCELLED.partition(".")[0]
        removed = 0
        for statement in (
            delete(Delivery).where(
                Delivery.family.in_((FAMILY, notice_family)),
                or_(Delivery.member_id == member.id, Delivery.subject_id.in_(owned)),
            ),
            delete(ReminderFollower).where(ReminderFollower.member_id == member.id),
            delete(Reminder).where(Reminder.owner_id == member.id),
        ):
            result = await session.execute(statement.execution_options(synchronize_session=False))
            removed += int(getattr(result, "rowcount", 0) or 0)
        return removed

    async def _hand_over_shared(self, session: AsyncSession, member: MemberInfo) -> None:
        """Give each follower of the member's live reminders a copy that is theirs, with their
        pending firings and snoozes moved onto it."""
        live = (
            await session.scalars(
                select(Reminder).where(
                    Reminder.owner_id == member.id,
                    Reminder.workspace_id == member.workspace_id,
                    Reminder.status.in_(("active", "paused")),
                )
            )
        ).all()
        by_id = {reminder.id: reminder for reminder in live}
        if not by_id:
            return
        joined = (
            await session.execute(
                select(ReminderFollower.reminder_id, ReminderFollower.member_id)
                .where(ReminderFollower.reminder_id.in_(list(by_id)))
                .order_by(ReminderFollower.reminder_id, ReminderFollower.member_id)
            )
        ).all()
        now = self.context.clock.now()
        for reminder_id, follower_id in joined:
            original = by_id[reminder_id]
            copy = Reminder(
                workspace_id=original.workspace_id,
                owner_id=follower_id,
                text=original.text,
                rule=original.rule,
                first_at=original.first_at,
                next_at=original.next_at,
                status=original.status,
                channel_id=None,
                shared=False,
                source_link=original.source_link,
                source_excerpt=original.source_excerpt,
                created_at=now,
            )
            session.add(copy)
            await session.flush()
            await session.execute(
                update(Delivery)
                .where(
                    Delivery.family == FAMILY,
                    Delivery.subject_id == reminder_id,
                    Delivery.member_id == follower_id,
                )
                .values(subject_id=copy.id)
                .execution_options(synchronize_session=False)
            )
