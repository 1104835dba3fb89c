"""The privacy feature's one table: what was erased, when and where, and nothing else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base
from bot.storage.types import UTCDateTime


class PrivacyAudit(Base):
    """One erasure: no text, no member row, only a one-way digest of who asked (ADR 0005).

    It names no member column on purpose: the digest cannot be joined to anything, and the
    member-data coverage test would otherwise (rightly) demand that deletion removes it.
    """

    __tablename__ = "privacy_audit"
    __table_args__ = (Index("ix_privacy_audit_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))  # "member.deleted"
    subject_digest: Mapped[str] = mapped_column(String(64))  # sha256 hex, see digest()
    rows: Mapped[int] = mapped_column(Integer)  # how many rows the features removed
    at: Mapped[datetime] = mapped_column(UTCDateTime())
