"""Role-fit results: record a finished questionnaire, read one back, list a member's history.

Every query is scoped to the member who asks; a result id from someone else's button is refused
like one that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import Problem
from bot.ids import parse_id
from bot.profile.service import MemberInfo
from bot.rolefit.ranking import Ranking
from bot.storage.tables import RolefitResult

HISTORY = 4  # results `/rolefit history` shows side by side
KEEP = 20  # results kept per member; older ones are deleted when a new one is recorded

GONE = "That result is not there any more; take `/rolefit` again to get a fresh one."


class ResultGone(Problem):
    """A result id that is not the member's (or no longer exists)."""


@dataclass(frozen=True)
class ResultView:
    id: int
    taken_at: datetime
    answers: dict[str, tuple[str, ...]]
    scores: tuple[tuple[str, int], ...]  # (role id, percent), best first

    @property
    def top(self) -> str:
        return self.scores[0][0]


class Results:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now

    async def record(
        self,
        session: AsyncSession,
        member: MemberInfo,
        answers: Mapping[str, Sequence[str]],
        ranking: Ranking,
    ) -> ResultView:
        """Store a finished questionnaire (and forget the member's results beyond `KEEP`)."""
        taken_at = self.now()
        stored = {question: list(chosen) for question, chosen in answers.items()}
        scores = [[score.role_id, score.percent] for score in ranking.scores]
        row = RolefitResult(
            member_id=member.id,
            taken_at=taken_at,
            answers=json.dumps(stored, sort_keys=True),
            scores=json.dumps(scores),
        )
        session.add(row)
        await session.flush()
        older = (
            select(RolefitResult.id)
            .where(RolefitResult.member_id == member.id)
            .order_by(RolefitResult.taken_at.desc(), RolefitResult.id.desc())
            .offset(KEEP)
        )
        await session.execute(delete(RolefitResult).where(RolefitResult.id.in_(older)))
        return _view(row)

    async def get(self, session: AsyncSession, member: MemberInfo, value: str) -> ResultView:
        """The member's own result named by a button's value."""
        result_id = parse_id(value)
        row = await session.get(RolefitResult, result_id) if result_id else None
        if row is None or row.member_id != member.id:
            raise ResultGone(GONE)
        return _view(row)

    async def history(
        self, session: AsyncSession, member: MemberInfo, limit: int = HISTORY
    ) -> list[ResultView]:
        """The member's newest results, newest first."""
        rows = await session.scalars(
            select(RolefitResult)
            .where(RolefitResult.member_id == member.id)
            .order_by(RolefitResult.taken_at.desc(), RolefitResult.id.desc())
            .limit(limit)
        )
        return [_view(row) for row in rows]

    async def export(self, session: AsyncSession, member: MemberInfo) -> list[dict[str, object]]:
        """Every result the member has, oldest first, as JSON-ready values."""
        rows = await session.scalars(
            select(RolefitResult)
            .where(RolefitResult.member_id == member.id)
            .order_by(RolefitResult.taken_at, RolefitResult.id)
        )
        return [
            {
                "taken_at": view.taken_at.isoformat(),
                "answers": {q: list(chosen) for q, chosen in view.answers.items()},
                "scores": [list(score) for score in view.scores],
            }
            for view in map(_view, rows)
        ]

    async def delete(self, session: AsyncSession, member: MemberInfo) -> int:
        """Forget every result of the member; returns how many."""
        result = await session.execute(
            delete(RolefitResult).where(RolefitResult.member_id == member.id)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _view(row: RolefitResult) -> ResultView:
    answers = json.loads(row.answers)
    scores = json.loads(row.scores)
    return ResultView(
        id=row.id,
        taken_at=row.taken_at,
        answers={str(q): tuple(str(a) for a in chosen) for q, chosen in answers.items()},
        scores=tuple((str(role), int(percent)) for role, percent in scores),
    )
