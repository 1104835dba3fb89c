"""Every table that holds member data is emptied of a member by the features' hooks.

A new table with a column pointing at `members.id` fails here until some feature's
`delete_member` removes its rows: each such table gets a row for a member who has nothing else
(built from the table's own columns, so the test needs no edit for a new table), then every hook
but the profile's runs, and nothing may still point at the member. The profile's delete of the
member row would cascade, so it is left out: cascades are a safety net, not the design.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Float, Integer, String, Table, Text, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.context import MemberData
from bot.storage.types import UTCDateTime
from tests.support.member_data import every_feature, member_columns, rows_about


async def any_id(session: AsyncSession, table: Table) -> Any:
    """An existing row's key in `table` (another member's reminder, check-in, ...)."""
    [key] = table.primary_key.columns
    found = await session.scalar(select(key).order_by(key).limit(1))
    assert found is not None, f"no {table.name} row to point at: extend every_feature()"
    return found


async def a_row_for(
    session: AsyncSession, table: Table, member_id: int, workspace_id: int, now: datetime
) -> dict[str, Any]:
    """Values for every required column of `table`, about `member_id`."""
    values: dict[str, Any] = {}
    for column in table.columns:
        targets = {key.column.table for key in column.foreign_keys}
        if any(target.name == "members" for target in targets):
            values[column.name] = member_id
        elif any(target.name == "workspaces" for target in targets):
            values[column.name] = workspace_id
        elif targets:
            values[column.name] = await any_id(session, next(iter(targets)))
        elif column.primary_key and isinstance(column.type, Integer):
            continue  # generated
        elif column.nullable or column.default is not None:
            continue
        else:
            values[column.name] = _value(column, now)
    return values


def _value(column: Column[Any], now: datetime) -> Any:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return now
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer | Float):
        return 1
    if isinstance(kind, Text):
        return "{}"
    if isinstance(kind, String):
        return f"x-{column.name}"[: kind.length or 64]
    raise AssertionError(f"{column.table.name}.{column.name}: teach _value its type {kind!r}")


def test_member_tables_are_found() -> None:
    names = {table.name for table in member_columns()}
    assert {"reminders", "checkin_weeks", "deliveries", "flows", "resource_bookmarks"} <= names


async def test_every_member_table_is_emptied_by_the_features_hooks(
    core: Core, clock: FakeClock
) -> None:
    await every_feature(ConsoleChat(core), core, clock)  # rows for the keys to point at
    carol = ConsoleChat(core).actor("carol")
    now = clock.now()
    async with core.context.transaction(carol) as (session, member):
        for table in member_columns():
            await session.execute(
                insert(table).values(
                    await a_row_for(session, table, member.id, member.workspace_id, now)
                )
            )
        planted = await rows_about(session, member.id)
    assert all(planted.values()), planted

    others = [hook for hook in core.context.member_data.hooks if hook.name != "profile"]
    async with core.context.transaction(carol) as (session, member):
        await MemberData(others).delete(session, member)
        left = {name: n for name, n in (await rows_about(session, member.id)).items() if n}
    assert left == {}, f"tables no feature's delete_member covers: {sorted(left)}"
