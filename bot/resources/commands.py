"""`/resources`: parse, one transaction through the service, answer with a view."""

from __future__ import annotations

from bot import markup, paging
from bot.chat import (
    ActionClicked,
    Actor,
    Autocomplete,
    Choice,
    FormSubmitted,
    Invocation,
    Reply,
    Response,
    reply,
)
from bot.context import Context
from bot.profile.service import MemberInfo
from bot.reminders.service import NewReminder, Reminders
from bot.resources import views
from bot.resources.library import Library
from bot.resources.search import Filters, fold
from bot.resources.service import ResourceLibrary, ResourceProblem
from bot.router import CommandSpec, OptionSpec, Router
from bot.time import timefmt
from bot.time.timeparse import ParsedWhen, TimeParseError, parse_when

RESOURCES = CommandSpec(
    "resources",
    "Find books, courses, papers and tools; also: saved, suggest <url>",
    options=(
        OptionSpec(
            "query",
            "What to look for, or `saved`, or `suggest <url> [why]`",
            autocomplete=True,
            max_length=500,
        ),
        OptionSpec("role", "Only for this role, e.g. mle, mlops, data engineer", max_length=60),
        OptionSpec("topic", "Only this topic, e.g. llm, statistics", max_length=60),
        OptionSpec(
            "level",
            "beginner, intermediate or advanced",
            choices=("beginner", "intermediate", "advanced"),
        ),
        OptionSpec(
            "kind",
            "book, course, certification, paper, tool, article, video or community",
            max_length=30,
        ),
        OptionSpec("free", "Only free resources", kind="boolean"),
    ),
    rest="query",
    usage="/resources statistical learning · /resources saved · /resources suggest <url> [why]",
)
SAMPLES = ("designing machine learning systems", "statistics", "mlops", "llm", "saved")


def _encode(filters: Filters, query: str) -> str:
    """Paging key: filters and the folded query (no `:` or `.` in either), within 100 chars."""
    head = ".".join(
        (
            filters.role or "",
            filters.topic or "",
            filters.level or "",
            filters.kind or "",
            "f" if filters.free else "",
        )
    )
    return f"{head}.{fold(query)[: 90 - len(head)]}"


def _decode(key: str) -> tuple[Filters, str]:
    parts = key.split(".", 5)
    if len(parts) != 6:
        return Filters(), ""
    role, topic, level, kind, free, query = parts
    return (
        Filters(
            role=role or None,
            topic=topic or None,
            level=level or None,
            kind=kind or None,
            free=free == "f",
        ),
        query,
    )


class ResourceCommands:
    def __init__(self, context: Context, library: Library) -> None:
        self.context = context
        self.library = ResourceLibrary(library, now=context.clock.now)
        self.reminders = Reminders(
            max_active=context.settings.max_active_reminders, now=context.clock.now
        )

    def register(self, router: Router) -> None:
        router.command(RESOURCES, self.resources)
        router.autocomplete("resources", "query", self.complete)
        router.form("rs.remind", self.submit_remind)
        router.form("rs.approve", self.submit_approve)
        for action, handler in {
            "rs.page": self.page,
            "rs.save": self.save,
            "rs.unsave": self.unsave,
            "rs.savedpage": self.saved_page,
            "rs.more": self.more,
            "rs.remind": self.open_remind,
            "rs.approve": self.open_approve,
            "rs.reject": self.reject,
        }.items():
            router.action(action, handler)

    # -- /resources ----------------------------------------------------------------------------

    async def resources(self, event: Invocation) -> Response:
        query = " ".join(str(event.options.get("query", "")).split())
        first, _, rest = query.partition(" ")
        if first.lower() == "saved" and not rest:
            return await self._saved(event.actor, 1, update=False)
        if first.lower() == "suggest":
            return await self._suggest(event.actor, rest)
        if first.lower() == "review" and not rest:
            return await self._review(event.actor)
        free = event.options.get("free", False)
        resolved = self.library.library.index.resolve(
            role=_text(event.options.get("role")),
            topic=_text(event.options.get("topic")),
            level=_text(event.options.get("level")),
            kind=_text(event.options.get("kind")),
            free=free is True or str(free).lower() in ("true", "yes", "1"),
        )
        return await self._search(
            event.actor, query, resolved.filters, 1, notes=resolved.notes, update=False
        )

    async def _search(
        self,
        actor: Actor,
        query: str,
        filters: Filters,
        page: int,
        *,
        notes: tuple[str, ...] = (),
        update: bool,
    ) -> Response:
        async with self.context.transaction(actor) as (session, member):
            window = await self.library.search(
                session, member, query, filters, page, views.PAGE_SIZE
            )
        shown = views.results(
            window,
            heading=_heading(query, filters),
            notes=notes,
            key=_encode(filters, query),
            update=update,
        )
        return Response(replies=(shown,))

    async def page(self, event: ActionClicked) -> Response:
        key, number = paging.decode(event.value)
        filters, query = _decode(key)
        return await self._search(event.actor, query, filters, number, update=True)

    async def complete(self, event: Autocomplete) -> Response:
        typed = event.typed.strip()
        if not typed:
            return Response(choices=tuple(Choice(s, s) for s in SAMPLES))
        async with self.context.transaction(event.actor) as (session, member):
            found = await self.library.complete(session, member, typed)
        return Response(choices=tuple(views.choice_for(f) for f in found[:25]))

    # -- buttons on a result ---------------------------------------------------------------------

    async def save(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            found, added = await self.library.save(session, member, event.value)
        title = markup.bold(found.resource.title)
        if not added:
            return reply(f"🔖 {title} is already in your saved resources (`/resources saved`).")
        return reply(f"🔖 Saved {title}. See everything you saved with `/resources saved`.")

    async def unsave(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            removed = await self.library.unsave(session, member, event.value)
            window = await self.library.saved(session, member, 1, views.PAGE_SIZE)
        note = "🗑 Removed." if removed else "That one was not in your saved resources."
        return Response(replies=(views.saved(window, update=True), Reply(note)))

    async def saved_page(self, event: ActionClicked) -> Response:
        _, number = paging.decode(event.value)
        return await self._saved(event.actor, number, update=True)

    async def _saved(self, actor: Actor, page: int, *, update: bool) -> Response:
        async with self.context.transaction(actor) as (session, member):
            window = await self.library.saved(session, member, page, views.PAGE_SIZE)
        return Response(replies=(views.saved(window, update=update),))

    async def more(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            base, found = await self.library.similar(session, member, event.value)
        return Response(replies=(views.similar(base, found),))

    async def open_remind(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            found = await self.library.find(session, member, event.value)
        return reply(form=views.remind_form(found.resource))

    async def submit_remind(self, event: FormSubmitted) -> Response:
        """A normal reminder, through the reminders service, linking the resource."""
        when = event.values.get("when", "").strip()
        async with self.context.transaction(event.actor) as (session, member):
            found = await self.library.find(session, member, event.context)
            try:
                if not when:
                    raise TimeParseError("invalid", "Tell me when, e.g. `tomorrow 8pm`.")
                parsed = self._parse(when, member)
            except TimeParseError as error:
                return reply(
                    f"⚠️ {error.message}\nYou wrote: {markup.code(when[:200])}",
                    field_errors=(("when", markup.to_plain(error.message)),),
                )
            r = found.resource
            view = await self.reminders.create(
                session,
                member,
                NewReminder(
                    text=f"Read: {r.title}",
                    at=parsed.at,
                    rule=parsed.rule,
                    channel_id=event.place.channel_id,
                    shared=False,
                    source_link=r.url,
                    source_excerpt=r.why,
                ),
            )
        self.context.wake_queue(parsed.at)
        at = timefmt.moment(parsed.at, member.tz, self.context.clock.now())
        return reply(
            f"⏰ I'll remind you {at} to read {markup.link(r.title, r.url)}. "
            f"It is reminder #{view.id} in `/reminders`."
        )

    def _parse(self, text: str, member: MemberInfo) -> ParsedWhen:
        return parse_when(
            text,
            now=self.context.clock.now(),
            tz=member.tz,
            max_ahead_days=self.context.settings.max_ahead_days,
        )

    # -- suggestions and moderation ------------------------------------------------------------

    async def _suggest(self, actor: Actor, rest: str) -> Response:
        url, _, why = rest.strip().partition(" ")
        if not url:
            return reply(
                "Tell me the link, and why it helps: "
                "`/resources suggest https://example.org/guide a clear intro to embeddings`."
            )
        async with self.context.transaction(actor) as (session, member):
            view = await self.library.suggest(session, member, url, why)
        return Response(replies=(views.suggestion_sent(view),))

    async def _review(self, actor: Actor) -> Response:
        if not actor.is_admin:
            return reply("Only this community's admins review suggestions.")
        async with self.context.transaction(actor) as (session, member):
            pending = await self.library.pending(session, member)
        return Response(replies=(views.review(pending),))

    async def open_approve(self, event: ActionClicked) -> Response:
        if not event.actor.is_admin:
            return reply("Only this community's admins can approve suggestions.")
        async with self.context.transaction(event.actor) as (session, member):
            row = await self.library.suggestion(session, member, event.value)
        return reply(form=views.approve_form(row.id, row.url, row.title))

    async def submit_approve(self, event: FormSubmitted) -> Response:
        if not event.actor.is_admin:
            return reply("Only this community's admins can approve suggestions.")
        values = event.values
        checked = self.library.check_approval(
            values.get("title", ""),
            values.get("kind", ""),
            values.get("level", ""),
            values.get("topic", ""),
            values.get("cost", ""),
        )
        if isinstance(checked, tuple):
            field, message = checked
            return reply(f"⚠️ {message}", field_errors=((field, message),))
        async with self.context.transaction(event.actor) as (session, member):
            resource = await self.library.approve(session, member, event.context, checked)
        return reply(
            f"✅ Approved {markup.link(resource.title, resource.url)}: everyone in this "
            "community can now find it with `/resources`."
        )

    async def reject(self, event: ActionClicked) -> Response:
        if not event.actor.is_admin:
            return reply("Only this community's admins can reject suggestions.")
        async with self.context.transaction(event.actor) as (session, member):
            url = await self.library.reject(session, member, event.value)
        return reply(f"Rejected {markup.escape(url)}.")

    async def pending_notice(self, actor: Actor) -> Reply | None:
        """Tell an admin, after their command, that suggestions wait for review."""
        if not actor.is_admin:
            return None
        async with self.context.transaction(actor) as (session, member):
            count = await self.library.pending_count(session, member.workspace_id)
        if not count:
            return None
        return Reply(f"📥 {count} resource suggestion(s) wait for review: `/resources review`.")


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _heading(query: str, filters: Filters) -> str:
    parts = [markup.code(query[:80])] if query else ["the whole library, beginner first"]
    for name in ("role", "topic", "level", "kind"):
        value = getattr(filters, name)
        if value:
            parts.append(f"{name} {markup.code(value)}")
    if filters.free:
        parts.append("free only")
    return ", ".join(parts)


__all__ = ["RESOURCES", "ResourceCommands", "ResourceProblem"]
