"""The library's transactions: search with a workspace's own additions, bookmarks, suggestions.

Every query is scoped to the member's workspace (and, for bookmarks, to the member); the
service returns view data and `bot/resources/views.py` turns it into replies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import COSTS, KINDS, LEVELS, Resource, check_https_url
from bot.errors import Problem
from bot.ids import parse_id
from bot.paging import Page, paginate
from bot.profile.service import MemberInfo
from bot.resources.library import Library
from bot.resources.search import Filters
from bot.resources.tables import ResourceBookmark, ResourceSuggestion
from bot.storage.tables import Member

MAX_RESULTS = 60  # a search shows at most this many (20 pages of 3)
MAX_BOOKMARKS = 500
MAX_PENDING = 20  # suggestions one member may have waiting
MAX_WHY = 300
SUGGESTED = "s"  # prefix of an approved suggestion's resource id


class ResourceProblem(Problem):
    """A library request that cannot be done."""


@dataclass(frozen=True)
class Found:
    """One resource as a member sees it: who suggested it (workspace additions) and if saved."""

    resource: Resource
    credit: str | None = None
    saved: bool = False


@dataclass(frozen=True)
class SuggestionView:
    id: int
    url: str
    why: str
    status: str
    suggested_by: str
    title: str


@dataclass(frozen=True)
class Approval:
    title: str
    kind: str
    level: str
    topic: str
    cost: str


class ResourceLibrary:
    """The library service; `best_for(role, level)` is what role fit asks."""

    def __init__(self, library: Library, *, now: Callable[[], datetime]) -> None:
        self.library = library
        self.now = now

    # -- reading ---------------------------------------------------------------------------

    def best_for(self, role: str, level: str, limit: int = 5) -> list[Resource]:
        """The resources to start with for `role` (an id from roles.yaml) at `level`."""
        return self.library.best_for(role, level, limit)

    async def _additions(
        self, session: AsyncSession, workspace_id: int
    ) -> tuple[list[Resource], dict[str, str]]:
        rows = (
            await session.execute(
                select(ResourceSuggestion, Member.display_name, Member.user_id)
                .join(Member, Member.id == ResourceSuggestion.member_id)
                .where(
                    ResourceSuggestion.workspace_id == workspace_id,
                    ResourceSuggestion.status == "approved",
                )
                .order_by(ResourceSuggestion.id)
            )
        ).all()
        roles = [r.id for r in self.library.content.roles]
        resources: list[Resource] = []
        credits: dict[str, str] = {}
        for row, name, user_id in rows:
            resource = Resource(
                id=f"{SUGGESTED}{row.id}",
                title=row.title or _title_from(row.url),
                authors=[urlsplit(row.url).hostname or "the web"],
                url=row.url,
                kind=row.kind,
                level=row.level,
                roles=roles,
                topics=[row.topic or "careers"],
                cost=row.cost,
                time="not stated",
                why=(row.why or "Suggested by a member of this community.")[:200].ljust(10),
            )
            resources.append(resource)
            credits[resource.id] = name or user_id
        return resources, credits

    async def _saved_ids(self, session: AsyncSession, member: MemberInfo) -> set[str]:
        return set(
            (
                await session.scalars(
                    select(ResourceBookmark.resource_id).where(
                        ResourceBookmark.member_id == member.id
                    )
                )
            ).all()
        )

    async def search(
        self,
        session: AsyncSession,
        member: MemberInfo,
        query: str,
        filters: Filters,
        page: int,
        size: int,
    ) -> Page[Found]:
        extra, credits = await self._additions(session, member.workspace_id)
        hits = self.library.index.search(query, filters, MAX_RESULTS, extra=extra)
        window = paginate(hits, page, size)
        saved = await self._saved_ids(session, member)
        return window.with_items(
            [
                Found(h.resource, credits.get(h.resource.id), h.resource.id in saved)
                for h in window.items
            ]
        )

    async def complete(self, session: AsyncSession, member: MemberInfo, typed: str) -> list[Found]:
        extra, credits = await self._additions(session, member.workspace_id)
        hits = self.library.index.complete(typed, 25, extra=extra)
        return [Found(h.resource, credits.get(h.resource.id)) for h in hits]

    async def find(self, session: AsyncSession, member: MemberInfo, resource_id: str) -> Found:
        """A resource by id: shipped, or approved in the member's workspace; else a Problem."""
        shipped = self.library.resource(resource_id)
        saved = await self._saved_ids(session, member)
        if shipped is not None:
            return Found(shipped, None, shipped.id in saved)
        if resource_id.startswith(SUGGESTED):
            extra, credits = await self._additions(session, member.workspace_id)
            for resource in extra:
                if resource.id == resource_id:
                    return Found(resource, credits[resource.id], resource.id in saved)
        raise ResourceProblem("I can't find that resource any more.")

    async def similar(
        self, session: AsyncSession, member: MemberInfo, resource_id: str, limit: int = 3
    ) -> tuple[Found, list[Found]]:
        base = await self.find(session, member, resource_id)
        saved = await self._saved_ids(session, member)
        if self.library.resource(resource_id) is not None:
            hits = self.library.index.similar(resource_id, limit)
            return base, [Found(h.resource, None, h.resource.id in saved) for h in hits]
        # A workspace addition: its topic and title stand in for its neighbours.
        words = f"{base.resource.title} {' '.join(base.resource.topics)}"
        hits = self.library.index.search(words, limit=limit)
        return base, [Found(h.resource, None, h.resource.id in saved) for h in hits]

    # -- bookmarks -------------------------------------------------------------------------

    async def save(
        self, session: AsyncSession, member: MemberInfo, resource_id: str
    ) -> tuple[Found, bool]:
        found = await self.find(session, member, resource_id)
        if found.saved:
            return found, False
        count = await session.scalar(
            select(func.count()).where(ResourceBookmark.member_id == member.id)
        )
        if (count or 0) >= MAX_BOOKMARKS:
            raise ResourceProblem(
                f"You have {count} saved resources, the most I keep. Remove some with "
                "`/resources saved` first."
            )
        session.add(
            ResourceBookmark(
                member_id=member.id, resource_id=found.resource.id, created_at=self.now()
            )
        )
        await session.flush()
        return Found(found.resource, found.credit, True), True

    async def bookmark_count(self, session: AsyncSession, member: MemberInfo) -> int:
        count = await session.scalar(
            select(func.count()).where(ResourceBookmark.member_id == member.id)
        )
        return int(count or 0)

    async def unsave(self, session: AsyncSession, member: MemberInfo, resource_id: str) -> bool:
        result = await session.execute(
            delete(ResourceBookmark).where(
                ResourceBookmark.member_id == member.id,
                ResourceBookmark.resource_id == resource_id[:80],
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def saved(
        self, session: AsyncSession, member: MemberInfo, page: int, size: int
    ) -> Page[Found]:
        ids = (
            await session.scalars(
                select(ResourceBookmark.resource_id)
                .where(ResourceBookmark.member_id == member.id)
                .order_by(ResourceBookmark.created_at.desc(), ResourceBookmark.id.desc())
            )
        ).all()
        extra, credits = await self._additions(session, member.workspace_id)
        known = {r.id: r for r in extra}
        found: list[Found] = []
        for resource_id in ids:
            resource = self.library.resource(resource_id) or known.get(resource_id)
            if resource is not None:  # a resource removed from the library since is skipped
                found.append(Found(resource, credits.get(resource_id), True))
        return paginate(found, page, size)

    # -- suggestions -----------------------------------------------------------------------

    async def suggest(
        self, session: AsyncSession, member: MemberInfo, url: str, why: str
    ) -> SuggestionView:
        url = url.strip().strip("<>")
        try:
            check_https_url(url)
        except ValueError as error:
            raise ResourceProblem(
                f"That link doesn't look right ({error}). Send a full https:// address, e.g. "
                "`/resources suggest https://example.org/guide a clear intro to embeddings`."
            ) from None
        if len(url) > 500:
            raise ResourceProblem("That link is longer than 500 characters.")
        why = " ".join(why.split())[:MAX_WHY]
        pending = await session.scalar(
            select(func.count()).where(
                ResourceSuggestion.member_id == member.id, ResourceSuggestion.status == "pending"
            )
        )
        if (pending or 0) >= MAX_PENDING:
            raise ResourceProblem(
                f"You have {pending} suggestions waiting for the moderators; "
                "please wait for them to be reviewed."
            )
        row = ResourceSuggestion(
            workspace_id=member.workspace_id,
            member_id=member.id,
            url=url,
            why=why,
            status="pending",
            title="",
            kind="article",
            level="beginner",
            cost="free",
            created_at=self.now(),
        )
        session.add(row)
        await session.flush()
        return SuggestionView(row.id, url, why, "pending", "", "")

    async def pending(self, session: AsyncSession, member: MemberInfo) -> list[SuggestionView]:
        rows = (
            await session.execute(
                select(ResourceSuggestion, Member.display_name, Member.user_id)
                .join(Member, Member.id == ResourceSuggestion.member_id)
                .where(
                    ResourceSuggestion.workspace_id == member.workspace_id,
                    ResourceSuggestion.status == "pending",
                )
                .order_by(ResourceSuggestion.id)
                .limit(MAX_PENDING)
            )
        ).all()
        return [
            SuggestionView(row.id, row.url, row.why, row.status, name or user_id, row.title)
            for row, name, user_id in rows
        ]

    async def pending_count(self, session: AsyncSession, workspace_id: int) -> int:
        count = await session.scalar(
            select(func.count()).where(
                ResourceSuggestion.workspace_id == workspace_id,
                ResourceSuggestion.status == "pending",
            )
        )
        return int(count or 0)

    async def suggestion(
        self, session: AsyncSession, member: MemberInfo, value: str
    ) -> ResourceSuggestion:
        """A pending suggestion of the member's workspace (a forged or decided id finds none)."""
        suggestion_id = parse_id(value)
        row = None
        if suggestion_id is not None:
            row = await session.scalar(
                select(ResourceSuggestion).where(
                    ResourceSuggestion.id == suggestion_id,
                    ResourceSuggestion.workspace_id == member.workspace_id,
                )
            )
        if row is None:
            raise ResourceProblem("I can't find that suggestion any more.")
        if row.status != "pending":
            raise ResourceProblem(f"That suggestion was already {row.status}.")
        return row

    async def approve(
        self, session: AsyncSession, member: MemberInfo, value: str, approval: Approval
    ) -> Resource:
        row = await self.suggestion(session, member, value)
        row.title = approval.title[:200] or _title_from(row.url)
        row.kind, row.level, row.topic, row.cost = (
            approval.kind,
            approval.level,
            approval.topic,
            approval.cost,
        )
        row.status, row.decided_by, row.decided_at = "approved", member.id, self.now()
        await session.flush()
        extra, _ = await self._additions(session, member.workspace_id)
        return next(r for r in extra if r.id == f"{SUGGESTED}{row.id}")

    async def reject(self, session: AsyncSession, member: MemberInfo, value: str) -> str:
        row = await self.suggestion(session, member, value)
        row.status, row.decided_by, row.decided_at = "rejected", member.id, self.now()
        return row.url

    def check_approval(
        self, title: str, kind: str, level: str, topic: str, cost: str
    ) -> Approval | tuple[str, str]:
        """The moderator's form, understood forgivingly, or (input, what is wrong)."""
        index = self.library.index
        found_kind = index.kinds.find(kind) if kind else "article"
        if found_kind not in KINDS:
            return "kind", f"Choose one of: {', '.join(KINDS)}."
        found_level = index.levels.find(level) if level else "beginner"
        if found_level not in LEVELS:
            return "level", f"Choose one of: {', '.join(LEVELS)}."
        found_topic = index.topics.find(topic) if topic else None
        if found_topic is None:
            return "topic", "Name a topic, e.g. llm, mlops, statistics, careers."
        found_cost = cost.strip().lower() or "free"
        if found_cost not in COSTS:
            return "cost", f"Choose one of: {', '.join(COSTS)}."
        clean_title = " ".join(title.split())[:200]
        return Approval(clean_title, found_kind, found_level, found_topic, found_cost)

    # -- a member's data ---------------------------------------------------------------------

    async def export(self, session: AsyncSession, member_id: int) -> dict[str, object]:
        saved = (
            await session.scalars(
                select(ResourceBookmark)
                .where(ResourceBookmark.member_id == member_id)
                .order_by(ResourceBookmark.id)
            )
        ).all()
        suggested = (
            await session.scalars(
                select(ResourceSuggestion)
                .where(ResourceSuggestion.member_id == member_id)
                .order_by(ResourceSuggestion.id)
            )
        ).all()
        return {
            "saved": [
                {"resource_id": b.resource_id, "saved_at": b.created_at.isoformat()} for b in saved
            ],
            "suggested": [
                {
                    "url": s.url,
                    "why": s.why,
                    "status": s.status,
                    "suggested_at": s.created_at.isoformat(),
                }
                for s in suggested
            ],
        }

    async def delete_member(self, session: AsyncSession, member_id: int) -> int:
        removed = 0
        for statement in (
            delete(ResourceBookmark).where(ResourceBookmark.member_id == member_id),
            delete(ResourceSuggestion).where(ResourceSuggestion.member_id == member_id),
        ):
            result = await session.execute(statement.execution_options(synchronize_session=False))
            removed += int(getattr(result, "rowcount", 0) or 0)
        return removed


def _title_from(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.hostname or url}{path}"[:200]


def ids_of(found: Sequence[Found]) -> list[str]:
    return [f.resource.id for f in found]
