"""Flows: multi-step state that survives restarts, goes back, expires, stays its member's own."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor, FormSubmitted
from bot.clock import FakeClock
from bot.flows import FlowGone, Flows, FlowSpec, Progress
from bot.profile.service import MemberInfo, Profiles
from bot.storage import migrate
from bot.storage.engine import make_engine
from bot.storage.tables import Flow, Member, Reminder, Workspace
from bot.storage.types import UTCDateTime
from tests.conftest import make_settings
from tests.support.conversation import count

QUESTIONS = 10


class Answers(BaseModel):
    model_config = ConfigDict(frozen=True)

    picked: tuple[str, ...] = ()


QUIZ = FlowSpec(
    "role-fit", Answers, lifetime=timedelta(weeks=3), gone="Those answers have expired."
)
CHECKIN = FlowSpec("checkin-setup", Answers, lifetime=timedelta(hours=1))


async def open_core(url: str, clock: FakeClock) -> Core:
    core = Core(make_settings(url), clock=clock)
    await core.migrate()
    await core.start()
    return core


@pytest.fixture
async def db_core(database_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    core = await open_core(database_url, clock)
    try:
        yield core
    finally:
        await core.close()


async def member(core: Core, user: str) -> MemberInfo:
    async with core.sessions.begin() as session:
        return await Profiles("UTC", core.clock).member(session, Actor("console", "local", user))


async def answer(
    core: Core, flows: Flows, who: MemberInfo, token: str, choice: str
) -> Progress[Answers]:
    """What an answer button's handler does: load the presser's flow, record, move on."""
    async with core.sessions.begin() as session:
        progress = await flows.load(session, who, QUIZ, token)
        return await flows.advance(
            session, progress, Answers(picked=(*progress.state.picked, choice))
        )


async def test_a_questionnaire_survives_a_restart_and_goes_back(
    database_url: str, clock: FakeClock
) -> None:
    core = await open_core(database_url, clock)
    flows = Flows(clock.now)
    ann = await member(core, "ann")
    async with core.sessions.begin() as session:
        progress = await flows.start(session, ann, QUIZ, Answers())
    for choice in ("a", "b", "c"):
        progress = await answer(core, flows, ann, progress.token, choice)
    token = progress.token
    await core.close()

    core = await open_core(database_url, clock)  # the bot restarted between two clicks
    try:
        flows = Flows(clock.now)
        async with core.sessions.begin() as session:
            resumed = await flows.resume(session, ann, QUIZ)
        assert resumed is not None
        assert (resumed.step, resumed.state.picked, resumed.token) == (3, ("a", "b", "c"), token)

        async with core.sessions.begin() as session:
            back = await flows.back(session, await flows.load(session, ann, QUIZ, token))
        assert (back.step, back.state.picked, back.can_go_back) == (2, ("a", "b"), True)

        progress = await answer(core, flows, ann, back.token, "z")
        for choice in "defghij":
            progress = await answer(core, flows, ann, progress.token, choice)
        assert progress.step == QUESTIONS
        assert progress.state.picked == ("a", "b", "z", *"defghij")

        async with core.sessions.begin() as session:
            await flows.finish(session, await flows.load(session, ann, QUIZ, progress.token))
        assert await count(core, Flow) == 0
        async with core.sessions.begin() as session:
            assert await flows.resume(session, ann, QUIZ) is None
    finally:
        await core.close()


async def test_one_transaction_sees_its_own_steps(db_core: Core, clock: FakeClock) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        start = await flows.start(session, ann, QUIZ, Answers())
        loaded = await flows.load(session, ann, QUIZ, start.token)
        await flows.advance(session, loaded, Answers(picked=("a",)))
        again = await flows.load(session, ann, QUIZ, str(start.id))
        assert (again.step, again.state.picked) == (1, ("a",))
        back = await flows.back(session, again)
        resumed = await flows.resume(session, ann, QUIZ)
        assert resumed is not None and resumed.token == back.token == start.token
        await flows.finish(session, resumed)
        assert await flows.resume(session, ann, QUIZ) is None


async def test_back_at_the_first_step_stays_there(db_core: Core, clock: FakeClock) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        start = await flows.start(session, ann, QUIZ, Answers())
        assert not start.can_go_back
        assert await flows.back(session, start) == start


async def test_a_button_of_an_earlier_step_is_refused(db_core: Core, clock: FakeClock) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        first = await flows.start(session, ann, QUIZ, Answers())
    await answer(db_core, flows, ann, first.token, "a")
    with pytest.raises(FlowGone, match="earlier step"):
        await answer(db_core, flows, ann, first.token, "a")  # pressed twice
    async with db_core.sessions() as session:
        progress = await flows.load(session, ann, QUIZ, str(first.id))  # a bare id: any step
    assert (progress.step, progress.state.picked) == (1, ("a",))


async def test_two_presses_of_one_step_advance_once(db_core: Core, clock: FakeClock) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        first = await flows.start(session, ann, QUIZ, Answers())
    async with db_core.sessions.begin() as session:
        await flows.advance(session, first, Answers(picked=("a",)))
    async with db_core.sessions.begin() as session:
        with pytest.raises(FlowGone):
            await flows.advance(session, first, Answers(picked=("b",)))  # loaded before the first
        with pytest.raises(FlowGone):
            await flows.finish(session, first)
    async with db_core.sessions() as session:
        assert (await flows.load(session, ann, QUIZ, f"{first.id}.1")).state.picked == ("a",)


async def test_another_members_token_cannot_advance_their_flow(
    db_core: Core, clock: FakeClock
) -> None:
    flows = Flows(clock.now)
    ann, mallory = await member(db_core, "ann"), await member(db_core, "mallory")
    async with db_core.sessions.begin() as session:
        anns = await flows.start(session, ann, QUIZ, Answers())
        await flows.start(session, mallory, QUIZ, Answers())
    for token in (anns.token, str(anns.id)):
        with pytest.raises(FlowGone, match="Those answers have expired"):
            await answer(db_core, flows, mallory, token, "forged")
    async with db_core.sessions.begin() as session:
        with pytest.raises(FlowGone):  # nor as another kind of flow of ann's own
            await flows.load(session, ann, CHECKIN, anns.token)
        mine = await flows.resume(session, ann, QUIZ)
    assert mine is not None and (mine.step, mine.state.picked) == (0, ())


@pytest.mark.parametrize("token", ["", "x", "1.x", "-1", "99999999999", "2147483648", "1.2.3"])
async def test_forged_tokens_name_nothing(db_core: Core, clock: FakeClock, token: str) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        await flows.start(session, ann, QUIZ, Answers())
    async with db_core.sessions() as session:
        with pytest.raises(FlowGone, match="Those answers have expired"):
            await flows.load(session, ann, QUIZ, token)


async def test_one_flow_per_member_and_name_starting_again_replaces_it(
    db_core: Core, clock: FakeClock
) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        old = await flows.start(session, ann, QUIZ, Answers(picked=("old",)))
        other = await flows.start(session, ann, CHECKIN, Answers())
        new = await flows.start(session, ann, QUIZ, Answers())
    assert await count(db_core, Flow) == 2
    async with db_core.sessions() as session:
        with pytest.raises(FlowGone):  # the old run's buttons do nothing to the new run
            await flows.load(session, ann, QUIZ, old.token)
        assert (await flows.load(session, ann, QUIZ, new.token)).state.picked == ()
        assert (await flows.load(session, ann, CHECKIN, other.token)).id == other.id


async def test_it_expires_after_its_lifetime_idle_and_the_sweep_removes_it(
    db_core: Core, clock: FakeClock
) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        quiz = await flows.start(session, ann, QUIZ, Answers())
        checkin = await flows.start(session, ann, CHECKIN, Answers())
    clock.advance(timedelta(weeks=2))
    quiz = await answer(db_core, flows, ann, quiz.token, "a")  # a write keeps it alive
    clock.advance(timedelta(weeks=2))
    async with db_core.sessions() as session:
        assert (await flows.load(session, ann, QUIZ, quiz.token)).step == 1
        with pytest.raises(FlowGone, match="That has expired; please start again."):
            await flows.load(session, ann, CHECKIN, checkin.token)
    assert await db_core.sweep() == 1  # the idle check-in setup only
    assert [row.name for row in await rows(db_core)] == ["role-fit"]
    clock.advance(timedelta(weeks=3))
    async with db_core.sessions() as session:
        with pytest.raises(FlowGone, match="Those answers have expired."):
            await flows.load(session, ann, QUIZ, quiz.token)
    assert await db_core.sweep() == 1
    assert await count(db_core, Flow) == 0


async def rows(core: Core) -> list[Flow]:
    async with core.sessions() as session:
        return list(await session.scalars(select(Flow)))


@pytest.mark.parametrize(
    "state, history",
    [('{"picked": 7}', "[]"), ("not json", "[]"), ('{"picked": []}', "{bad")],
)
async def test_a_state_that_no_longer_fits_is_treated_as_expired(
    db_core: Core, clock: FakeClock, state: str, history: str
) -> None:
    flows = Flows(clock.now)
    ann = await member(db_core, "ann")
    async with db_core.sessions.begin() as session:
        progress = await flows.start(session, ann, QUIZ, Answers())
        await session.execute(update(Flow).values(state=state, history=history))
    async with db_core.sessions() as session:
        with pytest.raises(FlowGone, match="Those answers have expired."):
            await flows.load(session, ann, QUIZ, progress.token)
    async with db_core.sessions.begin() as session:
        assert await flows.resume(session, ann, QUIZ) is None  # and "resume" starts afresh
    assert await count(db_core, Flow) == 0


async def test_a_flow_name_must_fit_the_column_and_the_token() -> None:
    with pytest.raises(ValueError):
        FlowSpec("x" * 33, Answers, lifetime=timedelta(days=1))
    with pytest.raises(ValueError):
        FlowSpec("a.b", Answers, lifetime=timedelta(days=1))


async def test_an_open_message_form_survives_a_restart(store_url: str, clock: FakeClock) -> None:
    core = await open_core(store_url, clock)
    chat = ConsoleChat(core)
    await chat.say("the deploy checklist is in the wiki")
    form = await chat.say("/remind-message")
    assert form[0] == "📝 Remind me about this"
    pending = chat.form
    await core.close()

    core = await open_core(store_url, clock)
    try:
        chat = ConsoleChat(core)
        chat.form = pending  # the member's form stayed open on their screen
        await chat.say("in 2 hours")
        done = await chat.say("")
        assert done[0].startswith("✅ I'll remind you Mon 23 Nov 2026, 15:00 UTC")
        async with core.sessions() as session:
            reminder = (await session.scalars(select(Reminder))).one()
        assert reminder.source_excerpt == "the deploy checklist is in the wiki"
        assert await count(core, Flow) == 0
    finally:
        await core.close()


def _upgrade_to(connection: Connection, revision: str) -> None:
    config = migrate.alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def test_open_drafts_become_flows_on_upgrade(database_url: str, clock: FakeClock) -> None:
    engine = make_engine(database_url)
    drafts = sa.table(
        "drafts",
        sa.column("id", sa.Integer()),
        sa.column("member_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("payload", sa.Text()),
        sa.column("created_at", UTCDateTime()),
    )
    long_excerpt = "x" * 500
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "0001")
            now = clock.now()
            await connection.execute(
                sa.insert(Workspace).values(
                    id=1, platform="console", external_id="local", created_at=now
                )
            )
            await connection.execute(
                sa.insert(Member).values(
                    id=1, workspace_id=1, user_id="you", display_name="you", created_at=now
                )
            )
            await connection.execute(
                sa.insert(drafts),
                [
                    {
                        "id": 1,
                        "member_id": 1,
                        "kind": "remind-message",
                        "created_at": now,
                        "payload": json.dumps({"link": "", "excerpt": "older", "channel": "dm"}),
                    },
                    {
                        "id": 2,
                        "member_id": 1,
                        "kind": "remind-message",
                        "created_at": now,
                        "payload": json.dumps(
                            {
                                "link": "https://chat.example.org/m/2",
                                "excerpt": long_excerpt,
                                "channel": "dm",
                            }
                        ),
                    },
                ],
            )
    finally:
        await engine.dispose()

    core = await open_core(database_url, clock)  # migrates the rest of the way
    try:
        assert [(row.id, row.name) for row in await rows(core)] == [(2, "remind-message")]
        chat = ConsoleChat(core)
        submitted = FormSubmitted(
            "rem.message", {"when": "in 2 hours", "what": ""}, chat.actor(), chat.place, "2"
        )
        done = await core.dispatch(submitted)
        assert done.text.startswith("✅"), done.text
        async with core.sessions() as session:
            reminder = (await session.scalars(select(Reminder))).one()
        assert reminder.source_link == "https://chat.example.org/m/2"
        assert reminder.source_excerpt == "x" * 279 + "…"
        # New flows get fresh ids after the carried-over ones (PostgreSQL's sequence moved).
        await chat.say("another message", as_user="bob")
        await chat.say("/remind-message", as_user="bob")
        assert [row.id for row in await rows(core)] == [3]
    finally:
        await core.close()
