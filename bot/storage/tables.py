"""The ORM tables. Schema changes go through Alembic (`migrations/`), never `create_all`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter: APScheduler creates and owns its job table; it is not ours to migrate."""
    return not (type_ == "table" and name is not None and name.startswith("apscheduler"))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    """A Discord guild, a Slack team, or the console: every query is scoped to one."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    default_tz: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    # The platform's DM channel with this member, once opened: a repeat DM is one request.
    dm_channel_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reminder(Base):
    """What to remind about and when; the firings themselves are rows in `deliveries`."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_owner_status", "owner_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    rule: Mapped[str | None] = mapped_column(String(200))
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # active | paused | done | cancelled
    channel_id: Mapped[str | None] = mapped_column(String(64))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    source_link: Mapped[str | None] = mapped_column(String(500))
    source_excerpt: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderFollower(Base):
    """A member who pressed "Remind me too" on someone's reminder."""

    __tablename__ = "reminder_followers"

    reminder_id: Mapped[int] = mapped_column(
        ForeignKey("reminders.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Checkin(Base):
    """A member's weekly check-in: when it is due in their zone, their goal, and its state.

    The prompts themselves are `checkin.*` rows in `deliveries`; each week's answer is a
    `CheckinWeek`.
    """

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(200))  # weekly RRULE in the member's wall time
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    goal: Mapped[str] = mapped_column(String(300), default="")
    target_role: Mapped[str] = mapped_column(String(100), default="")
    share: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))  # active | paused | stopped
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    quiet_start: Mapped[int] = mapped_column(Integer, default=22 * 60)  # minutes after midnight
    quiet_end: Mapped[int] = mapped_column(Integer, default=8 * 60)
    nudge_hours: Mapped[int] = mapped_column(Integer, default=24)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckinWeek(Base):
    """One week of one member's check-in: prompted at `occurrence`, then answered, skipped
    (with a reason) or missed. Streaks are counted from these rows."""

    __tablename__ = "checkin_weeks"
    __table_args__ = (
        UniqueConstraint("checkin_id", "occurrence"),
        Index("ix_checkin_weeks_workspace_occurrence", "workspace_id", "occurrence"),
        Index("ix_checkin_weeks_member_occurrence", "member_id", "occurrence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # open | answered | skipped | missed
    answers: Mapped[str] = mapped_column(Text, default="{}")  # question id -> text, as JSON
    hours: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[int | None] = mapped_column(Integer)
    skip_reason: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckinChannel(Base):
    """A workspace's accountability channel and the local time of its weekly digest."""

    __tablename__ = "checkin_channels"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(64))
    digest_weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    digest_hour: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveryStatus(StrEnum):
    """Where a delivery row is in its life; the queue and the features share these names."""

    PENDING = "pending"  # waiting for `due_at`
    SENDING = "sending"  # claimed by a queue; the send is under way
    SENT = "sent"  # the platform accepted it
    DONE = "done"  # sent, and the member acted on it (e.g. "Done" on a reminder)
    CANCELLED = "cancelled"  # withdrawn before it was sent (revived if scheduled again)
    FAILED = "failed"  # gave up: a crash interrupted it twice, or nothing was left to send
    UNDELIVERED = "undelivered"  # the member's DMs are closed: shown on their next command
    SHOWN = "shown"  # an undelivered one that the member has now seen


FINISHED = (
    DeliveryStatus.SENT,
    DeliveryStatus.DONE,
    DeliveryStatus.CANCELLED,
    DeliveryStatus.SHOWN,
    DeliveryStatus.FAILED,
)


class Delivery(Base):
    """One message due to one destination at one moment: the delivery queue's row.

    `kind` (e.g. `reminder.fire`) says which feature handler composes it and `subject_id` which of
    that feature's rows it is about. The key is (family, subject, destination, occurrence), where
    `family` is the part of `kind` before the dot: a fire and a snooze of one reminder to one member
    at one moment are the same delivery, so computing a firing twice cannot send it twice.
    `destination` is `member:<id>` (a DM) or `channel:<id>` (a post, not sent yet): SQL treats NULLs
    as distinct, so a key over the nullable `member_id`/`channel_id` would not deduplicate.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint(
            "family", "subject_id", "destination", "occurrence", name="uq_deliveries_key"
        ),
        Index("ix_deliveries_status_due", "status", "due_at"),
        Index("ix_deliveries_member_status", "member_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    family: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    destination: Mapped[str] = mapped_column(String(80))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # a DeliveryStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    recoveries: Mapped[int] = mapped_column(Integer, default=0)  # requeued after a crash
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(200))


class Flow(Base):
    """Where a member is in a multi-step interaction (a form waiting for its message, a
    questionnaire half answered): read and written only through `bot.flows`.

    Buttons and forms carry just an id, and a restart must not lose a half-finished action, so the
    state lives here. One row per member and flow name: starting again replaces it.
    """

    __tablename__ = "flows"
    # AUTOINCREMENT: SQLite would otherwise reuse a finished flow's id, and an old button naming
    # it could then move a new flow of the same member.
    __table_args__ = (UniqueConstraint("member_id", "name"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    step: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(Text)  # the flow's pydantic model, as JSON
    history: Mapped[str] = mapped_column(Text, default="[]")  # earlier states, for Back
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SeenEvent(Base):
    """Keys of inbound requests already handled, so a replayed request has no second effect."""

    __tablename__ = "seen_events"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class RolefitResult(Base):
    """One finished role-fit questionnaire: the answers and the scores as they were shown.

    The scores are kept as shown, not recomputed, so `/rolefit history` compares what the
    member actually saw even after the questionnaire's weights change.
    """

    __tablename__ = "rolefit_results"
    __table_args__ = (Index("ix_rolefit_results_member_taken", "member_id", "taken_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answers: Mapped[str] = mapped_column(Text)  # {"question id": ["answer id", ...]}
    scores: Mapped[str] = mapped_column(Text)  # [["role id", percent], ...], best first
