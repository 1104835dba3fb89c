"""Conversations that survive restarts: typed, persisted state for multi-step interactions.

A button or a form can carry only a short id, and the bot may restart between two clicks, so
whatever a half-finished interaction knows lives in the `flows` table, one row per member and flow
name ("resume where I left off" finds it again). The state is a pydantic model per flow, checked
on every load: a row that expired, belongs to someone else, or no longer fits the model is answered
with the flow's friendly `gone` text (a `Problem`), never a crash. Each `advance` keeps the previous
state, so `back` can return to it; each write pushes the expiry forward by the flow's `lifetime`.

A ten-question questionnaire with Back and resume, for example::

    class Answers(BaseModel):
        picked: tuple[str, ...] = ()

    QUIZ = FlowSpec("role-fit", Answers, lifetime=timedelta(weeks=3),
                    gone="Those answers have expired; start again with `/rolefit`.")
    flows = Flows(context.clock.now)

    async with context.transaction(actor) as (session, member):      # /rolefit
        progress = await flows.resume(session, member, QUIZ)
        if progress is None:
            progress = await flows.start(session, member, QUIZ, Answers())
    # ask QUESTIONS[progress.step]; each answer button's value is f"{progress.token}|{choice}",
    # and Back (shown when progress.can_go_back) carries progress.token

    async with context.transaction(event.actor) as (session, member):  # an answer was pressed
        token, _, choice = event.value.partition("|")
        progress = await flows.load(session, member, QUIZ, token)       # only the presser's own
        answers = Answers(picked=(*progress.state.picked, choice))
        if len(answers.picked) == len(QUESTIONS):
            await flows.finish(session, progress)                       # and store the result
        else:
            progress = await flows.advance(session, progress, answers)

    progress = await flows.back(session, await flows.load(session, member, QUIZ, event.value))

A token names one step of one flow: a button from an earlier step (pressed twice, or after Back)
is refused instead of answering the wrong question, and two concurrent presses advance once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Delete, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import Problem
from bot.profile.service import MemberInfo
from bot.storage.tables import Flow

S = TypeVar("S", bound=BaseModel)

GONE = "That has expired; please start again."
MAX_ID = 2**31 - 1  # an INTEGER column on PostgreSQL
STALE = "That was an earlier step; please use the newest message."


class FlowGone(Problem):
    """The flow a button or form names is not there for this member any more (or never was)."""


@dataclass(frozen=True)
class FlowSpec(Generic[S]):
    """One kind of multi-step interaction: its name, its state model, and how long it may idle."""

    name: str
    state: type[S]
    lifetime: timedelta
    gone: str = GONE  # shown when it expired, is invalid, or is not the member's
    stale: str = STALE  # shown when a button of an earlier step is pressed

    def __post_init__(self) -> None:
        if not 0 < len(self.name) <= 32 or "." in self.name:
            raise ValueError(f"flow name {self.name!r}: 1-32 characters, no dots")


@dataclass(frozen=True)
class Progress(Generic[S]):
    """Where one member is in one flow, as loaded: pass it back to advance, back or finish."""

    spec: FlowSpec[S]
    id: int
    step: int
    state: S
    history: tuple[str, ...]  # the earlier states as JSON, oldest first
    expires_at: datetime

    @property
    def token(self) -> str:
        """What a button or form carries to come back to exactly this step (short: `12.3`)."""
        return f"{self.id}.{self.step}"

    @property
    def can_go_back(self) -> bool:
        return bool(self.history)


def expired(now: datetime) -> Delete:
    """The retention sweep's statement: flows nobody touched within their lifetime."""
    return delete(Flow).where(Flow.expires_at <= now)


class Flows:
    """Start, load, advance, go back, finish; every call runs in the caller's transaction."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now

    async def start(
        self, session: AsyncSession, member: MemberInfo, spec: FlowSpec[S], state: S
    ) -> Progress[S]:
        """Begin `spec` for `member` at step 0, replacing any flow of that name they had."""
        now = self.now()
        await session.execute(
            delete(Flow).where(Flow.member_id == member.id, Flow.name == spec.name)
        )
        row = Flow(
            member_id=member.id,
            name=spec.name,
            step=0,
            state=_dump(state),
            history="[]",
            started_at=now,
            updated_at=now,
            expires_at=now + spec.lifetime,
        )
        session.add(row)
        await session.flush()
        return Progress(spec, row.id, 0, state, (), row.expires_at)

    async def resume(
        self, session: AsyncSession, member: MemberInfo, spec: FlowSpec[S]
    ) -> Progress[S] | None:
        """The member's unfinished `spec` flow, or None (an expired or unreadable one is gone)."""
        row = await session.scalar(
            select(Flow).where(Flow.member_id == member.id, Flow.name == spec.name)
        )
        if row is None:
            return None
        progress = self._read(row, spec)
        if progress is None:
            await session.delete(row)
        return progress

    async def load(
        self, session: AsyncSession, member: MemberInfo, spec: FlowSpec[S], token: str
    ) -> Progress[S]:
        """The flow a button or form named, if it is this member's own and still valid.

        `token` is `Progress.token` (`id.step`: an earlier step is refused as stale) or a bare id
        (any step: a form that is re-submitted after a wrong value).
        """
        flow_id, step = _parse(token)
        row = await session.get(Flow, flow_id) if flow_id is not None else None
        if row is None or row.member_id != member.id or row.name != spec.name:
            raise FlowGone(spec.gone)
        progress = self._read(row, spec)
        if progress is None:
            raise FlowGone(spec.gone)
        if step is not None and step != progress.step:
            raise FlowGone(spec.stale)
        return progress

    async def advance(self, session: AsyncSession, progress: Progress[S], state: S) -> Progress[S]:
        """Go to the next step with `state`; the current state is kept for `back`."""
        history = (*progress.history, _dump(progress.state))
        return await self._write(session, progress, progress.step + 1, state, history)

    async def save(self, session: AsyncSession, progress: Progress[S], state: S) -> Progress[S]:
        """Replace the state without moving (a corrected answer, a partly filled form)."""
        return await self._write(session, progress, progress.step, state, progress.history)

    async def back(self, session: AsyncSession, progress: Progress[S]) -> Progress[S]:
        """Return to the previous step and its state (at step 0 it stays where it is)."""
        if not progress.history:
            return progress
        *earlier, previous = progress.history
        state = _load(progress.spec, previous)
        if state is None:
            raise FlowGone(progress.spec.gone)
        return await self._write(session, progress, progress.step - 1, state, tuple(earlier))

    async def finish(self, session: AsyncSession, progress: Progress[S]) -> None:
        """The flow is done: forget it. Finishing twice (a double submit) raises `FlowGone`."""
        result = await session.execute(
            delete(Flow).where(Flow.id == progress.id, Flow.step == progress.step)
        )
        if _rowcount(result) != 1:
            raise FlowGone(progress.spec.gone)

    async def _write(
        self,
        session: AsyncSession,
        progress: Progress[S],
        step: int,
        state: S,
        history: tuple[str, ...],
    ) -> Progress[S]:
        now = self.now()
        expires_at = now + progress.spec.lifetime
        # Only from the step it was loaded at: of two concurrent presses, one moves it.
        result = await session.execute(
            update(Flow)
            .where(Flow.id == progress.id, Flow.step == progress.step)
            .values(
                step=step,
                state=_dump(state),
                history=json.dumps(list(history)),
                updated_at=now,
                expires_at=expires_at,
            )
        )
        if _rowcount(result) != 1:
            raise FlowGone(progress.spec.stale)
        return replace(progress, step=step, state=state, history=history, expires_at=expires_at)

    def _read(self, row: Flow, spec: FlowSpec[S]) -> Progress[S] | None:
        if row.expires_at <= self.now():
            return None
        state = _load(spec, row.state)
        try:
            history = json.loads(row.history)
        except ValueError:
            return None
        if state is None or not isinstance(history, list):
            return None
        if not all(isinstance(item, str) for item in history):
            return None
        return Progress(spec, row.id, row.step, state, tuple(history), row.expires_at)


def _dump(state: BaseModel) -> str:
    return state.model_dump_json()


def _load(spec: FlowSpec[S], text: str) -> S | None:
    """The state, or None when the stored JSON no longer fits the model (code changed since)."""
    try:
        return spec.state.model_validate_json(text)
    except ValidationError:
        return None


def _parse(token: str) -> tuple[int | None, int | None]:
    """`id.step` or `id`; anything else (forged, or too large for the column) names nothing."""
    flow_id, dot, step = token.strip().partition(".")
    if not flow_id.isdigit() or len(flow_id) > 10 or int(flow_id) > MAX_ID:
        return None, None
    if not dot:
        return int(flow_id), None
    if not step.isdigit() or len(step) > 9:
        return None, None
    return int(flow_id), int(step)


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
