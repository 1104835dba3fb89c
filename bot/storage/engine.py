"""Engine and session factory; SQLite gets the pragmas that make it safe for a bot."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry


def _no_autocheckpoint(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # bot.storage.checkpoint runs the checkpoints instead, off the command path.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers work during a write; NORMAL sync is durable across process crashes
    # (what a bot needs) and ~10x faster per commit; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # The driver begins a transaction before the first write, and we make that BEGIN IMMEDIATE:
    # a deferred transaction that read and then tried to write would fail at once with
    # "database is locked" when another writer got in between (busy_timeout cannot help there),
    # whereas an immediate one waits its turn. Reads before the first write need no transaction
    # (each statement sees a consistent snapshot), and this costs no extra round trip.
    dbapi_connection.isolation_level = "IMMEDIATE"


def make_engine(url: str, *, background_checkpoints: bool = False, **kwargs: Any) -> AsyncEngine:
    if sqlite_file(url) is not None:
        # One connection per process: SQLite has one writer anyway, and waiting for the pool
        # is an asyncio wait (immediate hand-over), whereas two connections contending for the
        # write lock wait in SQLite's busy handler, which sleeps in steps of up to 100 ms.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 60)
        # Every session ends in COMMIT or ROLLBACK itself, and a read-only one never opens a
        # transaction (the driver begins only before a write), so the pool's reset-on-return
        # rollback would be one more thread hop per transaction for nothing.
        kwargs.setdefault("pool_reset_on_return", None)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if background_checkpoints:
            event.listen(engine.sync_engine, "connect", _no_autocheckpoint)
    return engine


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def sync_url(url: str) -> str:
    """The synchronous driver URL for the same database (Alembic offline, APScheduler)."""
    return url.replace("sqlite+aiosqlite", "sqlite").replace(
        "postgresql+asyncpg", "postgresql+psycopg"
    )


def sqlite_file(url: str) -> str | None:
    """The file behind a SQLite URL, or None (another database, or in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database
