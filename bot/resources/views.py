"""How the library looks in chat: results, bookmarks, suggestions and the forms."""

from __future__ import annotations

from bot import markup, paging
from bot.chat import Button, ButtonStyle, Choice, Form, FormInput, Reply, link_button
from bot.content.schema import COSTS, KINDS, LEVELS, Resource
from bot.paging import Page
from bot.resources.service import Found, SuggestionView

PAGE_SIZE = 3  # three results, each with its row of buttons, plus the page row: 4 of 5 rows
EXAMPLES = "`/resources statistical learning`, `/resources mlops level:beginner free:true`"
_KIND_ICON = {
    "book": "📘",
    "course": "🎓",
    "certification": "🏅",
    "paper": "📄",
    "tool": "🛠",
    "article": "📝",
    "video": "🎬",
    "community": "👥",
}


def _entry(number: int, found: Found) -> str:
    r = found.resource
    authors = ", ".join(r.authors[:3]) + (" et al." if len(r.authors) > 3 else "")
    lines = [
        f"{_KIND_ICON[r.kind]} **{number}. {markup.escape(r.title)}** — {markup.escape(authors)}",
        f"{r.kind} · {r.level} · {r.cost} · {markup.escape(r.time)}",
        f"__{markup.escape(r.why)}__",
    ]
    if found.credit:
        lines.append(f"Suggested by {markup.escape(found.credit)} for this community.")
    return "\n".join(lines)


def _row(number: int, found: Found) -> tuple[Button, ...]:
    r = found.resource
    save = (
        Button(f"Saved {number}", "rs.saved", r.id, disabled=True)
        if found.saved
        else Button(f"Save {number}", "rs.save", r.id, ButtonStyle.PRIMARY)
    )
    return (
        link_button(f"Open {number}", r.url),
        save,
        Button(f"Remind me to read {number}", "rs.remind", r.id),
        Button(f"More like {number}", "rs.more", r.id),
    )


def results(
    page: Page[Found], *, heading: str, notes: tuple[str, ...], key: str, update: bool = False
) -> Reply:
    ignored = ""
    if notes:
        ignored = (
            "\nI didn't understand "
            + markup.escape(", ".join(notes))
            + ", so I ignored it. Roles look like `mle`, `mlops`, `data engineer`."
        )
    if not page.total:
        return Reply(
            f"🔎 Nothing found for {heading}. Try fewer or other words, or browse with "
            f"{EXAMPLES}.{ignored}",
            update=update,
        )
    first = page.first_number
    lines = [f"🔎 **{page.total} found** for {heading} (page {page.page} of {page.pages}){ignored}"]
    lines += [_entry(first + i, found) for i, found in enumerate(page.items)]
    rows = tuple(_row(first + i, found) for i, found in enumerate(page.items))
    return Reply(
        "\n\n".join(lines), buttons=(*rows, *paging.buttons(page, "rs.page", key)), update=update
    )


def similar(base: Found, found: list[Found]) -> Reply:
    if not found:
        return Reply(f"Nothing else like {markup.bold(base.resource.title)} yet.")
    lines = [f"🔁 **More like** {markup.escape(base.resource.title)}"]
    lines += [_entry(i + 1, f) for i, f in enumerate(found)]
    return Reply("\n\n".join(lines), buttons=tuple(_row(i + 1, f) for i, f in enumerate(found)))


def saved(page: Page[Found], update: bool = False) -> Reply:
    if not page.total:
        return Reply(
            "You have no saved resources yet. Search with `/resources <words>` and press **Save**.",
            update=update,
        )
    first = page.first_number
    lines = [f"🔖 **Your saved resources** ({page.total}, page {page.page} of {page.pages})"]
    lines += [_entry(first + i, found) for i, found in enumerate(page.items)]
    rows = tuple(
        (
            link_button(f"Open {first + i}", found.resource.url),
            Button(f"Remind me to read {first + i}", "rs.remind", found.resource.id),
            Button(f"Remove {first + i}", "rs.unsave", found.resource.id, ButtonStyle.DANGER),
        )
        for i, found in enumerate(page.items)
    )
    return Reply(
        "\n\n".join(lines), buttons=(*rows, *paging.buttons(page, "rs.savedpage")), update=update
    )


def remind_form(resource: Resource) -> Form:
    return Form(
        "rs.remind",
        "Remind me to read",
        (FormInput("when", "When?", placeholder="tomorrow 8pm, on saturday 10am, in 3 days"),),
        submit_label="Remind me",
        context=resource.id,
    )


def suggestion_sent(view: SuggestionView) -> Reply:
    return Reply(
        f"📬 Thanks! I sent {markup.escape(view.url)} to this community's moderators. Once they "
        "approve it, everyone here can find it with `/resources`, credited to you."
    )


def review(pending: list[SuggestionView]) -> Reply:
    if not pending:
        return Reply("No suggestions are waiting for review.")
    shown = pending[:4]
    lines = [f"📥 **{len(pending)} suggestion(s) to review**"]
    for i, s in enumerate(shown, 1):
        why = f" — {markup.escape(s.why)}" if s.why else ""
        lines.append(f"{i}. {markup.escape(s.url)} from {markup.escape(s.suggested_by)}{why}")
    rows = tuple(
        (
            link_button(f"Open {i}", s.url),
            Button(f"Approve {i}", "rs.approve", str(s.id), ButtonStyle.PRIMARY),
            Button(f"Reject {i}", "rs.reject", str(s.id), ButtonStyle.DANGER),
        )
        for i, s in enumerate(shown, 1)
    )
    return Reply("\n".join(lines), buttons=rows)


def approve_form(suggestion_id: int, url: str, title: str) -> Form:
    def choices(values: tuple[str, ...]) -> tuple[Choice, ...]:
        return tuple(Choice(v, v) for v in values)

    return Form(
        "rs.approve",
        "Approve suggestion",
        (
            FormInput("title", "Title", default=title[:200], max_length=200, placeholder=url[:100]),
            FormInput("kind", "Kind", kind="choice", choices=choices(KINDS), default="article"),
            FormInput("level", "Level", kind="choice", choices=choices(LEVELS), default="beginner"),
            FormInput("topic", "Topic", placeholder="llm, mlops, statistics, careers..."),
            FormInput("cost", "Cost", kind="choice", choices=choices(COSTS), default="free"),
        ),
        submit_label="Approve",
        context=str(suggestion_id),
    )


def choice_for(found: Found) -> Choice:
    """One autocomplete choice: picking it searches for the title, which ranks it first."""
    r = found.resource
    label = markup.truncate(f"{r.title} ({r.kind}, {r.level})", 75)
    return Choice(label, r.title[:100], description=markup.truncate(", ".join(r.authors), 75))
