"""`/rolefit` and `/roles`: parse, one transaction, answer.

The questionnaire is a persisted flow (`bot.flows`): one question per message, each answer
button carrying `flow-step|answer`, so a restart between two clicks loses nothing, Back returns
to the previous answers, and a button from an earlier question or someone else's flow is
refused with a friendly line.
"""

from __future__ import annotations

import difflib
from datetime import timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import markup
from bot.chat import ActionClicked, Actor, Autocomplete, Choice, Invocation, Reply, Response
from bot.context import Context
from bot.errors import Problem
from bot.flows import Flows, FlowSpec, Progress
from bot.profile.service import MemberInfo
from bot.reminders import views as reminder_views
from bot.reminders.service import NewReminder, Reminders
from bot.resources.library import library
from bot.rolefit import content, views
from bot.rolefit.content import Questionnaire, Role, RoleBook
from bot.rolefit.library import LibraryShelf, Shelf, level_of, picks
from bot.rolefit.ranking import rank
from bot.rolefit.service import Results
from bot.router import CommandSpec, OptionSpec, Router
from bot.storage.tables import Reminder

ROLEFIT = CommandSpec(
    "rolefit",
    "Which ML role fits you? Ten questions, a ranked answer with reasons",
    options=(
        OptionSpec(
            "view",
            "history to compare your results, retake to start over",
            choices=("history", "retake"),
            max_length=20,
        ),
    ),
    rest="view",
    usage="/rolefit · /rolefit history · /rolefit retake",
)
ROLES = CommandSpec(
    "roles",
    "Browse ML career roles: the work, who enjoys it, ways in, first steps",
    options=(OptionSpec("role", "A role, e.g. mle, mlops, data scientist", autocomplete=True),),
    rest="role",
    usage="/roles · /roles mlops",
)

REVISIT_IN = timedelta(weeks=1)
REVISIT_TEXT = (
    "Revisit your role fit: retake the questionnaire and compare the results with your history."
)
UNKNOWN_VIEW = "I know `/rolefit`, `/rolefit history` and `/rolefit retake`."


class Answering(BaseModel):
    """A half-answered questionnaire: question id -> the answer ids chosen so far."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    answers: dict[str, tuple[str, ...]] = {}


QUIZ = FlowSpec(
    "rolefit",
    Answering,
    lifetime=timedelta(weeks=4),
    gone="Those answers have expired or are not yours; start again with `/rolefit`.",
    stale="That was an earlier question; please answer the newest one.",
)


class RolefitCommands:
    def __init__(
        self,
        context: Context,
        *,
        quiz: Questionnaire | None = None,
        book: RoleBook | None = None,
        shelf: Shelf | None = None,
    ) -> None:
        self.context = context
        folder = context.settings.content_dir
        self.quiz = quiz or content.questionnaire(folder)
        self.book = book or content.roles(folder)
        self.shelf: Shelf = shelf or LibraryShelf(library(folder))
        self.flows = Flows(context.clock.now)
        self.results = Results(context.clock.now)
        settings = context.settings
        self.reminders = Reminders(max_active=settings.max_active_reminders, now=context.clock.now)

    def register(self, router: Router) -> None:
        router.command(ROLEFIT, self.rolefit)
        router.command(ROLES, self.roles)
        router.autocomplete(ROLES.name, "role", self.complete_role)
        for action, handler in {
            views.ANSWER: self.answer,
            views.PICK: self.answer,
            views.BACK: self.back,
            views.RETAKE: self.retake,
            views.START: self.start,
            views.RESOURCES: self.show_resources,
            views.REMIND: self.remind,
            views.ROLE: self.pick_role,
        }.items():
            router.action(action, handler)

    # -- the questionnaire ------------------------------------------------------------------

    async def rolefit(self, event: Invocation) -> Response:
        view = str(event.options.get("view", "")).strip().lower()
        if view in {"", "start", "resume"}:
            return await self._resume_or_start(event.actor)
        if view in {"retake", "restart", "again"}:
            return await self._start(event.actor, update=False)
        if view == "history":
            return await self._history(event.actor)
        raise Problem(UNKNOWN_VIEW)

    async def start(self, event: ActionClicked) -> Response:
        return await self._resume_or_start(event.actor)

    async def retake(self, event: ActionClicked) -> Response:
        return await self._start(event.actor, update=False)

    async def _resume_or_start(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            progress = await self.flows.resume(session, member, QUIZ)
            if progress is None or progress.step >= len(self.quiz.questions):
                progress = await self.flows.start(session, member, QUIZ, Answering())
                note = ""
            else:
                note = f"Welcome back: you were at question {progress.step + 1}."
            return self._ask(progress, update=False, note=note)

    async def _start(self, actor: Actor, *, update: bool) -> Response:
        async with self.context.transaction(actor) as (session, member):
            progress = await self.flows.start(session, member, QUIZ, Answering())
            return self._ask(progress, update=update)

    def _ask(self, progress: Progress[Answering], *, update: bool, note: str = "") -> Response:
        total = len(self.quiz.questions)
        reply = views.question(
            self.quiz.questions[progress.step],
            progress.step + 1,
            total,
            progress.token,
            can_go_back=progress.can_go_back,
            update=update,
            note=note,
        )
        return Response(replies=(reply,))

    async def answer(self, event: ActionClicked) -> Response:
        pairs = [value.partition("|") for value in event.values or (event.value,)]
        tokens = {token for token, _, _ in pairs}
        chosen = tuple(answer_id for _, _, answer_id in pairs)
        if len(tokens) != 1:
            raise Problem(QUIZ.stale)
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.load(session, member, QUIZ, tokens.pop())
            if progress.step >= len(self.quiz.questions):
                raise Problem(QUIZ.gone)
            item = self.quiz.questions[progress.step]
            known = {answer.id for answer in item.answers}
            if not chosen or not set(chosen) <= known or len(set(chosen)) != len(chosen):
                raise Problem("That is not one of this question's answers.")
            if len(chosen) > item.pick_up_to:
                raise Problem(f"Pick at most {item.pick_up_to} answers for this question.")
            answers = {**progress.state.answers, item.id: chosen}
            if progress.step + 1 < len(self.quiz.questions):
                progress = await self.flows.advance(session, progress, Answering(answers=answers))
                return self._ask(progress, update=True)
            await self.flows.finish(session, progress)
            ranking = rank(self.quiz, self.book, answers)
            stored = await self.results.record(session, member, answers, ranking)
        links = picks(self.shelf, ranking.order[: views.TOP], level_of(answers), limit=2)
        reply = views.result(ranking, self.book, stored.id, links, update=True)
        return Response(replies=(reply,))

    async def back(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.load(session, member, QUIZ, event.value)
            progress = await self.flows.back(session, progress)
            return self._ask(progress, update=True)

    # -- after the result -----------------------------------------------------------------

    async def _history(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            results = await self.results.history(session, member)
        reply = views.history(results, self.book, self.quiz, tz=member.tz)
        return Response(replies=(reply,))

    async def show_resources(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            stored = await self.results.get(session, member, event.value)
        level = level_of(stored.answers)
        top = [role_id for role_id, _ in stored.scores[: views.TOP]]
        reply = views.resources(stored.scores, self.book, level, picks(self.shelf, top, level))
        return Response(replies=(reply,))

    async def remind(self, event: ActionClicked) -> Response:
        """A normal reminder a week from now (once: a second press shows the one already set)."""
        now = self.context.clock.now()
        async with self.context.transaction(event.actor) as (session, member):
            await self.results.get(session, member, event.value)  # only the member's own result
            existing = await self._pending_revisit(session, member)
            if existing is not None:
                view = await self.reminders.view(session, existing, member)
            else:
                new = NewReminder(REVISIT_TEXT, now + REVISIT_IN, None, None, shared=False)
                view = await self.reminders.create(session, member, new)
        if existing is None and view.next_at is not None:
            self.context.wake_queue(view.next_at)
        reply = reminder_views.confirmation(view, tz=member.tz, now=now, in_channel=False)
        if existing is not None:
            reply = Reply("You already have that reminder:\n" + reply.text, buttons=reply.buttons)
        return Response(replies=(reply,))

    async def _pending_revisit(self, session: AsyncSession, member: MemberInfo) -> int | None:
        return await session.scalar(
            select(Reminder.id).where(
                Reminder.owner_id == member.id,
                Reminder.text == REVISIT_TEXT,
                Reminder.status == "active",
            )
        )

    # -- role profiles -------------------------------------------------------------------

    async def roles(self, event: Invocation) -> Response:
        typed = str(event.options.get("role", "")).strip()
        if not typed:
            return Response(replies=(views.role_list(self.book),))
        role = self.find(typed)
        if role is None:
            suggestions = ", ".join(f"`{choice.value}`" for choice in self.suggest(typed)[:4])
            raise Problem(
                f"I don't know the role “{markup.escape(markup.truncate(typed, 60))}”. "
                f"Try one of {suggestions}, or `/roles` for the list."
            )
        return Response(replies=(views.profile(role, self.book),))

    async def pick_role(self, event: ActionClicked) -> Response:
        role = self.book.get(event.value)
        if role is None:
            raise Problem("That role is not in the list any more; try `/roles`.")
        return Response(replies=(views.profile(role, self.book, update=True),))

    async def complete_role(self, event: Autocomplete) -> Response:
        return Response(choices=self.suggest(event.typed))

    def find(self, typed: str) -> Role | None:
        """A role by id, label or synonym, ignoring case, spaces and dashes."""
        wanted = _normal(typed)
        for role in self.book.roles:
            names = {role.id, role.label, *role.synonyms}
            if wanted in {_normal(name) for name in names}:
                return role
        return None

    def suggest(self, typed: str) -> tuple[Choice, ...]:
        """Roles whose names start with, contain, or look like what was typed."""
        wanted = _normal(typed)
        scored: list[tuple[float, int, Role]] = []
        for position, role in enumerate(self.book.roles):
            names = [_normal(name) for name in (role.label, role.id, *role.synonyms)]
            if not wanted:
                score = 1.0
            elif any(name.startswith(wanted) for name in names):
                score = 3.0
            elif any(wanted in name for name in names):
                score = 2.0
            else:
                score = max(difflib.SequenceMatcher(None, wanted, n).ratio() for n in names)
                if score < 0.6:
                    continue
            scored.append((-score, position, role))
        scored.sort(key=lambda item: (item[0], item[1]))
        return tuple(Choice(role.label, role.id) for _, _, role in scored[:25])


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("/", " ").split())
