"""Reminders: create, follow, list, edit, pause, snooze and cancel, each in one transaction.

A reminder says what and when; every firing to every recipient is a row in `deliveries` that the
dispatcher drains. So a member's "upcoming" reminders are their pending deliveries (plus paused
recurring ones), and snoozing is just another delivery row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Boolean, Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.service import limit_for_workspace, shared_in_channel
from bot.errors import Problem
from bot.paging import Page, paginate
from bot.profile.service import MemberInfo, ZoneChange
from bot.queue import delivery_row, enqueue
from bot.reminders.schedule import (
    CANCELLED,
    FAMILY,
    FIRE,
    SNOOZE,
    reminder_row,
    schedule_everyone,
)
from bot.storage.tables import (
    Delivery,
    DeliveryStatus,
    Member,
    Reminder,
    ReminderFollower,
    Workspace,
)
from bot.storage.upsert import insert_ignore
from bot.time.recurrence import localize, next_occurrence, rule_parts
from bot.time.zones import get_zone, safe_zone

ACTIVE = ("active", "paused")
PAGE_SIZE = 4

REMINDERS = cast(Table, Reminder.__table__)
ACTIVE_COUNT = (
    select(func.count())
    .select_from(REMINDERS)
    .where(REMINDERS.c.owner_id == bindparam("owner_id"), REMINDERS.c.status.in_(ACTIVE))
)
NEW_COLUMNS = (
    "workspace_id",
    "owner_id",
    "text",
    "rule",
    "first_at",
    "next_at",
    "status",
    "channel_id",
    "shared",
    "source_link",
    "source_excerpt",
    "created_at",
)
WORKSPACE = bindparam("workspace_id", type_=REMINDERS.c.workspace_id.type)
# The workspace's own settings (its admins') decide, in the same statement: a reminder asked to
# be shared in a channel is shared only if the channel rule lets this member, and the limit is
# the workspace's, within the operator's maximum.
NEW_VALUES = [
    shared_in_channel(WORKSPACE, bindparam("shared", type_=Boolean), bindparam("is_admin"))
    if name == "shared"
    else bindparam(name, type_=REMINDERS.c[name].type)
    for name in NEW_COLUMNS
]
INSERT_UNDER_LIMIT = (
    insert(REMINDERS)
    .from_select(
        NEW_COLUMNS,
        select(*NEW_VALUES).where(
            ACTIVE_COUNT.scalar_subquery() < limit_for_workspace(WORKSPACE, bindparam("limit"))
        ),
    )
    .returning(REMINDERS.c.id, REMINDERS.c.shared)
)
INSERT_DELIVERY = insert(cast(Table, Delivery.__table__))


class ReminderProblem(Problem):
    """A reminder request that cannot be done."""


@dataclass(frozen=True)
class ReminderView:
    id: int
    text: str
    rule: str | None
    status: str
    next_at: datetime | None
    is_owner: bool
    owner_user_id: str
    followers: int
    shared: bool
    source_link: str | None
    source_excerpt: str | None
    undelivered: bool = False  # a firing could not be delivered (DMs closed)
    owner_tz: str = "UTC"  # the owner's zone: a shared message is drawn in it, whoever pressed


@dataclass(frozen=True)
class NewReminder:
    text: str
    at: datetime
    rule: str | None
    channel_id: str | None
    shared: bool
    source_link: str | None = None
    source_excerpt: str | None = None
    by_admin: bool = False  # whether the workspace's channel rule lets `shared` stand


class Reminders:
    def __init__(
        self, *, max_active: int, now: Callable[[], datetime], default_tz: str = "UTC"
    ) -> None:
        self.max_active = max_active
        self.now = now
        self.default_tz = default_tz

    async def create(
        self, session: AsyncSession, member: MemberInfo, new: NewReminder
    ) -> ReminderView:
        now = self.now()
        # One statement checks the limit and inserts (race-free, and one round trip fewer on
        # the busiest command's hot path); Core statements, not ORM objects, for the same reason.
        inserted = await session.execute(
            INSERT_UNDER_LIMIT,
            {
                "workspace_id": member.workspace_id,
                "owner_id": member.id,
                "text": new.text,
                "rule": new.rule,
                "first_at": new.at,
                "next_at": new.at,
                "status": "active",
                "channel_id": new.channel_id,
                "shared": new.shared,
                "source_link": new.source_link,
                "source_excerpt": new.source_excerpt,
                "created_at": now,
                "limit": self.max_active,
                "is_admin": new.by_admin,
            },
        )
        row = inserted.first()
        if row is None:
            active = await session.scalar(ACTIVE_COUNT, {"owner_id": member.id})
            raise ReminderProblem(
                f"You already have {active} active reminders, the most this community allows. "
                "Cancel some with `/reminders` first."
            )
        reminder_id, shared = int(row[0]), bool(row[1])
        await session.execute(
            INSERT_DELIVERY,
            reminder_row(member.workspace_id, member.platform, reminder_id, member.id, new.at),
        )
        return ReminderView(
            id=reminder_id,
            text=new.text,
            rule=new.rule,
            status="active",
            next_at=new.at,
            is_owner=True,
            owner_user_id=member.user_id,
            followers=0,
            shared=shared,
            source_link=new.source_link,
            source_excerpt=new.source_excerpt,
            owner_tz=member.tz_name,
        )

    async def view(
        self, session: AsyncSession, reminder_id: int, member: MemberInfo
    ) -> ReminderView:
        reminder = await self._get(session, reminder_id, member)
        return await self._view(session, reminder, member)

    async def follow(
        self, session: AsyncSession, reminder_id: int, member: MemberInfo, channel_id: str | None
    ) -> bool:
        """Add `member` to someone's reminder ("Remind me too"); False if already following.

        Only a reminder offered in `channel_id` (where the button was pressed; None for a DM) can
        be joined: the button's value is just an id, and a forged one must not reveal or deliver
        someone's private reminder, or one offered in another server's channel.
        """
        reminder = await self._get(session, reminder_id, member)
        if not reminder.shared or channel_id is None or reminder.channel_id != channel_id:
            raise ReminderProblem("I can't find that reminder in this channel.")
        if reminder.owner_id == member.id:
            raise ReminderProblem("It's your reminder: you'll be reminded anyway.")
        if reminder.status not in ACTIVE or reminder.next_at is None:
            raise ReminderProblem("That reminder has already fired or was cancelled.")
        added = await insert_ignore(
            session,
            ReminderFollower,
            {"reminder_id": reminder.id, "member_id": member.id, "created_at": self.now()},
        )
        if added and reminder.status == "active":
            # Revives the row a previous unfollow cancelled, if they follow again.
            await enqueue(
                session,
                [
                    reminder_row(
                        member.workspace_id,
                        member.platform,
                        reminder.id,
                        member.id,
                        reminder.next_at,
                    )
                ],
            )
        return added

    async def unfollow(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> str:
        """Leave a reminder joined with "Remind me too"; returns its text."""
        reminder = await self._get(session, reminder_id, member)
        if reminder.owner_id == member.id:
            raise ReminderProblem(
                "It's your reminder: press Cancel to cancel it for everyone who joined."
            )
        follower = await session.get(ReminderFollower, (reminder.id, member.id))
        if follower is None:
            raise ReminderProblem("You're not on this reminder.")
        await session.delete(follower)
        await _cancel_pending(session, reminder.id, member.id)
        return reminder.text

    async def list_for(
        self, session: AsyncSession, member: MemberInfo, page: int
    ) -> Page[ReminderView]:
        next_due = (
            select(
                Delivery.subject_id.label("rid"),
                func.min(Delivery.due_at).label("due"),
            )
            .where(
                Delivery.member_id == member.id,
                Delivery.family == FAMILY,
                Delivery.status == DeliveryStatus.PENDING,
            )
            .group_by(Delivery.subject_id)
            .subquery()
        )
        undelivered_ids = set(
            (
                await session.scalars(
                    select(Delivery.subject_id).where(
                        Delivery.member_id == member.id,
                        Delivery.family == FAMILY,
                        Delivery.status == DeliveryStatus.UNDELIVERED,
                    )
                )
            ).all()
        )
        query = (
            select(Reminder, next_due.c.due)
            .outerjoin(next_due, next_due.c.rid == Reminder.id)
            .where(
                Reminder.workspace_id == member.workspace_id,
                or_(
                    next_due.c.due.is_not(None),
                    and_(Reminder.owner_id == member.id, Reminder.status == "paused"),
                    Reminder.id.in_(undelivered_ids),
                ),
            )
        )
        rows = list((await session.execute(query)).all())
        far = datetime.max.replace(tzinfo=self.now().tzinfo)
        rows.sort(key=lambda row: (row[1] or far, row[0].id))
        window = paginate(rows, page, PAGE_SIZE)
        items = []
        for reminder, due in window.items:
            view = await self._view(session, reminder, member, next_at=due)
            if reminder.id in undelivered_ids:
                view = replace(view, undelivered=True)
            items.append(view)
        return window.with_items(items)

    async def cancel(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> str:
        """Owner: cancel for everyone. Follower: stop following. Returns the reminder text."""
        reminder = await self._get(session, reminder_id, member)
        if reminder.owner_id == member.id:
            was_on = reminder.status in ACTIVE
            reminder.status = "cancelled"
            reminder.next_at = None
            await _cancel_pending(session, reminder.id)
            if was_on:
                await self._tell_followers(session, reminder, member)
        else:
            await _cancel_pending(session, reminder.id, member.id)
            follower = await session.get(ReminderFollower, (reminder.id, member.id))
            if follower is None and not await _has_own_delivery(session, reminder.id, member.id):
                raise ReminderProblem("Only the person who set that reminder can cancel it.")
            if follower is not None:
                await session.delete(follower)
        return reminder.text

    async def _tell_followers(
        self, session: AsyncSession, reminder: Reminder, owner: MemberInfo
    ) -> None:
        """Queue a DM to everyone who joined: their reminder is gone, and who cancelled it."""
        followers = await session.scalars(
            select(ReminderFollower.member_id).where(ReminderFollower.reminder_id == reminder.id)
        )
        now = self.now()
        await enqueue(
            session,
            [
                delivery_row(
                    CANCELLED,
                    reminder.id,
                    workspace_id=owner.workspace_id,
                    platform=owner.platform,
                    member_id=follower,
                    at=now,
                )
                for follower in followers
            ],
        )

    async def edit(
        self,
        session: AsyncSession,
        reminder_id: int,
        member: MemberInfo,
        *,
        text: str | None = None,
        at: datetime | None = None,
        rule: str | None = None,
    ) -> None:
        reminder = await self._owned(session, reminder_id, member)
        if text is not None:
            reminder.text = text
        if at is not None:
            reminder.first_at = at
            reminder.next_at = at
            reminder.rule = rule
            reminder.status = "active"
            await _cancel_pending(session, reminder.id)
            await schedule_everyone(session, [(reminder, at)], member.platform)

    async def pause(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> None:
        reminder = await self._owned(session, reminder_id, member)
        if reminder.rule is None or reminder.status != "active":
            raise ReminderProblem("Only an active repeating reminder can be paused.")
        reminder.status = "paused"
        await _cancel_pending(session, reminder.id)

    async def resume(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> datetime:
        reminder = await self._owned(session, reminder_id, member)
        if reminder.rule is None or reminder.status != "paused":
            raise ReminderProblem("That reminder is not paused.")
        upcoming = next_occurrence(
            reminder.rule, first=reminder.first_at, after=self.now(), tz=member.tz
        )
        if upcoming is None:
            raise ReminderProblem("That repeating reminder has no more dates; it has ended.")
        reminder.status = "active"
        reminder.next_at = upcoming
        await schedule_everyone(session, [(reminder, upcoming)], member.platform)
        return upcoming

    async def end(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> None:
        reminder = await self._owned(session, reminder_id, member)
        reminder.status = "done"
        reminder.next_at = None
        await _cancel_pending(session, reminder.id)

    async def follow_zone(self, session: AsyncSession, change: ZoneChange) -> int:
        """Move the owners' repeating reminders to the same wall-clock times in their new zone.

        The owner's zone drives a series (followers get it when the owner does), so only the
        reminders the changed members own move. Each series is re-anchored (its start read as
        the same local time in the new zone, so a paused one resumes right too) and an active
        one's pending firings, to the owner and every follower, are replaced by the next one.
        Series of exact elapsed time ("every 3 hours") keep their instants. Returns how many moved.
        """
        old, new, now = get_zone(change.old), get_zone(change.new), self.now()
        found = await session.scalars(
            select(Reminder).where(
                Reminder.workspace_id == change.workspace_id,
                Reminder.owner_id.in_(change.member_ids),
                Reminder.rule.is_not(None),
                Reminder.status.in_(ACTIVE),
            )
        )
        moved: list[tuple[Reminder, datetime]] = []
        count = 0
        for reminder in found:
            rule = reminder.rule or ""
            if _elapsed_time(rule):
                continue
            local_first = reminder.first_at.astimezone(old).replace(tzinfo=None)
            reminder.first_at = localize(local_first, new)
            count += 1
            if reminder.status != "active":
                continue
            upcoming = next_occurrence(rule, first=reminder.first_at, after=now, tz=new)
            # Firings whose moment has come stay (one waiting for the queue, or for a retry
            # after a platform error, is still owed); only the future ones move.
            await session.execute(
                update(Delivery)
                .where(
                    Delivery.family == FAMILY,
                    Delivery.subject_id == reminder.id,
                    Delivery.kind == FIRE,
                    Delivery.status == DeliveryStatus.PENDING,
                    Delivery.occurrence > now,
                )
                .values(status=DeliveryStatus.CANCELLED)
            )
            if upcoming is None:
                reminder.status, reminder.next_at = "done", None
                continue
            reminder.next_at = upcoming
            moved.append((reminder, upcoming))
        await schedule_everyone(session, moved, change.platform)
        return count

    async def delivery_for(
        self, session: AsyncSession, delivery_id: int, member: MemberInfo
    ) -> tuple[Delivery, Reminder]:
        """A delivered message's row, only if it was delivered to `member` (owner-only buttons).

        The id comes from a button, so it is looked up within the member's workspace only.
        """
        delivery = await session.scalar(
            select(Delivery).where(
                Delivery.id == delivery_id,
                Delivery.workspace_id == member.workspace_id,
                Delivery.family == FAMILY,
            )
        )
        if delivery is None:
            raise ReminderProblem("I can't find that reminder any more.")
        if delivery.member_id != member.id:
            raise ReminderProblem("Those buttons belong to the person who got this reminder.")
        reminder = await session.scalar(
            select(Reminder).where(
                Reminder.id == delivery.subject_id, Reminder.workspace_id == member.workspace_id
            )
        )
        if reminder is None:
            raise ReminderProblem("I can't find that reminder any more.")
        return delivery, reminder

    async def snooze(
        self, session: AsyncSession, delivery_id: int, member: MemberInfo, until: datetime
    ) -> str:
        delivery, reminder = await self.delivery_for(session, delivery_id, member)
        if reminder.status == "cancelled":
            raise ReminderProblem("That reminder was cancelled by its owner.")
        await _cancel_pending(session, reminder.id, member.id, kind=SNOOZE)
        await enqueue(
            session,
            [
                reminder_row(
                    member.workspace_id, member.platform, reminder.id, member.id, until, SNOOZE
                )
            ],
        )
        if delivery.status == DeliveryStatus.SENT:
            delivery.status = DeliveryStatus.DONE
        return reminder.text

    async def done(self, session: AsyncSession, delivery_id: int, member: MemberInfo) -> str:
        delivery, reminder = await self.delivery_for(session, delivery_id, member)
        await _cancel_pending(session, reminder.id, member.id, kind=SNOOZE)
        if delivery.status == DeliveryStatus.SENT:
            delivery.status = DeliveryStatus.DONE
        return reminder.text

    async def _get(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> Reminder:
        """A reminder of the member's workspace (the id comes from a button or a form)."""
        reminder = await session.scalar(
            select(Reminder).where(
                Reminder.id == reminder_id, Reminder.workspace_id == member.workspace_id
            )
        )
        if reminder is None:
            raise ReminderProblem("I can't find that reminder any more.")
        return reminder

    async def _owned(self, session: AsyncSession, reminder_id: int, member: MemberInfo) -> Reminder:
        reminder = await self._get(session, reminder_id, member)
        if reminder.owner_id != member.id:
            raise ReminderProblem("Only the person who set that reminder can change it.")
        if reminder.status == "cancelled":
            raise ReminderProblem("That reminder was cancelled.")
        return reminder

    async def _view(
        self,
        session: AsyncSession,
        reminder: Reminder,
        member: MemberInfo,
        next_at: datetime | None = None,
    ) -> ReminderView:
        followers = await session.scalar(
            select(func.count())
            .select_from(ReminderFollower)
            .where(ReminderFollower.reminder_id == reminder.id)
        )
        owner = (
            await session.execute(
                select(Member.user_id, Member.tz, Workspace.default_tz)
                .join(Workspace, Workspace.id == Member.workspace_id)
                .where(Member.id == reminder.owner_id, Member.workspace_id == reminder.workspace_id)
            )
        ).one_or_none()
        owner_user, owner_tz, workspace_tz = owner or ("", None, None)
        return ReminderView(
            id=reminder.id,
            text=reminder.text,
            rule=reminder.rule,
            status=reminder.status,
            next_at=next_at or reminder.next_at,
            is_owner=reminder.owner_id == member.id,
            owner_user_id=owner_user or "",
            followers=followers or 0,
            shared=reminder.shared,
            source_link=reminder.source_link,
            source_excerpt=reminder.source_excerpt,
            owner_tz=safe_zone(owner_tz or workspace_tz, self.default_tz).key,
        )


async def _cancel_pending(
    session: AsyncSession,
    reminder_id: int,
    member_id: int | None = None,
    kind: str | None = None,
) -> None:
    query = update(Delivery).where(
        Delivery.family == FAMILY,
        Delivery.subject_id == reminder_id,
        Delivery.status == DeliveryStatus.PENDING,
    )
    if member_id is not None:
        query = query.where(Delivery.member_id == member_id)
    if kind is not None:
        query = query.where(Delivery.kind == kind)
    await session.execute(query.values(status=DeliveryStatus.CANCELLED))


def _elapsed_time(rule: str) -> bool:
    """ "every 3 hours": exact elapsed time, the same instants in any zone (see recurrence)."""
    parts = rule_parts(rule)
    exact = parts.get("FREQ") in ("HOURLY", "MINUTELY", "SECONDLY")
    return exact and not any(key.startswith("BY") for key in parts)


async def _has_own_delivery(session: AsyncSession, reminder_id: int, member_id: int) -> bool:
    found = await session.scalar(
        select(Delivery.id)
        .where(
            Delivery.family == FAMILY,
            Delivery.subject_id == reminder_id,
            Delivery.member_id == member_id,
        )
        .limit(1)
    )
    return found is not None


def snooze_choices(now: datetime, tz_now: datetime) -> dict[str, datetime]:
    """The fixed snooze buttons: 10 minutes, 1 hour, tomorrow 09:00 local."""
    tomorrow = (tz_now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    return {
        "rem.snooze10": now + timedelta(minutes=10),
        "rem.snooze60": now + timedelta(hours=1),
        "rem.snoozetomorrow": tomorrow,
    }
