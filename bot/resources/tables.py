"""The resource library's rows: members' bookmarks and suggested resources."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base
from bot.storage.types import UTCDateTime


class ResourceBookmark(Base):
    """A resource a member saved (a shipped id, or `s<id>` for an approved suggestion)."""

    __tablename__ = "resource_bookmarks"
    __table_args__ = (UniqueConstraint("member_id", "resource_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    resource_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ResourceSuggestion(Base):
    """A link a member suggested; once an admin approves it, it is searchable in that workspace."""

    __tablename__ = "resource_suggestions"
    __table_args__ = (Index("ix_resource_suggestions_workspace_status", "workspace_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(500))
    why: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | rejected
    title: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="article")
    level: Mapped[str] = mapped_column(String(16), default="beginner")
    topic: Mapped[str | None] = mapped_column(String(40))
    cost: Mapped[str] = mapped_column(String(16), default="free")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
