"""A member's data as one JSON document, its erasure with an audit entry, and a workspace's
export for operators. Every function runs in the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import MemberData
from bot.privacy.tables import PrivacyAudit
from bot.profile.service import MemberInfo
from bot.storage.tables import Delivery, Flow, Member, Workspace

FORMAT = "mentorbot-member-data/1"
DELETED = "member.deleted"


def digest(platform: str, workspace: str, user_id: str) -> str:
    """Who asked for an erasure, one-way: it answers "was I erased?" for someone who gives their
    id, but lists nobody (ADR 0005)."""
    return hashlib.sha256(f"{platform}:{workspace}:{user_id}".encode()).hexdigest()


def to_json(document: Mapping[str, object]) -> bytes:
    """The bytes of an export: UTF-8, indented so a person can read it."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


async def member_document(
    session: AsyncSession, member: MemberInfo, data: MemberData, now: datetime
) -> dict[str, object]:
    """Everything about `member`, each feature's part under its name."""
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "member": {
            "platform": member.platform,
            "workspace": member.workspace,
            "user_id": member.user_id,
        },
        "data": await data.export(session, member),
    }


async def core_part(session: AsyncSession, member: MemberInfo) -> dict[str, object]:
    """What the core keeps about a member outside any feature: flows they have under way and
    every queued message addressed to them (of any feature, sent or not, closed-DM ones too)."""
    flows = (
        await session.scalars(select(Flow).where(Flow.member_id == member.id).order_by(Flow.id))
    ).all()
    deliveries = (
        await session.scalars(
            select(Delivery)
            .where(Delivery.member_id == member.id, Delivery.workspace_id == member.workspace_id)
            .order_by(Delivery.occurrence, Delivery.id)
        )
    ).all()
    return {
        "flows_in_progress": [
            {
                "name": flow.name,
                "step": flow.step,
                "state": _json_or_text(flow.state),
                "started_at": flow.started_at.isoformat(),
                "expires_at": flow.expires_at.isoformat(),
            }
            for flow in flows
        ],
        "messages_to_you": [
            {
                "kind": row.kind,
                "subject_id": row.subject_id,
                "at": row.occurrence.isoformat(),
                "due_at": row.due_at.isoformat(),
                "status": row.status,
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in deliveries
        ],
    }


async def delete_core_part(session: AsyncSession, member: MemberInfo) -> int:
    """The member's flows and every queued message addressed to them, whatever its feature."""
    removed = 0
    for statement in (
        delete(Flow).where(Flow.member_id == member.id),
        delete(Delivery).where(
            Delivery.member_id == member.id, Delivery.workspace_id == member.workspace_id
        ),
    ):
        result = await session.execute(statement.execution_options(synchronize_session=False))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


async def erase(session: AsyncSession, member: MemberInfo, data: MemberData, now: datetime) -> int:
    """Every feature's delete hook, then the audit entry: in the caller's one transaction, so
    either all of it happens or none of it does. Returns the rows removed."""
    removed = sum((await data.delete(session, member)).values())
    session.add(
        PrivacyAudit(
            workspace_id=member.workspace_id,
            action=DELETED,
            subject_digest=digest(member.platform, member.workspace, member.user_id),
            rows=removed,
            at=now,
        )
    )
    return removed


async def workspace_ids(session: AsyncSession, external_id: str, platform: str | None) -> list[int]:
    """The workspaces an operator means by the platform's id (one per platform that has it)."""
    query = select(Workspace.id).where(Workspace.external_id == external_id)
    if platform:
        query = query.where(Workspace.platform == platform)
    return list((await session.scalars(query.order_by(Workspace.id))).all())


async def workspace_document(
    session: AsyncSession, workspace_id: int, data: MemberData, now: datetime
) -> dict[str, object]:
    """The operator's export: the workspace, then each of its members' documents."""
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        raise LookupError(workspace_id)
    members = (
        await session.scalars(
            select(Member).where(Member.workspace_id == workspace_id).order_by(Member.id)
        )
    ).all()
    documents = []
    for row in members:
        info = MemberInfo(
            id=row.id,
            workspace_id=workspace_id,
            platform=workspace.platform,
            workspace=workspace.external_id,
            user_id=row.user_id,
            tz_name=row.tz or "UTC",
            tz_explicit=row.tz is not None,
        )
        documents.append(await member_document(session, info, data, now))
    erasures = (
        await session.scalars(
            select(PrivacyAudit)
            .where(PrivacyAudit.workspace_id == workspace_id)
            .order_by(PrivacyAudit.at, PrivacyAudit.id)
        )
    ).all()
    return {
        "format": "mentorbot-workspace-data/1",
        "exported_at": now.isoformat(),
        "workspace": {
            "platform": workspace.platform,
            "id": workspace.external_id,
            "default_time_zone": workspace.default_tz,
            "first_seen": workspace.created_at.isoformat(),
        },
        "members": documents,
        "erasures": [
            {"action": audit.action, "at": audit.at.isoformat(), "rows": audit.rows}
            for audit in erasures
        ],
    }


def _json_or_text(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text
