"""INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


async def insert_ignore(
    session: AsyncSession,
    table: type[DeclarativeBase],
    values: dict[str, Any] | Sequence[dict[str, Any]],
) -> bool:
    """Insert unless a unique key already exists; True if at least one row was inserted.

    Two members pressing the same button at once, or two processes computing the same next
    occurrence, must end in one row and no error.
    """
    if not values:
        return False
    # A Core (not ORM) insert, so the result has a rowcount.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table.__table__).on_conflict_do_nothing()  # type: ignore[arg-type]
    result = await session.execute(statement, values if isinstance(values, dict) else list(values))
    return bool(result.rowcount)  # type: ignore[attr-defined]
