"""Isolation attacks: a victim who used every feature, and an attacker who replays her values.

`seed` gives the victim (Ann) data in every feature through the real core, and returns the values
her buttons, forms and flows carry. `ATTACKS` lists what an attacker forges with those values:
a button press, a form submission or an autocomplete query. Each platform's test module sends
them through its real adapter against its fake (`tests/adapters/*/test_isolation.py`) and checks,
with `Snapshot`, that the database rows of everyone but the attacker are exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from sqlalchemy import event, select

from bot import paging
from bot.app import Core
from bot.chat import (
    ActionClicked,
    Actor,
    FormSubmitted,
    Invocation,
    MessageRef,
    Place,
    Response,
)
from bot.resources.tables import ResourceSuggestion
from bot.router import options_from_text
from bot.storage.tables import (
    Base,
    CheckinWeek,
    Delivery,
    Flow,
    Member,
    Reminder,
    RolefitResult,
)

# What only Ann (or Ann's workspace) may ever see: none of these may reach an attacker.
SHARED_TEXT = "ann shares the standup notes"
PRIVATE_TEXT = "ann's private salary talk"
GOAL = "ann's secret goal: leave my employer"
ANSWER = "ann's confidential progress"
BLOCKER = "ann's blocker: my manager"
WHY = "ann's reason to suggest it"
COMMUNITY_TITLE = "Ann's community-only field guide"
COMMUNITY_URL = "https://example.org/ann-community-guide"
PENDING_URL = "https://example.org/ann-pending-guide"
EXCERPT = "ann's message about layoffs"
SECRETS = (
    SHARED_TEXT,
    PRIVATE_TEXT,
    GOAL,
    ANSWER,
    BLOCKER,
    WHY,
    COMMUNITY_TITLE,
    COMMUNITY_URL,
    PENDING_URL,
    EXCERPT,
)
BOOKMARK = "designing-ml-systems"  # a shipped resource Ann saved
COMMUNITY_QUERY = "community-only field guide"


@dataclass(frozen=True)
class Seeded:
    """The values Ann's buttons, forms and flows carry (as the platform shows them to her)."""

    values: Mapping[str, str]
    victims: frozenset[int]  # member ids whose rows an attacker must not change

    def __getitem__(self, name: str) -> str:
        return self.values[name]


async def say(core: Core, actor: Actor, place: Place, text: str) -> Response:
    """A slash command as the core receives it from any adapter: `/name rest`."""
    name, _, rest = text.lstrip("/").partition(" ")
    options = options_from_text(core.router.spec(name), rest)
    return await core.dispatch(Invocation(name, options, actor, place))


def buttons(response: Response) -> dict[str, str]:
    """action id -> value of the first button (or select choice) with that action."""
    found: dict[str, str] = {}
    for reply in response.replies:
        for row in reply.buttons:
            for button in row:
                found.setdefault(button.action_id, button.value)
        for menu in reply.selects:
            found.setdefault(menu.action_id, menu.choices[0].value)
    return found


def form_context(response: Response) -> str:
    [form] = [reply.form for reply in response.replies if reply.form is not None]
    return form.context


async def seed(core: Core, ann: Actor, admin: Actor, channel: Place, dm: Place) -> Seeded:
    """Ann uses every feature; her workspace's admin approves a resource she suggested."""
    v: dict[str, str] = {}
    await say(core, ann, dm, "/timezone berlin")
    # Reminders: one offered in the channel, one private and repeating, one from a message.
    await say(core, ann, channel, f"/remind in 1 hour {SHARED_TEXT}")
    await say(core, ann, dm, f"/remind every monday 9am {PRIVATE_TEXT}")
    ref = MessageRef(channel.channel_id, "1", "https://chat.example/m/1", EXCERPT, "U0SOMEONE")
    opened = await core.dispatch(Invocation("remind-message", {}, ann, channel, message=ref))
    v["message_flow"] = form_context(opened)
    async with core.sessions() as session:
        for key, text in (("shared", SHARED_TEXT), ("private", PRIVATE_TEXT)):
            found = await session.scalar(select(Reminder.id).where(Reminder.text == text))
            assert found is not None
            v[key] = str(found)
        delivery = await session.scalar(
            select(Delivery.id).where(Delivery.subject_id == int(v["shared"]))
        )
        assert delivery is not None
        v["delivery"] = str(delivery)  # the "reminder DM" whose Snooze/Done buttons carry it
    listed = await say(core, ann, dm, "/reminders")
    v["reminders_page"] = buttons(listed).get("rem.page", paging.encode(1))
    v["confirmed"] = v["private"] + ":yes"  # a Cancel/End button of her confirmation question

    # Resources: a bookmark, a pending suggestion, an approved community-only resource.
    await core.dispatch(ActionClicked("rs.save", BOOKMARK, ann, dm))
    await say(core, ann, dm, f"/resources suggest {COMMUNITY_URL} {WHY}")
    await say(core, ann, dm, f"/resources suggest {PENDING_URL} {WHY}")
    async with core.sessions() as session:
        rows = (await session.execute(select(ResourceSuggestion.id, ResourceSuggestion.url))).all()
    ids = {url: str(row_id) for row_id, url in rows}
    v["suggestion"] = ids[PENDING_URL]
    approval = {
        "title": COMMUNITY_TITLE,
        "kind": "article",
        "level": "beginner",
        "topic": "mlops",
        "cost": "free",
    }
    approved = await core.dispatch(
        FormSubmitted("rs.approve", approval, admin, dm, context=ids[COMMUNITY_URL])
    )
    assert "Approved" in approved.text, approved.text
    found = await say(core, ann, dm, f"/resources {COMMUNITY_QUERY}")
    assert COMMUNITY_TITLE in found.text, found.text
    v["community"] = buttons(found)["rs.more"]

    # Check-ins: set up, this week answered with a blocker, a mistyped answer kept for "Fix it".
    setup = {"action": "setup", "when": "monday 9am", "goal": GOAL}
    await core.dispatch(Invocation("checkin", setup, ann, dm))
    async with core.sessions() as session:
        checkin = await session.scalar(select(Member.id).where(Member.user_id == ann.user_id))
    now = await say(core, ann, dm, "/checkin now")
    async with core.sessions() as session:
        week = await session.scalar(select(CheckinWeek.id).where(CheckinWeek.member_id == checkin))
        checkin_id = await session.scalar(
            select(CheckinWeek.checkin_id).where(CheckinWeek.id == week)
        )
    assert week is not None, now.text
    v["week"], v["checkin"] = str(week), str(checkin_id)
    answers = {"done": ANSWER, "plan": ANSWER, "blockers": BLOCKER, "hours": "5", "confidence": "4"}
    saved = await core.dispatch(FormSubmitted("ck.answer", answers, ann, dm, context=v["week"]))
    assert "saved" in saved.text, saved.text
    mistyped = await core.dispatch(
        FormSubmitted("ck.answer", {**answers, "hours": "lots"}, ann, dm, context=v["week"])
    )
    v["fix"] = buttons(mistyped)["ck.fix"]
    v["history"] = buttons(await say(core, ann, dm, "/checkin history")).get("ck.history", "0:1")

    # Role fit: one questionnaire finished, a second one under way.
    v["result"] = await _finish_rolefit(core, ann, dm)
    started = await say(core, ann, dm, "/rolefit")
    quiz = buttons(started)
    v["quiz_answer"] = quiz.get("rf.answer") or quiz["rf.pick"]
    # Privacy: she asked to erase her data and has not confirmed yet.
    v["erase"] = buttons(await say(core, ann, dm, "/mydata delete"))["mydata.delete"]
    async with core.sessions() as session:
        members = (await session.scalars(select(Member.id))).all()
    return Seeded(v, frozenset(members))


async def _finish_rolefit(core: Core, ann: Actor, dm: Place) -> str:
    response = await say(core, ann, dm, "/rolefit")
    for _ in range(40):
        offered = buttons(response)
        if "rf.retake" in offered:
            async with core.sessions() as session:
                result = await session.scalar(select(RolefitResult.id))
            assert result is not None and offered["rf.retake"] == str(result)
            return str(result)
        action = next(a for a in ("rf.answer", "rf.pick") if a in offered)
        response = await core.dispatch(ActionClicked(action, offered[action], ann, dm))
    raise AssertionError(f"the questionnaire did not finish: {response.text}")


Kind = Literal["press", "submit", "complete", "command"]


@dataclass(frozen=True)
class Attack:
    """One forged request: `name` is an action, a form, `command/option` or a command line.

    `refused` lists what the attacker may be told (any one of them); a command that lists the
    attacker's own data is "refused" by showing them nothing of Ann's. With `admin`, the attacker
    is an admin of another workspace, or a plain member of Ann's; `other_workspace` attacks are
    only attacks from another workspace (in Ann's they are what the community shares).
    """

    label: str
    kind: Kind
    name: str
    value: str = ""  # a key of `Seeded.values`, or literal text after `=`
    refused: tuple[str, ...] = ()
    form: Mapping[str, str] = field(default_factory=dict)
    admin: bool = False
    other_workspace: bool = False

    def resolve(self, seeded: Seeded) -> str:
        if not self.value or self.value.startswith("="):
            return self.value[1:]
        return seeded[self.value]


GONE = "can't find that reminder"
OWNER = "Only the person who set that reminder"
NOT_FOLLOWING = "You're not on this reminder"
RECIPIENT = "belong to the person who got this reminder"
MESSAGE_FORM = "That form has expired"
NO_REMINDERS = "You have no upcoming reminders"
NO_BOOKMARKS = "You have no saved resources"
NOT_ADMIN = "Only this community's admins"
NO_SUGGESTION = "can't find that suggestion"
NO_PENDING = "No suggestions are waiting"
CHECKIN = "belong to the person whose check-in this is"
NO_CHECKIN = "You have no weekly check-in"
NO_HISTORY = "No answered check-ins yet"
NOT_ADMIN_CHECKIN = "Only community admins can use"
REPORT = "Check-in participation by week"  # the attacker's own workspace's, which is empty
QUIZ = "are not yours"
RESULT = "That result is not there any more"
NO_RESULTS = "You have no role-fit results"
ZONE = "Your time zone is"
NOT_HER_ERASE = "That confirmation is not yours or has expired"
WHEN = {"when": "in 2 hours", "what": "hijacked"}
ANSWERS = {"done": "x", "plan": "y", "blockers": "", "hours": "1", "confidence": "1"}
APPROVAL = {"title": "x", "kind": "article", "level": "beginner", "topic": "mlops", "cost": "free"}


ATTACKS: tuple[Attack, ...] = (
    # -- reminders -----------------------------------------------------------------------------
    Attack("cancel her reminder", "press", "rem.cancel", "shared", (OWNER, GONE)),
    Attack("confirm cancelling it", "press", "rem.cancel", "confirmed", (OWNER, GONE)),
    Attack("open its edit form", "press", "rem.edit", "shared", (OWNER, GONE)),
    Attack("submit its edit form", "submit", "rem.edit", "shared", (OWNER, GONE), WHEN),
    Attack("pause her repeating one", "press", "rem.pause", "private", (OWNER, GONE)),
    Attack("resume it", "press", "rem.resume", "private", (OWNER, GONE)),
    Attack("end it", "press", "rem.end", "private", (OWNER, GONE)),
    Attack("keep it", "press", "rem.keep", "private", (OWNER, GONE)),
    Attack("join her private one", "press", "rem.follow", "private", (GONE,)),
    Attack(
        "join from another workspace",
        "press",
        "rem.follow",
        "shared",
        (GONE,),
        other_workspace=True,
    ),
    Attack("leave for someone", "press", "rem.leave", "shared", (NOT_FOLLOWING, GONE)),
    Attack("snooze her DM", "press", "rem.snooze10", "delivery", (RECIPIENT, GONE)),
    Attack("snooze it an hour", "press", "rem.snooze60", "delivery", (RECIPIENT, GONE)),
    Attack("snooze it to tomorrow", "press", "rem.snoozetomorrow", "delivery", (RECIPIENT, GONE)),
    Attack("open custom snooze", "press", "rem.snoozecustom", "delivery", (RECIPIENT, GONE)),
    Attack("submit custom snooze", "submit", "rem.snooze", "delivery", (RECIPIENT, GONE), WHEN),
    Attack("press Done on her DM", "press", "rem.done", "delivery", (RECIPIENT, GONE)),
    Attack(
        "finish her message flow", "submit", "rem.message", "message_flow", (MESSAGE_FORM,), WHEN
    ),
    Attack("page her list", "press", "rem.page", "reminders_page", (NO_REMINDERS,)),
    Attack("list reminders", "command", "reminders", "", (NO_REMINDERS,)),
    # -- resources -----------------------------------------------------------------------------
    Attack("remove her bookmark", "press", "rs.unsave", "=" + BOOKMARK, (NO_BOOKMARKS,)),
    Attack("page her bookmarks", "press", "rs.savedpage", "=1", (NO_BOOKMARKS,)),
    Attack("list bookmarks", "command", "resources saved", "", (NO_BOOKMARKS,)),
    Attack(
        "open her approval",
        "press",
        "rs.approve",
        "suggestion",
        (NOT_ADMIN, NO_SUGGESTION),
        admin=True,
    ),
    Attack(
        "approve her suggestion",
        "submit",
        "rs.approve",
        "suggestion",
        (NOT_ADMIN, NO_SUGGESTION),
        APPROVAL,
        admin=True,
    ),
    Attack(
        "reject her suggestion",
        "press",
        "rs.reject",
        "suggestion",
        (NOT_ADMIN, NO_SUGGESTION),
        admin=True,
    ),
    Attack(
        "review suggestions", "command", "resources review", "", (NOT_ADMIN, NO_PENDING), admin=True
    ),
    Attack(
        "search her community's additions",
        "command",
        f"resources {COMMUNITY_QUERY}",
        "",
        ("found",),
        other_workspace=True,
    ),
    Attack(
        "save her community's addition",
        "press",
        "rs.save",
        "community",
        ("can't find",),
        other_workspace=True,
    ),
    Attack(
        "more like her community's addition",
        "press",
        "rs.more",
        "community",
        ("can't find",),
        other_workspace=True,
    ),
    Attack(
        "complete her community's additions",
        "complete",
        "resources/query",
        "=Ann's community",
        other_workspace=True,
    ),
    # -- check-ins -----------------------------------------------------------------------------
    Attack("open her answer form", "press", "ck.answer", "week", (CHECKIN,)),
    Attack("submit her answers", "submit", "ck.answer", "week", (CHECKIN,), ANSWERS),
    Attack("open her skip form", "press", "ck.skip", "week", (CHECKIN,)),
    Attack("skip her week", "submit", "ck.skip", "week", (CHECKIN,), {"reason": "hijacked"}),
    Attack("fix her typed answers", "press", "ck.fix", "fix", (CHECKIN, "expired")),
    Attack("remind about her blocker", "press", "ck.blocker", "week", (CHECKIN,)),
    Attack("pause her check-in", "press", "ck.pause", "checkin", (CHECKIN,)),
    Attack("resume her check-in", "press", "ck.resume", "checkin", (CHECKIN,)),
    Attack("change her check-in", "press", "ck.change", "checkin", (CHECKIN,)),
    Attack("answer her week now", "press", "ck.now", "checkin", (CHECKIN,)),
    Attack("page her history", "press", "ck.history", "history", (NO_HISTORY,)),
    Attack("show history", "command", "checkin history", "", (NO_HISTORY,)),
    Attack("show the check-in", "command", "checkin", "", (NO_CHECKIN,)),
    Attack("team report", "command", "checkin report", "", (NOT_ADMIN_CHECKIN, REPORT), admin=True),
    # -- role fit ------------------------------------------------------------------------------
    Attack("answer her questionnaire", "press", "rf.answer", "quiz_answer", (QUIZ,)),
    Attack("pick in her questionnaire", "press", "rf.pick", "quiz_answer", (QUIZ,)),
    Attack("go back in it", "press", "rf.back", "quiz_answer", (QUIZ,)),
    Attack("show her result's resources", "press", "rf.resources", "result", (RESULT,)),
    Attack("set her revisit reminder", "press", "rf.remind", "result", (RESULT,)),
    Attack("role-fit history", "command", "rolefit history", "", (NO_RESULTS,)),
    # -- privacy -------------------------------------------------------------------------------
    Attack("erase with her confirmation", "press", "mydata.delete", "erase", (NOT_HER_ERASE,)),
    Attack("keep with her confirmation", "press", "mydata.keep", "erase", (NOT_HER_ERASE,)),
    Attack("export data", "command", "mydata export"),
    # -- profile -------------------------------------------------------------------------------
    Attack("show the time zone", "command", "timezone", "", (ZONE,)),
)


def judge(attack: Attack, seen: str, changes: list[str]) -> list[str]:
    """What went wrong with one attack (nothing when it was refused and nothing leaked)."""
    problems = [f"{attack.label}: shown {secret!r}" for secret in leaked(seen)]
    problems += [f"{attack.label}: changed {change}" for change in changes]
    if attack.refused and not any(phrase in seen for phrase in attack.refused):
        problems.append(f"{attack.label}: no refusal ({' / '.join(attack.refused)}) in {seen!r}")
    return problems


# -- the database before and after -----------------------------------------------------------

ATTACKER_MAY_CHANGE = {"workspaces", "members", "flows", "seen_events"}


@dataclass(frozen=True)
class Snapshot:
    """Every row of every table, as text, so any change to anyone's data shows."""

    rows: Mapping[str, frozenset[tuple[str, ...]]]

    @classmethod
    async def take(cls, core: Core) -> Snapshot:
        rows: dict[str, frozenset[tuple[str, ...]]] = {}
        async with core.sessions() as session:
            for table in Base.metadata.sorted_tables:
                result = await session.execute(select(table))
                rows[table.name] = frozenset(
                    tuple(f"{column}={value}" for column, value in row._mapping.items())
                    for row in result
                )
        return cls(rows)

    def changes(self, after: Snapshot, victims: frozenset[int]) -> list[str]:
        """Rows added, changed or removed that an attacker's own first contact does not explain.

        An attacker may get a member row (and a workspace row, and a flow of their own); any
        other difference, or any difference to a victim's member row or flow, is a leak.
        """
        found: list[str] = []
        for table, before in self.rows.items():
            now = after.rows[table]
            for row in sorted(before ^ now):
                sign = "+" if row in now else "-"
                if table == "workspaces" and sign == "+":
                    continue  # the attacker's own workspace, on first contact
                if table in ATTACKER_MAY_CHANGE and not _touches(table, row, victims):
                    continue
                found.append(f"{sign} {table}: {', '.join(row)}")
        return found


def _touches(table: str, row: tuple[str, ...], victims: frozenset[int]) -> bool:
    column = {"members": "id", "flows": "member_id"}.get(table)
    if column is None:
        return table == "workspaces"  # a workspace's settings are not the attacker's to change
    return any(cell == f"{column}={victim}" for cell in row for victim in victims)


def leaked(seen: str) -> list[str]:
    """The victim's secrets that appear in what an attacker was shown."""
    lowered = seen.lower()
    return [secret for secret in SECRETS if secret.lower() in lowered]


async def member_ids(core: Core) -> frozenset[int]:
    async with core.sessions() as session:
        return frozenset((await session.scalars(select(Member.id))).all())


async def flows_of(core: Core, member: int) -> int:
    async with core.sessions() as session:
        return len((await session.scalars(select(Flow.id).where(Flow.member_id == member))).all())


# -- every query a request runs is scoped ----------------------------------------------------

# A workspace (by id or external id), a member (a row's member or owner, or the member's own row).
_SCOPE = re.compile(
    r"\b(?:workspace_id|member_id|owner_id|external_id|members\.id)\s*(?:=|IN)\s*(?:\?|\$\d+|\()",
    re.I,
)
_IN_REQUEST: ContextVar[bool] = ContextVar("in_request", default=False)


class QueryGuard:
    """Records each statement a request runs against a table with a `workspace_id` column that
    does not filter on the workspace (or on a member, who belongs to one) by a parameter.

    A value that names a row by its id is exactly what an attacker edits, so a lookup by id
    alone is reported even when the code checks the owner afterwards: the scope belongs in the
    query. Only requests are watched (`core.dispatch`, `core.home`), not the delivery queue,
    which works across workspaces by design.
    """

    def __init__(self, core: Core) -> None:
        self.core = core
        self.unscoped: list[str] = []
        self.watched = 0
        self._tables = [t.name for t in Base.metadata.sorted_tables if "workspace_id" in t.c]

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in ("dispatch", "home"):
            monkeypatch.setattr(self.core, name, _in_request(getattr(self.core, name)))
        event.listen(self.core.engine.sync_engine, "before_cursor_execute", self._check)

    def remove(self) -> None:
        event.remove(self.core.engine.sync_engine, "before_cursor_execute", self._check)

    def _check(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        text = " ".join(statement.split())
        if not _IN_REQUEST.get() or not text.upper().startswith(("SELECT", "UPDATE", "DELETE")):
            return
        self.watched += 1
        touched = [t for t in self._tables if re.search(rf"\b(?:FROM|JOIN|UPDATE) {t}\b", text)]
        if touched and not _SCOPE.search(text):
            self.unscoped.append(text)


def _in_request(method: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
    async def watched(argument: Any) -> Any:
        token = _IN_REQUEST.set(True)
        try:
            return await method(argument)
        finally:
            _IN_REQUEST.reset(token)

    return watched
