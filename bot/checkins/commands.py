"""`/checkin` and its buttons and forms: parse, one transaction, answer."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import markup, paging
from bot.admin.service import record_change
from bot.chat import (
    ActionClicked,
    Actor,
    FormSubmitted,
    Invocation,
    Reply,
    Response,
    reply,
)
from bot.checkins import schedule, team, views
from bot.checkins.content import CheckinContent, load, parse_hours
from bot.checkins.service import CheckinProblem, Checkins, Settings, Status
from bot.context import Context
from bot.flows import Flows, FlowSpec
from bot.ids import parse_id
from bot.profile.service import MemberInfo
from bot.reminders.service import NewReminder, Reminders
from bot.rolefit.content import roles
from bot.rolefit.service import Results
from bot.router import CommandSpec, OptionSpec, Router
from bot.storage.tables import CheckinChannel, Workspace
from bot.time import timefmt
from bot.time.timeparse import TimeParseError, parse_when
from bot.time.zones import safe_zone

ACTIONS = ("setup", "pause", "resume", "stop", "now", "history", "report", "channel")
CHECKIN = CommandSpec(
    "checkin",
    "Weekly check-ins: setup, pause, resume, stop, now, history (admins: report, channel)",
    options=(
        OptionSpec("action", "setup, pause, resume, stop, now, history, report, channel"),
        OptionSpec("when", "Day and time in your zone, e.g. monday 9am", max_length=100),
        OptionSpec("goal", "Your goal, e.g. deploy a model behind an API by March", max_length=300),
        OptionSpec("role", "The role you are aiming for", max_length=100),
        OptionSpec("share", "Share your streak and plan in the team channel", kind="boolean"),
        OptionSpec("until", "pause until this date, e.g. dec 27", max_length=100),
        OptionSpec("page", "history page", kind="integer"),
    ),
    rest="action",
    usage="/checkin setup monday 9am · /checkin · /checkin pause until jan 5 · /checkin history",
)
HISTORY_PAGE = 3
DEFAULT_DIGEST = "friday 4pm"
ADMINS_ONLY = "Only community admins can use `/checkin {}`."


class Typed(BaseModel):
    """An answer form sent back for a bad value: what was typed, to show it again."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    week_id: int
    values: dict[str, str]


ANSWER_FLOW = FlowSpec(
    "checkin-answer",
    Typed,
    lifetime=timedelta(days=7),
    gone="That form has expired; press **Answer** on your check-in again.",
)


class CheckinCommands:
    def __init__(self, context: Context, content: CheckinContent | None = None) -> None:
        self.context = context
        self.content = content or load()
        self.checkins = Checkins(context.clock.now)
        self.flows = Flows(context.clock.now)
        self.reminders = Reminders(
            max_active=context.settings.max_active_reminders, now=context.clock.now
        )

    def register(self, router: Router) -> None:
        router.command(CHECKIN, self.checkin)
        router.form(views.SETUP_FORM, self.submit_setup)
        router.form(views.ANSWER_FORM, self.submit_answer)
        router.form(views.SKIP_FORM, self.submit_skip)
        for action, handler in {
            "ck.now": self.now_button,
            "ck.pause": self.pause_button,
            "ck.resume": self.resume_button,
            "ck.change": self.change_button,
            "ck.answer": self.open_answer,
            "ck.skip": self.open_skip,
            "ck.fix": self.fix,
            "ck.blocker": self.blocker,
            "ck.history": self.history_page,
        }.items():
            router.action(action, handler)

    # ---- /checkin ---------------------------------------------------------------------------

    async def checkin(self, event: Invocation) -> Response:
        words = str(event.options.get("action", "")).strip()
        action, _, rest = words.partition(" ")
        action = action.lower()
        rest = rest.strip()
        if action in ("", "status", "show"):
            return await self.overview(event.actor)
        if action == "setup":
            return await self.setup(event, rest)
        if action == "pause":
            until = str(event.options.get("until", "")).strip() or rest
            return await self.pause(event.actor, until.removeprefix("until ").strip())
        if action == "resume":
            return await self._resumed(event.actor)
        if action == "stop":
            return await self.stop(event.actor)
        if action == "now":
            return await self.now(event.actor)
        if action == "history":
            page = parse_id(event.options.get("page", rest or "1")) or 1
            return Response(replies=(await self.history(event.actor, page),))
        if action in ("report", "channel"):
            if not event.actor.is_admin:
                return reply("⚠️ " + ADMINS_ONLY.format(action))
            if action == "report":
                return await self.report(event.actor)
            return await self.channel(event, str(event.options.get("when", "")).strip() or rest)
        choices = ", ".join(f"`{name}`" for name in ACTIONS)
        return reply(f"⚠️ I don't know {markup.code(action[:40])}. Try one of {choices}.")

    async def overview(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            status = await self.checkins.status(session, member)
        now = self.context.clock.now()
        return Response(replies=(views.overview(status, tz=member.tz, now=now),))

    async def home(self, actor: Actor) -> Reply | None:
        async with self.context.transaction(actor) as (session, member):
            status = await self.checkins.status(session, member)
        return views.home(status, tz=member.tz, now=self.context.clock.now())

    async def setup(self, event: Invocation, rest: str) -> Response:
        when = str(event.options.get("when", "")).strip() or rest
        if not when:
            async with self.context.transaction(event.actor) as (session, member):
                status = await self.checkins.status(session, member)
                role = await self._rolefit_role(session, member)
            return reply(form=views.setup_form(status, role_default=role))
        async with self.context.transaction(event.actor) as (session, member):
            current = await self.checkins.status(session, member)
            try:
                rule, first = schedule.weekly_rule(when, now=self.context.clock.now(), tz=member.tz)
            except TimeParseError as error:
                return reply(f"⚠️ {error.message}\nYou wrote: {markup.code(when[:100])}")
            share = event.options.get("share")
            wanted = Settings(
                rule=rule,
                first_at=first,
                goal=str(event.options.get("goal", current.goal if current else "")).strip(),
                target_role=str(
                    event.options.get("role", current.target_role if current else "")
                ).strip(),
                share=bool(share) if share is not None else bool(current and current.share),
                quiet_start=current.quiet_start if current else 22 * 60,
                quiet_end=current.quiet_end if current else 8 * 60,
            )
            status = await self.checkins.setup(session, member, wanted)
        return self._saved(status, member, first=current is None)

    def _saved(self, status: Status, member: MemberInfo, *, first: bool) -> Response:
        if status.next_at is not None:
            self.context.wake_queue(status.next_at)
        now = self.context.clock.now()
        return Response(replies=(views.saved(status, tz=member.tz, now=now, first=first),))

    async def submit_setup(self, event: FormSubmitted) -> Response:
        values = event.values
        when = values.get("when", "").strip()
        errors: list[tuple[str, str]] = []
        async with self.context.transaction(event.actor) as (session, member):
            current = await self.checkins.status(session, member)
            rule, first = "", self.context.clock.now()
            try:
                rule, first = schedule.weekly_rule(when, now=self.context.clock.now(), tz=member.tz)
            except TimeParseError as error:
                errors.append(("when", markup.to_plain(error.message)))
            quiet = (22 * 60, 8 * 60)
            try:
                quiet = schedule.parse_quiet(values.get("quiet", "") or "22:00-08:00")
            except ValueError as error:
                errors.append(("quiet", markup.to_plain(str(error))))
            if errors:
                text = "⚠️ " + " ".join(message for _, message in errors)
                return reply(text, field_errors=tuple(errors))
            wanted = Settings(
                rule=rule,
                first_at=first,
                goal=values.get("goal", "").strip()[:300],
                target_role=values.get("role", "").strip()[:100],
                share=values.get("share", "no") == "yes",
                quiet_start=quiet[0],
                quiet_end=quiet[1],
            )
            status = await self.checkins.setup(session, member, wanted)
        return self._saved(status, member, first=current is None)

    async def pause(self, actor: Actor, until_text: str) -> Response:
        now = self.context.clock.now()
        async with self.context.transaction(actor) as (session, member):
            until = None
            if until_text:
                try:
                    parsed = parse_when(until_text, now=now, tz=member.tz)
                except TimeParseError as error:
                    return reply(f"⚠️ {error.message} Try `/checkin pause until jan 5`.")
                if parsed.rule or parsed.message:
                    return reply("⚠️ Pause until a date, like `/checkin pause until jan 5`.")
                until = parsed.at
            status = await self.checkins.pause(session, member, until)
        if status.next_at is not None:
            self.context.wake_queue(status.next_at)
        return Response(replies=(views.overview(status, tz=member.tz, now=now),))

    async def _resumed(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            status = await self.checkins.resume(session, member)
        if status.next_at is not None:
            self.context.wake_queue(status.next_at)
        now = self.context.clock.now()
        return Response(replies=(views.overview(status, tz=member.tz, now=now),))

    async def stop(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            await self.checkins.stop(session, member)
        return reply(
            "🛑 Check-ins stopped. Your past answers stay in `/checkin history`; "
            "`/checkin setup` starts again."
        )

    async def now(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            week = await self.checkins.early_week(session, member)
        return reply(form=views.answer_form(self.content, week))

    async def history(self, actor: Actor, page: int) -> Reply:
        async with self.context.transaction(actor) as (session, member):
            weeks = await self.checkins.history(session, member)
        window = paging.paginate(weeks, page, HISTORY_PAGE)
        return views.history(window, self.content, tz=member.tz)

    async def history_page(self, event: ActionClicked) -> Response:
        _, page = paging.decode(event.value)
        shown = await self.history(event.actor, page)
        return Response(replies=(Reply(shown.text, buttons=shown.buttons, update=True),))

    async def report(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            tz = await self._workspace_zone(session, member)
            rows = await team.report(
                session, member.workspace_id, now=self.context.clock.now(), tz=tz
            )
        return Response(replies=(team.report_reply(rows),))

    async def channel(self, event: Invocation, when: str) -> Response:
        """`/checkin channel [friday 4pm]` in a channel makes it the accountability channel."""
        async with self.context.transaction(event.actor) as (session, member):
            if when.lower() == "off":
                await session.execute(
                    delete(CheckinChannel).where(CheckinChannel.workspace_id == member.workspace_id)
                )
                await record_change(session, member, ("digest channel",), self.context.clock.now())
                return reply("The weekly check-in digest is off.")
            if event.place.is_dm:
                return reply("⚠️ Use `/checkin channel` in the channel the digest should go to.")
            tz = await self._workspace_zone(session, member)
            try:
                rule, first = schedule.weekly_rule(
                    when or DEFAULT_DIGEST, now=self.context.clock.now(), tz=tz
                )
            except TimeParseError as error:
                return reply(f"⚠️ {error.message}")
            weekday, hour, _ = schedule.rule_time(rule)
            row = await session.get(CheckinChannel, member.workspace_id)
            if row is None:
                row = CheckinChannel(workspace_id=member.workspace_id)
                session.add(row)
            row.channel_id = event.place.channel_id
            row.digest_weekday = weekday
            row.digest_hour = hour
            row.updated_at = self.context.clock.now()
            await record_change(session, member, ("digest channel", "digest time"), row.updated_at)
        day = first.astimezone(tz).strftime("%A")
        return reply(
            f"📣 The weekly check-in digest will be posted here every {day} at {hour:02d}:00 "
            f"({tz}): streaks and plans of those who share, counts for everyone else.",
            private=False,
        )

    async def _rolefit_role(self, session: AsyncSession, member: MemberInfo) -> str:
        """The best-fitting role of the member's latest `/rolefit` result, offered as the target."""
        latest = await Results(self.context.clock.now).history(session, member, limit=1)
        if not latest or not latest[0].scores:
            return ""
        role = roles().get(latest[0].top)
        return role.label if role is not None else ""

    async def _workspace_zone(self, session: AsyncSession, member: MemberInfo) -> ZoneInfo:
        zone = await session.scalar(
            select(Workspace.default_tz).where(Workspace.id == member.workspace_id)
        )
        return safe_zone(zone, self.context.settings.default_timezone)

    # ---- buttons ----------------------------------------------------------------------------

    async def now_button(self, event: ActionClicked) -> Response:
        await self._own_checkin(event)
        return await self.now(event.actor)

    async def pause_button(self, event: ActionClicked) -> Response:
        await self._own_checkin(event)
        return await self.pause(event.actor, "")

    async def resume_button(self, event: ActionClicked) -> Response:
        await self._own_checkin(event)
        return await self._resumed(event.actor)

    async def change_button(self, event: ActionClicked) -> Response:
        await self._own_checkin(event)
        async with self.context.transaction(event.actor) as (session, member):
            status = await self.checkins.status(session, member)
            role = await self._rolefit_role(session, member)
        return reply(form=views.setup_form(status, role_default=role))

    async def _own_checkin(self, event: ActionClicked) -> None:
        async with self.context.transaction(event.actor) as (session, member):
            checkin = await self.checkins.find(session, member)
        if checkin is None or str(checkin.id) != event.value:
            raise CheckinProblem("Those buttons belong to the person whose check-in this is.")

    async def open_answer(self, event: ActionClicked) -> Response:
        week_id = parse_id(event.value)
        if week_id is None:
            return reply("⚠️ That button no longer works; try `/checkin`.")
        async with self.context.transaction(event.actor) as (session, member):
            week = await self.checkins.week(session, member, week_id)
        return reply(form=views.answer_form(self.content, week))

    async def open_skip(self, event: ActionClicked) -> Response:
        week_id = parse_id(event.value)
        if week_id is None:
            return reply("⚠️ That button no longer works; try `/checkin`.")
        async with self.context.transaction(event.actor) as (session, member):
            await self.checkins.week(session, member, week_id)
        return reply(form=views.skip_form(week_id))

    async def fix(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.load(session, member, ANSWER_FLOW, event.value)
            week = await self.checkins.week(session, member, progress.state.week_id)
        return reply(form=views.answer_form(self.content, week, typed=progress.state.values))

    async def submit_answer(self, event: FormSubmitted) -> Response:
        week_id = parse_id(event.context)
        if week_id is None:
            return reply("⚠️ That form has expired; press **Answer** on your check-in again.")
        typed = {q.id: event.values.get(q.id, "").strip() for q in self.content.questions}
        errors: list[tuple[str, str]] = []
        hours: float | None = None
        confidence: int | None = None
        for question in self.content.questions:
            value = typed[question.id]
            if question.required and not value:
                errors.append((question.id, f"“{question.label}” needs an answer."))
            elif question.kind == "hours" and value:
                try:
                    hours = parse_hours(value)
                except ValueError as error:
                    errors.append((question.id, markup.to_plain(str(error))))
            elif question.kind == "scale" and value:
                if value not in {"1", "2", "3", "4", "5"}:
                    errors.append((question.id, "Confidence is a number from 1 to 5."))
                else:
                    confidence = int(value)
        async with self.context.transaction(event.actor) as (session, member):
            if errors:
                await self.checkins.week(session, member, week_id)  # the member's own, still open
                progress = await self.flows.start(
                    session, member, ANSWER_FLOW, Typed(week_id=week_id, values=typed)
                )
                return Response(replies=(views.field_problem(errors, week_id, progress.token),))
            before = await self.checkins.week(session, member, week_id)
            week, status = await self.checkins.answer(
                session, member, week_id, typed, hours=hours, confidence=confidence
            )
            await self._forget_typed(session, member)
        if status.next_at is not None:
            self.context.wake_queue(status.next_at)
        blocker = self.content.by_id("blockers")
        has_blocker = bool(blocker and typed.get(blocker.id))
        edited = before.status == "answered"
        return Response(
            replies=(views.answered(week, status, edited=edited, has_blocker=has_blocker),)
        )

    async def _forget_typed(self, session: AsyncSession, member: MemberInfo) -> None:
        progress = await self.flows.resume(session, member, ANSWER_FLOW)
        if progress is not None:
            await self.flows.finish(session, progress)

    async def submit_skip(self, event: FormSubmitted) -> Response:
        week_id = parse_id(event.context)
        if week_id is None:
            return reply("⚠️ That form has expired; press **Skip this week** again.")
        reason = event.values.get("reason", "").strip()
        async with self.context.transaction(event.actor) as (session, member):
            status = await self.checkins.skip(session, member, week_id, reason)
        if status.next_at is not None:
            self.context.wake_queue(status.next_at)
        return Response(replies=(views.skipped(status),))

    async def blocker(self, event: ActionClicked) -> Response:
        """One click turns the week's blocker into a reminder tomorrow at 09:00."""
        week_id = parse_id(event.value)
        if week_id is None:
            return reply("⚠️ That button no longer works; try `/checkin`.")
        question = self.content.by_id("blockers")
        now = self.context.clock.now()
        async with self.context.transaction(event.actor) as (session, member):
            week = await self.checkins.week(session, member, week_id)
            text = week.answers.get(question.id, "") if question else ""
            if not text:
                return reply("⚠️ That week has no blocker to be reminded about.")
            at = parse_when("tomorrow 9am", now=now, tz=member.tz).at
            new = NewReminder(
                text=f"Check-in blocker: {text}"[: self.context.settings.max_reminder_chars],
                at=at,
                rule=None,
                channel_id=event.place.channel_id,
                shared=False,
            )
            view = await self.reminders.create(session, member, new)
        self.context.wake_queue(at)
        when = timefmt.moment(view.next_at or at, member.tz, now)
        return reply(f"⏰ I'll remind you about the blocker {when}.")
