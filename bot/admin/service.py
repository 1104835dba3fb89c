"""A workspace's settings: read them (for the form and for other features) and change them.

Other features read what concerns them through the small functions at the top:
`reminder_rules` (the per-member limit and who may share reminders in channels), and the same
two as SQL, `limit_for_workspace` and `shared_in_channel`, so the reminder insert stays one
statement on the busiest command's hot path. The
default zone needs no function: the profile's member lookup already reads `workspaces.default_tz`.

`WorkspaceSettingsStore.apply` changes every field that differs in the caller's transaction and
writes one audit row per changed field, so a settings change is stored whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.tables import SettingsChange, WorkspaceSettings
from bot.profile.service import MemberInfo, Profiles
from bot.storage.tables import CheckinChannel, Member, Workspace
from bot.time.zones import safe_zone


class ChannelReminders(StrEnum):
    """Who may set a reminder in a channel that is shared there (with "Remind me too")."""

    EVERYONE = "everyone"
    ADMINS = "admins"
    NOBODY = "nobody"


CHANNEL_RULE_LABELS = {
    ChannelReminders.EVERYONE: "everyone",
    ChannelReminders.ADMINS: "admins only",
    ChannelReminders.NOBODY: "nobody (kept private)",
}


@dataclass(frozen=True)
class ReminderRules:
    """What the reminders feature needs from the workspace's settings."""

    max_active: int
    channel_reminders: ChannelReminders

    def may_share(self, is_admin: bool) -> bool:
        """May a reminder set in a channel by this member be shared there?"""
        if self.channel_reminders is ChannelReminders.EVERYONE:
            return True
        return self.channel_reminders is ChannelReminders.ADMINS and is_admin


def effective_limit(stored: int | None, operator_max: int) -> int:
    """The workspace's limit, never above the operator's (who may have lowered it since)."""
    return operator_max if stored is None else min(stored, operator_max)


def _channel_rule(value: str | None) -> ChannelReminders:
    try:
        return ChannelReminders(value or ChannelReminders.EVERYONE)
    except ValueError:
        return ChannelReminders.EVERYONE


async def reminder_rules(
    session: AsyncSession, workspace_id: int, operator_max: int
) -> ReminderRules:
    """The reminder limit and channel rule of `workspace_id` (operator defaults when unset)."""
    row = (
        await session.execute(
            select(
                WorkspaceSettings.max_active_reminders, WorkspaceSettings.channel_reminders
            ).where(WorkspaceSettings.workspace_id == workspace_id)
        )
    ).first()
    if row is None:
        return ReminderRules(operator_max, ChannelReminders.EVERYONE)
    return ReminderRules(effective_limit(row[0], operator_max), _channel_rule(row[1]))


def limit_for_workspace(
    workspace_id: ColumnElement[int], operator_max: ColumnElement[int]
) -> ColumnElement[int]:
    """SQL for the workspace's reminder limit, within the operator's maximum (a scalar
    subquery: the reminder insert checks the limit in the same statement, race-free)."""
    stored = (
        select(WorkspaceSettings.max_active_reminders)
        .where(
            WorkspaceSettings.workspace_id == workspace_id,
            WorkspaceSettings.max_active_reminders <= operator_max,
        )
        .scalar_subquery()
    )
    return func.coalesce(stored, operator_max)


async def record_change(
    session: AsyncSession, member: MemberInfo, fields: Sequence[str], at: datetime
) -> None:
    """Audit a settings change made elsewhere (`/timezone … workspace:true`, `/checkin channel`)
    in that change's transaction: who, when, which field."""
    session.add_all(
        SettingsChange(
            workspace_id=member.workspace_id, member_id=member.id, field=field, changed_at=at
        )
        for field in fields
    )


def shared_in_channel(
    workspace_id: ColumnElement[int], wanted: ColumnElement[bool], is_admin: ColumnElement[bool]
) -> ColumnElement[bool]:
    """SQL for "is a reminder asked to be shared in a channel shared?" under the workspace's
    channel rule (no row: everyone may), evaluated inside the reminder insert."""
    stored = (
        select(WorkspaceSettings.channel_reminders)
        .where(WorkspaceSettings.workspace_id == workspace_id)
        .scalar_subquery()
    )
    rule = func.coalesce(stored, ChannelReminders.EVERYONE.value)
    return and_(
        wanted,
        or_(
            rule == ChannelReminders.EVERYONE.value,
            and_(rule == ChannelReminders.ADMINS.value, is_admin),
        ),
    )


@dataclass(frozen=True)
class Digest:
    """The accountability channel and the local weekday (0 = Monday) and hour of its digest."""

    channel_id: str
    weekday: int
    hour: int


@dataclass(frozen=True)
class LastChange:
    field: str
    by: str  # display name, or "" for a member whose data was deleted
    at: datetime


@dataclass(frozen=True)
class WorkspaceView:
    """Everything `/admin settings` shows and the form starts from."""

    zone: str  # the effective default zone (the workspace's, else the operator's)
    zone_set: bool  # False: the operator's default applies
    digest: Digest | None
    max_active: int | None  # None: the operator's maximum applies
    operator_max: int
    channel_reminders: ChannelReminders
    last_changes: tuple[LastChange, ...] = ()


@dataclass(frozen=True)
class Wanted:
    """A validated settings form; `zone` is an IANA name."""

    zone: str
    digest: Digest | None
    max_active: int | None
    channel_reminders: ChannelReminders


FIELDS = ("default zone", "digest channel", "digest time", "reminder limit", "channel reminders")
SHOWN_CHANGES = 3


class WorkspaceSettingsStore:
    """Reads and changes one workspace's settings inside the caller's transaction."""

    def __init__(self, profiles: Profiles, now: Callable[[], datetime], operator_max: int) -> None:
        self.profiles = profiles
        self.now = now
        self.operator_max = operator_max

    async def view(self, session: AsyncSession, workspace_id: int) -> WorkspaceView:
        zone = await session.scalar(
            select(Workspace.default_tz).where(Workspace.id == workspace_id)
        )
        channel = await session.get(CheckinChannel, workspace_id)
        stored = await session.get(WorkspaceSettings, workspace_id)
        changes = await session.execute(
            select(
                SettingsChange.field,
                Member.display_name,
                Member.user_id,
                SettingsChange.changed_at,
            )
            .outerjoin(Member, Member.id == SettingsChange.member_id)
            .where(SettingsChange.workspace_id == workspace_id)
            .order_by(SettingsChange.changed_at.desc(), SettingsChange.id.desc())
            .limit(SHOWN_CHANGES)
        )
        return WorkspaceView(
            zone=safe_zone(zone, self.profiles.default_timezone).key,
            zone_set=zone is not None,
            digest=(
                Digest(channel.channel_id, channel.digest_weekday, channel.digest_hour)
                if channel is not None
                else None
            ),
            max_active=stored.max_active_reminders if stored is not None else None,
            operator_max=self.operator_max,
            channel_reminders=_channel_rule(stored.channel_reminders if stored else None),
            last_changes=tuple(
                LastChange(field, name or user or "", at) for field, name, user, at in changes
            ),
        )

    async def apply(
        self, session: AsyncSession, admin: MemberInfo, wanted: Wanted
    ) -> tuple[tuple[str, ...], int]:
        """Store what differs from the current settings, audited field by field.

        Returns the changed fields and how many repeating reminders moved with a new zone.
        """
        workspace_id = admin.workspace_id
        current = await self.view(session, workspace_id)
        now = self.now()
        changed: list[str] = []
        moved = 0
        if wanted.zone != current.zone:  # the prefilled, untouched zone is no change
            moved = await self.profiles.set_workspace_zone(session, workspace_id, wanted.zone)
            changed.append("default zone")
        changed.extend(await self._digest(session, workspace_id, current.digest, wanted.digest))
        stored = await session.get(WorkspaceSettings, workspace_id)
        if stored is None:
            stored = WorkspaceSettings(
                workspace_id=workspace_id,
                max_active_reminders=None,
                channel_reminders=ChannelReminders.EVERYONE.value,
                updated_at=now,
            )
            session.add(stored)
        if wanted.max_active != current.max_active:
            stored.max_active_reminders = wanted.max_active
            changed.append("reminder limit")
        if wanted.channel_reminders is not current.channel_reminders:
            stored.channel_reminders = wanted.channel_reminders.value
            changed.append("channel reminders")
        if changed:
            stored.updated_at = now
            await record_change(session, admin, changed, now)
        return tuple(changed), moved

    async def _digest(
        self,
        session: AsyncSession,
        workspace_id: int,
        current: Digest | None,
        wanted: Digest | None,
    ) -> list[str]:
        """Edit the row `/checkin channel` writes; the digest itself is the check-ins' concern."""
        if wanted == current:
            return []
        if wanted is None:
            await session.execute(
                delete(CheckinChannel).where(CheckinChannel.workspace_id == workspace_id)
            )
            return ["digest channel"]
        values = {
            "channel_id": wanted.channel_id,
            "digest_weekday": wanted.weekday,
            "digest_hour": wanted.hour,
            "updated_at": self.now(),
        }
        if current is None:
            session.add(CheckinChannel(workspace_id=workspace_id, **values))
            return ["digest channel", "digest time"]
        await session.execute(
            update(CheckinChannel).where(CheckinChannel.workspace_id == workspace_id).values(values)
        )
        fields = []
        if wanted.channel_id != current.channel_id:
            fields.append("digest channel")
        if (wanted.weekday, wanted.hour) != (current.weekday, current.hour):
            fields.append("digest time")
        return fields

    async def forget_member(self, session: AsyncSession, member: MemberInfo) -> int:
        """Keep the audit entries of a member whose data is deleted, without saying who."""
        result = await session.execute(
            update(SettingsChange)
            .where(SettingsChange.member_id == member.id)
            .values(member_id=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def changes_by(self, session: AsyncSession, member: MemberInfo) -> list[dict[str, str]]:
        """The member's own settings changes, for their data export."""
        rows = await session.execute(
            select(SettingsChange.field, SettingsChange.changed_at)
            .where(SettingsChange.member_id == member.id)
            .order_by(SettingsChange.changed_at)
        )
        return [{"field": field, "changed_at": at.isoformat()} for field, at in rows]
