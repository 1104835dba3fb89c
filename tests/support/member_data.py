"""A member who used every feature, and what the database holds about a member afterwards:
shared by the privacy tests on the console harness and on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Column, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import ActionClicked, Actor, Invocation, Place
from bot.clock import FakeClock
from bot.features import feature_list
from bot.storage.tables import Base
from tests.support.conversation import dispatcher_idle
from tests.unit.rolefit_personas import PERSONAS
from tests.unit.test_rolefit_chat import answer_all

CHANNEL = Place("c1", is_dm=False)
ELSEWHERE = Actor("console", "elsewhere", "you", display_name="you")  # same id, other workspace


def member_columns() -> dict[Table, list[Column[int]]]:
    """Every table with a column that points at `members.id` (the member table aside), once
    every feature's modules (and so their tables) are loaded."""
    feature_list()
    found: dict[Table, list[Column[int]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "members":
            continue
        columns = [
            column
            for column in table.columns
            if any(key.column.table.name == "members" for key in column.foreign_keys)
        ]
        if columns:
            found[table] = columns
    return found


async def rows_about(session: AsyncSession, member_id: int) -> dict[str, int]:
    """How many rows of each member table point at `member_id`."""
    counts: dict[str, int] = {}
    for table, columns in member_columns().items():
        for column in columns:
            query = select(func.count()).select_from(table).where(column == member_id)
            counts[f"{table.name}.{column.name}"] = int(await session.scalar(query) or 0)
    return counts


async def every_feature(chat: ConsoleChat, core: Core, clock: FakeClock) -> None:
    """`you` (and `bob`, beside them) use every feature; `you` in another workspace some."""
    await chat.say("/timezone berlin")
    await chat.say("/checkin setup monday 9am")
    await chat.say("/checkin setup monday 10am", as_user="bob")
    clock.advance(timedelta(days=6, hours=20))
    prompt = await chat.next_dm()
    await dispatcher_idle(core)
    await chat.say(prompt.button("Answer"))
    for value in ("tutorial", "deploy", "-", "5", "3"):
        await chat.say(value)

    await chat.say("/channel")
    yours = await chat.say("/remind in 2 hours stand up")
    await chat.say(yours.button("Remind me too"), as_user="bob")
    bobs = await chat.say("/remind in 3 hours demo day", as_user="bob")
    await chat.say(bobs.button("Remind me too"))
    await chat.say("/dm")
    await chat.say("/remind tomorrow 9am my own")
    await chat.say("/remind tomorrow 9am bob's own", as_user="bob")

    await answer_all(chat, await chat.say("/rolefit"), PERSONAS[2].answers)
    await chat.say("/as bob")
    await answer_all(chat, await chat.say("/rolefit"), PERSONAS[4].answers)
    await chat.say("/as you")

    for who in (chat.actor("you"), chat.actor("bob"), ELSEWHERE):
        await core.dispatch(ActionClicked("rs.save", "islp", who, CHANNEL))
        suggestion = f"suggest https://example.org/{who.workspace_id}/{who.user_id}"
        await core.dispatch(Invocation("resources", {"query": suggestion}, who, CHANNEL))
    await core.dispatch(Invocation("timezone", {"zone": "tokyo"}, ELSEWHERE, CHANNEL))
    await core.dispatch(
        Invocation("remind", {"when": "in 5 hours", "what": "elsewhere"}, ELSEWHERE, CHANNEL)
    )
