"""How role fit looks in chat: a question, the result, the history, the role profiles.

Pure functions from view data to `Reply`s. All text here is ours (content files included), but
it still goes through `markup.escape` so a stray `_` or `*` in a YAML file cannot turn into
formatting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from bot import markup
from bot.chat import MAX_CHOICE_DESCRIPTION, Button, ButtonStyle, Choice, Field, Reply, Select
from bot.rolefit.content import Question, Questionnaire, Role, RoleBook
from bot.rolefit.library import ResourceLink
from bot.rolefit.ranking import Ranking, RoleScore
from bot.rolefit.service import ResultView

MEDALS = ("🥇", "🥈", "🥉")
TOP = 3  # roles the result explains
REASONS = 3  # answers quoted under "why" for each role
MOVED = 5  # percentage points a role must move to be named under "what changed"

ANSWER = "rf.answer"
PICK = "rf.pick"
BACK = "rf.back"
RETAKE = "rf.retake"
RESOURCES = "rf.resources"
REMIND = "rf.remind"
ROLE = "rf.role"
START = "rf.start"


def answer_value(token: str, answer_id: str) -> str:
    """What an answer's button or select choice carries: the flow step and the answer."""
    return f"{token}|{answer_id}"


def question(
    item: Question,
    number: int,
    total: int,
    token: str,
    *,
    can_go_back: bool,
    update: bool,
    note: str = "",
) -> Reply:
    """One question with its answers as buttons (a multi-select when several may be picked)."""
    filled = round(10 * (number - 1) / total)
    lines = [f"**Role fit {number}/{total}** {'▰' * filled}{'▱' * (10 - filled)}"]
    if note:
        lines.insert(0, note)
    lines.append(markup.escape(item.text))
    rows: list[tuple[Button, ...]] = []
    selects: tuple[Select, ...] = ()
    if item.pick_up_to > 1:
        choices = tuple(Choice(a.text, answer_value(token, a.id)) for a in item.answers)
        selects = (
            Select(
                PICK,
                f"Pick up to {item.pick_up_to}",
                choices,
                multi=True,
                min=1,
                max=item.pick_up_to,
            ),
        )
    else:
        rows.append(tuple(Button(a.text, ANSWER, answer_value(token, a.id)) for a in item.answers))
    if can_go_back:
        rows.append((Button("◀ Back", BACK, token),))
    return Reply("\n".join(lines), buttons=tuple(rows), selects=selects, update=update)


def _role_block(
    place: int, score: RoleScore, role: Role, links: Sequence[ResourceLink]
) -> list[str]:
    lines = [f"{MEDALS[place]} **{markup.escape(role.label)}: {score.percent}% fit**"]
    if score.reasons:
        why = "; ".join(markup.escape(c.reason) for c in score.reasons[:REASONS])
        lines.append(f"__Why:__ {why}.")
    if score.against:
        lines.append(f"__Against:__ {markup.escape(score.against[0].reason)}.")
    lines.append(f"__The work:__ {markup.escape(role.summary)}")
    steps = " ".join(
        f"{n}. {markup.escape(step)}" for n, step in enumerate(role.first_steps, start=1)
    )
    lines.append(f"__First steps:__ {steps}")
    if links:
        lines.append("__Start with:__ " + "; ".join(_link(link) for link in links[:2]))
    return lines


def _link(link: ResourceLink) -> str:
    return markup.link(link.title, link.url)


def result(
    ranking: Ranking,
    book: RoleBook,
    result_id: int,
    links: Mapping[str, Sequence[ResourceLink]],
    *,
    update: bool,
) -> Reply:
    """The top three roles: fit, why, the work, first steps, where to start; and what next."""
    lines = ["**Your role fit**"]
    for place, score in enumerate(ranking.top(TOP)):
        role = book.get(score.role_id)
        if role is not None:
            lines += ["", *_role_block(place, score, role, links.get(score.role_id, ()))]
    lines += [
        "",
        "__How the score works: each answer adds fixed points to some roles; a fit of 80% means "
        "your total is 80% of the way from the lowest to the highest that role can get.__",
    ]
    value = str(result_id)
    row = []
    if any(links.values()):
        row.append(Button("Show resources", RESOURCES, value, ButtonStyle.PRIMARY))
    row += [
        Button("Remind me in a week to revisit", REMIND, value),
        Button("Retake", RETAKE, value),
    ]
    return Reply("\n".join(lines), buttons=(tuple(row),), update=update)


def resources(
    scores: Sequence[tuple[str, int]],
    book: RoleBook,
    level: str,
    links: Mapping[str, Sequence[ResourceLink]],
) -> Reply:
    """The resource library's best picks for each of the member's top roles, at their level."""
    lines = [f"**Resources for your top roles** (level: {markup.escape(level)})"]
    for role_id, percent in scores[:TOP]:
        role = book.get(role_id)
        if role is None:
            continue
        lines += ["", f"**{markup.escape(role.label)}** ({percent}% fit)"]
        found = links.get(role_id, ())
        if not found:
            lines.append("Nothing in the library for this role at your level yet.")
        for link in found:
            note = f" — {markup.escape(link.note)}" if link.note else ""
            lines.append(f"• {_link(link)}{note}")
    return Reply("\n".join(lines))


def _date(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%d %b %Y, %H:%M")


def changes(newer: ResultView, older: ResultView, book: RoleBook, quiz: Questionnaire) -> list[str]:
    """What moved between two results, in plain words: the top role, big moves, answers."""

    def label(role_id: str) -> str:
        role = book.get(role_id)
        return markup.escape(role.label if role else role_id)

    lines = []
    if newer.top != older.top:
        lines.append(f"Your top role changed from {label(older.top)} to {label(newer.top)}.")
    else:
        lines.append(f"{label(newer.top)} is still your top role.")
    before = dict(older.scores)
    moves = [
        (percent - before[role_id], role_id, percent)
        for role_id, percent in newer.scores
        if role_id in before and abs(percent - before[role_id]) >= MOVED
    ]
    moves.sort(key=lambda move: -abs(move[0]))
    for delta, role_id, percent in moves[:4]:
        lines.append(f"• {label(role_id)}: {before[role_id]}% → {percent}% ({delta:+d})")
    for item in quiz.questions:
        old, new = older.answers.get(item.id, ()), newer.answers.get(item.id, ())
        if old != new:
            lines.append(
                f"• You answered “{markup.escape(item.text)}” with {_answers(item, new)} "
                f"instead of {_answers(item, old)}."
            )
    return lines


def _answers(item: Question, chosen: Sequence[str]) -> str:
    if not chosen:
        return "nothing"
    texts = []
    for answer_id in chosen:
        answer = item.answer(answer_id)
        texts.append(f"“{markup.escape(answer.text if answer else answer_id)}”")
    return " and ".join(texts)


def history(
    results: Sequence[ResultView],
    book: RoleBook,
    quiz: Questionnaire,
    *,
    tz: tzinfo,
) -> Reply:
    """Earlier results side by side (newest first) and what changed since the one before."""
    if not results:
        return Reply("You have no role-fit results yet. Take `/rolefit` to get your first.")
    fields = []
    for item in results:
        top = "\n".join(
            f"{n}. {markup.escape(_label(book, role_id))} {percent}%"
            for n, (role_id, percent) in enumerate(item.scores[:TOP], start=1)
        )
        fields.append(Field(_date(item.taken_at, tz), top))
    lines = [f"**Your role-fit results** (newest first, {len(results)} shown)"]
    if len(results) > 1:
        lines += ["", f"**What changed since {_date(results[1].taken_at, tz)}**"]
        lines += changes(results[0], results[1], book, quiz)
    else:
        lines.append("Take it again later (`/rolefit retake`) to see what changed.")
    return Reply("\n".join(lines), fields=tuple(fields))


def _label(book: RoleBook, role_id: str) -> str:
    role = book.get(role_id)
    return role.label if role else role_id


def role_choices(book: RoleBook) -> tuple[Choice, ...]:
    return tuple(
        Choice(role.label, role.id, markup.truncate(role.summary, MAX_CHOICE_DESCRIPTION))
        for role in book.roles
    )


def role_list(book: RoleBook) -> Reply:
    """Every role in a line, and a select to open one."""
    lines = ["**ML career roles** (pick one to read its profile, or `/roles <name>`)"]
    for role in book.roles:
        lines.append(f"• **{markup.escape(role.label)}**: {markup.escape(role.summary)}")
    select = Select(ROLE, "Open a role profile", role_choices(book))
    return Reply("\n".join(lines), selects=(select,))


DEMANDS = ("maths", "software", "infrastructure", "stakeholders")
WAYS = {
    "data-science": "From data science",
    "software": "From software",
    "devops": "From DevOps",
    "academia": "From academia",
    "data-engineering": "From data engineering",
}


def profile(role: Role, book: RoleBook, *, update: bool = False) -> Reply:
    """One role's full profile with its sources."""
    e = markup.escape
    lines = [f"**{e(role.label)}**", e(role.summary), "", "**Day to day**"]
    lines += [f"• {e(item)}" for item in role.day_to_day]
    lines += ["", f"**Who tends to enjoy it:** {e(role.enjoys)}"]
    demands = " · ".join(f"{name} {getattr(role.demands, name)}" for name in DEMANDS)
    lines += [f"**How much it takes:** {demands}", "", "**Ways in**"]
    lines += [f"• {WAYS[way.from_]}: {e(way.how)}" for way in role.ways_in]
    lines += ["", "**First steps**"]
    lines += [f"{n}. {e(step)}" for n, step in enumerate(role.first_steps, start=1)]
    lines += ["", "**Sources**"]
    for claim in role.sources:
        source = book.sources[claim.source]
        where = markup.link(source.title, source.url) if source.url else e(source.title)
        lines.append(f"• {e(claim.claim)} — {where}")
    select = Select(ROLE, "Another role", role_choices(book))
    start = Button("Which role fits me? Take the questionnaire", START, "", ButtonStyle.PRIMARY)
    return Reply("\n".join(lines), buttons=((start,),), selects=(select,), update=update)
