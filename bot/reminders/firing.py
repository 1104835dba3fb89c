"""The reminder delivery kinds: what happens when a reminder's delivery comes due.

`prepare` runs inside the queue's claim transaction, so the next occurrence of a repeating
reminder is stored in the same commit that claims the current one: a crash can never lose the
series. `compose` builds each DM (one query per claimed batch). Sending, the late notice, retries
and closed DMs are the queue's (`bot.queue`), not this module's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import markup
from bot.chat import Button, ButtonStyle, Reply
from bot.queue import Claim, DeliveryKind, Due
from bot.reminders.schedule import CANCELLED, FIRE, SNOOZE, Planned, schedule_everyone
from bot.storage.tables import Member, Reminder, Workspace
from bot.time.recurrence import next_occurrence
from bot.time.zones import safe_zone

_REMINDERS = cast(Table, Reminder.__table__)
NEXT_AT = (
    update(_REMINDERS)
    .where(_REMINDERS.c.id == bindparam("reminder"))
    .values(next_at=bindparam("upcoming"))
)


@dataclass(frozen=True)
class Fired:
    """What one reminder DM shows."""

    delivery_id: int
    text: str
    rule: str | None
    source_link: str | None
    source_excerpt: str | None


class ReminderDeliveries:
    """The handlers of `reminder.fire` and `reminder.snooze`."""

    def __init__(self, default_tz: str) -> None:
        self.default_tz = default_tz

    def kinds(self) -> tuple[DeliveryKind, ...]:
        return (
            DeliveryKind(FIRE, self.compose, prepare=self.prepare, describe=self.describe),
            DeliveryKind(SNOOZE, self.compose, describe=self.describe),
            DeliveryKind(CANCELLED, self.compose_cancelled, describe=self.describe_cancelled),
        )

    async def prepare(self, session: AsyncSession, claims: Sequence[Claim], now: datetime) -> None:
        """Advance each fired reminder: the next occurrence for repeating ones, done otherwise.

        Core statements, no ORM objects: this runs inside every claim, so its cost is paid by
        every delivery of a burst. One-off reminders are finished by one UPDATE; only when some
        subject was not one of them is a second query needed, to plan the repeating ones.
        """
        occurrences: dict[int, datetime] = {}
        for claim in claims:
            occurrences.setdefault(claim.subject_id, claim.occurrence)
        finished = await session.execute(
            update(Reminder)
            .where(
                Reminder.id.in_(occurrences),
                Reminder.status == "active",
                Reminder.rule.is_(None),
            )
            .values(status="done", next_at=None)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        )
        others = occurrences.keys() - set(finished.scalars())
        if not others:
            return
        rows = await session.execute(
            select(
                Reminder.id,
                Reminder.workspace_id,
                Reminder.owner_id,
                Reminder.rule,
                Reminder.first_at,
                Reminder.next_at,
                Member.tz,
                Workspace.default_tz,
                Workspace.platform,
            )
            .join(Member, Member.id == Reminder.owner_id)
            .join(Workspace, Workspace.id == Reminder.workspace_id)
            .where(
                Reminder.id.in_(others),
                Reminder.status == "active",
                Reminder.rule.is_not(None),
            )
        )
        later: list[dict[str, object]] = []
        plans: dict[str, list[tuple[Planned, datetime]]] = {}
        for row in rows:
            tz = safe_zone(row.tz or row.default_tz, self.default_tz)
            after = max(now, occurrences[row.id])
            upcoming = next_occurrence(row.rule, first=row.first_at, after=after, tz=tz)
            if upcoming is None:
                continue  # the series has ended: nothing more to schedule
            if row.next_at is None or upcoming > row.next_at:
                later.append({"reminder": row.id, "upcoming": upcoming})
            plans.setdefault(row.platform, []).append((row, upcoming))
        if later:
            await session.execute(NEXT_AT, later)
        for platform, planned in plans.items():
            # Revives a row an edit or a pause cancelled at this same moment.
            await schedule_everyone(session, planned, platform)

    async def compose(self, session: AsyncSession, due: Sequence[Due]) -> Mapping[int, Reply]:
        found = await session.execute(
            select(
                Reminder.id,
                Reminder.text,
                Reminder.rule,
                Reminder.source_link,
                Reminder.source_excerpt,
            ).where(Reminder.id.in_({item.subject_id for item in due}))
        )
        reminders = {
            reminder_id: (text, rule, link, excerpt)
            for reminder_id, text, rule, link, excerpt in found
        }
        messages: dict[int, Reply] = {}
        for item in due:
            if item.subject_id not in reminders:
                continue  # deleted since it was queued: nothing to send
            text, rule, link, excerpt = reminders[item.subject_id]
            messages[item.id] = message(
                Fired(
                    delivery_id=item.id,
                    text=text,
                    rule=rule,
                    source_link=link,
                    source_excerpt=excerpt,
                )
            )
        return messages

    async def compose_cancelled(
        self, session: AsyncSession, due: Sequence[Due]
    ) -> Mapping[int, Reply]:
        """Tell a follower the owner cancelled the reminder they joined."""
        found = await session.execute(
            select(Reminder.id, Reminder.text, Member.display_name)
            .join(Member, Member.id == Reminder.owner_id)
            .where(Reminder.id.in_({item.subject_id for item in due}))
        )
        reminders = {row.id: (row.text, row.display_name) for row in found}
        messages: dict[int, Reply] = {}
        for item in due:
            if item.subject_id in reminders:
                text, owner = reminders[item.subject_id]
                messages[item.id] = cancelled_message(text, owner)
        return messages

    async def describe_cancelled(
        self, session: AsyncSession, subject_ids: Sequence[int]
    ) -> Mapping[int, str]:
        texts = await self.describe(session, subject_ids)
        return {key: f"{text} (cancelled by the person who set it)" for key, text in texts.items()}

    async def describe(
        self, session: AsyncSession, subject_ids: Sequence[int]
    ) -> Mapping[int, str]:
        """The reminder texts, for the closed-DM notice."""
        rows = await session.execute(
            select(Reminder.id, Reminder.text).where(Reminder.id.in_(set(subject_ids)))
        )
        return {row.id: row.text for row in rows}


def message(fired: Fired) -> Reply:
    """The reminder DM: the text, where it came from, and its buttons."""
    lines = [f"⏰ **Reminder:** {markup.escape(fired.text)}"]
    if fired.source_excerpt:
        lines.append(f"> {markup.escape(fired.source_excerpt)}")
    if fired.source_link:
        lines.append(markup.link("Jump to the message", fired.source_link))
    if fired.rule:
        lines.append(f"__This reminder repeats.__ Manage it with {markup.code('/reminders')}.")
    value = str(fired.delivery_id)
    buttons = (
        (
            Button("Snooze 10 min", "rem.snooze10", value),
            Button("1 hour", "rem.snooze60", value),
            Button("Tomorrow 09:00", "rem.snoozetomorrow", value),
            Button("Custom…", "rem.snoozecustom", value),
        ),
        (Button("Done", "rem.done", value, ButtonStyle.PRIMARY),),
    )
    return Reply(text="\n".join(lines), buttons=buttons, private=False)


def cancelled_message(text: str, owner: str) -> Reply:
    """The follower's DM when the owner cancels: what it was, who cancelled, nothing to press."""
    who = markup.escape(owner) if owner else "The person who set it"
    return Reply(
        f"🗑 {who} cancelled a reminder you joined: {markup.escape(text)}\n"
        "You won't be reminded about it.",
        private=False,
    )
