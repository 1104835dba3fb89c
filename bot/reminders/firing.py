"""What happens when reminder deliveries come due: schedule what follows, then compose the DMs.

`prepare` runs inside the dispatcher's claim transaction, so the next occurrence of a repeating
reminder is stored in the same commit that claims the current one: a crash can never lose the
series. `send` composes each DM and hands it to the member's platform.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import markup
from bot.chat import Button, ButtonStyle, Recipient, Reply
from bot.delivery import DeliveryError, Messenger, RateLimiter
from bot.dispatcher import Outcome
from bot.reminders.schedule import schedule_everyone
from bot.storage.tables import Delivery, Member, Reminder, Workspace
from bot.time import timefmt
from bot.time.recurrence import next_occurrence
from bot.time.zones import safe_zone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    delivery_id: int
    platform: str
    workspace: str
    user_id: str
    tz_name: str
    text: str
    occurrence: datetime
    rule: str | None
    source_link: str | None
    source_excerpt: str | None


class Firing:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        messengers: Mapping[str, Messenger],
        limiters: Mapping[str, RateLimiter],
        now: Callable[[], datetime],
        default_tz: str,
        late_after: float,
    ) -> None:
        self.sessions = sessions
        self.messengers = messengers
        self.limiters = limiters
        self.now = now
        self.default_tz = default_tz
        self.late_after = late_after
        # Members with a reminder we could not DM (closed DMs): checked on each of their
        # commands without a query; refreshed from the database for other processes' failures.
        self.undelivered: set[tuple[str, str, str]] = set()

    async def load_undelivered(self) -> None:
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(Workspace.platform, Workspace.external_id, Member.user_id)
                    .join(Member, Member.workspace_id == Workspace.id)
                    .join(Delivery, Delivery.member_id == Member.id)
                    .where(Delivery.status == "undelivered")
                    .distinct()
                )
            ).all()
        self.undelivered = {(row[0], row[1], row[2]) for row in rows}

    async def prepare(self, session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
        """Advance each fired reminder: the next occurrence for repeating ones, done otherwise."""
        rows = (
            await session.execute(
                select(
                    Reminder,
                    Delivery.occurrence,
                    Member.tz,
                    Workspace.default_tz,
                    Workspace.platform,
                )
                .join(Delivery, Delivery.reminder_id == Reminder.id)
                .join(Member, Member.id == Reminder.owner_id)
                .join(Workspace, Workspace.id == Reminder.workspace_id)
                .where(Delivery.id.in_(ids), Delivery.kind == "fire")
            )
        ).all()
        seen: set[int] = set()
        finished: list[int] = []
        plans: dict[str, list[tuple[Reminder, datetime]]] = {}
        for reminder, occurrence, member_tz, workspace_tz, platform in rows:
            if reminder.id in seen or reminder.status != "active":
                continue
            seen.add(reminder.id)
            if reminder.rule is None:
                finished.append(reminder.id)
                continue
            tz = safe_zone(member_tz or workspace_tz, self.default_tz)
            after = max(now, occurrence)
            upcoming = next_occurrence(reminder.rule, first=reminder.first_at, after=after, tz=tz)
            if upcoming is None:
                finished.append(reminder.id)
                continue
            if reminder.next_at is None or upcoming > reminder.next_at:
                reminder.next_at = upcoming
            plans.setdefault(platform, []).append((reminder, upcoming))
        for platform, planned in plans.items():
            # Revives a row an edit or a pause cancelled at this same moment, or the series ends.
            await schedule_everyone(session, planned, platform)
        if finished:
            await session.execute(
                update(Reminder)
                .where(Reminder.id.in_(finished), Reminder.rule.is_(None))
                .values(status="done", next_at=None)
                .execution_options(synchronize_session=False)
            )

    async def send(self, ids: Sequence[int]) -> list[Outcome]:
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(
                        Delivery.id,
                        Delivery.platform,
                        Workspace.external_id,
                        Member.user_id,
                        Member.tz,
                        Workspace.default_tz,
                        Reminder.text,
                        Delivery.occurrence,
                        Reminder.rule,
                        Reminder.source_link,
                        Reminder.source_excerpt,
                    )
                    .join(Reminder, Reminder.id == Delivery.reminder_id)
                    .join(Member, Member.id == Delivery.member_id)
                    .join(Workspace, Workspace.id == Delivery.workspace_id)
                    .where(Delivery.id.in_(ids))
                )
            ).all()
        due = [
            Due(
                delivery_id=row[0],
                platform=row[1],
                workspace=row[2],
                user_id=row[3],
                tz_name=safe_zone(row[4] or row[5], self.default_tz).key,
                text=row[6],
                occurrence=row[7],
                rule=row[8],
                source_link=row[9],
                source_excerpt=row[10],
            )
            for row in rows
        ]
        return list(await asyncio.gather(*(self._send_one(item) for item in due)))

    async def _send_one(self, item: Due) -> Outcome:
        messenger = self.messengers.get(item.platform)
        if messenger is None:
            return Outcome(item.delivery_id, retry_after=60.0)
        limiter = self.limiters[item.platform]
        async with limiter.in_flight:
            await limiter.acquire()
            reply = compose(item, self.now(), self.late_after)
            recipient = Recipient(item.platform, item.workspace, item.user_id)
            try:
                message_id = await messenger.send_direct(
                    recipient, reply, key=f"mentorbot-d{item.delivery_id}"
                )
            except DeliveryError as error:
                if error.permanent:
                    self.undelivered.add((item.platform, item.workspace, item.user_id))
                    return Outcome(item.delivery_id, permanent_error=error.reason)
                if error.retry_after:
                    limiter.pause(error.retry_after)
                return Outcome(item.delivery_id, retry_after=error.retry_after or 30.0)
            except Exception:  # a bug or an unknown failure must not lose the delivery
                log.exception("sending delivery %s failed", item.delivery_id)
                return Outcome(item.delivery_id, retry_after=60.0)
        return Outcome(item.delivery_id, message_id=message_id)


def compose(item: Due, now: datetime, late_after: float) -> Reply:
    """The reminder DM: the text, where it came from, an apology if late, and its buttons."""
    lines = [f"⏰ **Reminder:** {markup.escape(item.text)}"]
    if item.source_excerpt:
        lines.append(f"> {markup.escape(item.source_excerpt)}")
    if item.source_link:
        lines.append(markup.link("Jump to the message", item.source_link))
    late = (now - item.occurrence).total_seconds()
    if late > late_after:
        lines.append(
            f"__Sorry, this is {timefmt.lateness(late)} late: mentorbot was offline or busy.__"
        )
    if item.rule:
        lines.append(f"__This reminder repeats.__ Manage it with {markup.code('/reminders')}.")
    value = str(item.delivery_id)
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
