"""The workspace settings rows: the values admins set, and who changed which field when.

The default zone stays in `workspaces.default_tz` (the profile reads it on every lookup) and the
accountability channel and digest time in `checkin_channels` (the digest reads them): the
settings form edits those stored values in place rather than keeping a second copy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base
from bot.storage.types import UTCDateTime


class WorkspaceSettings(Base):
    """What a workspace's admins chose for reminders; no row means the operator's defaults."""

    __tablename__ = "workspace_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    # Active reminders per member; NULL = the operator's `MENTORBOT_MAX_ACTIVE_REMINDERS`.
    max_active_reminders: Mapped[int | None] = mapped_column(Integer)
    channel_reminders: Mapped[str] = mapped_column(String(16), default="everyone")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SettingsChange(Base):
    """The audit of settings: who changed which field, when (no values: the settings say them)."""

    __tablename__ = "settings_changes"
    __table_args__ = (Index("ix_settings_changes_workspace_at", "workspace_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # Kept when the member's data is deleted: the entry then says "a former member".
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
