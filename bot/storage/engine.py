"""Engine and session factory; SQLite gets the pragmas that make it safe for a bot.

`check_url` and `explain` turn a database setting that cannot work into one line that says what
to change, for `mentorbot run` and `mentorbot db upgrade` (operators see no traceback).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc, make_url
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


EXAMPLES = "sqlite+aiosqlite:///mentorbot.db or postgresql+asyncpg://user@host/dbname"
DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


class DatabaseSetupError(Exception):
    """The database setting cannot work as given; the message (one line) says what to change."""


def check_url(url: str) -> None:
    """Refuse, with what to do, a URL that cannot work: malformed, another database, a sync
    driver, PostgreSQL without its drivers installed, a SQLite file in a folder we cannot write."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        # Never echo it: a malformed URL may still hold a password.
        raise DatabaseSetupError(
            f"MENTORBOT_DATABASE_URL is not a database URL; use e.g. {EXAMPLES}."
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in DRIVERS:
        raise DatabaseSetupError(
            f"MENTORBOT_DATABASE_URL names {backend!r}; mentorbot runs on SQLite or PostgreSQL, "
            f"e.g. {EXAMPLES}."
        )
    driver = DRIVERS[backend]
    if parsed.drivername != f"{backend}+{driver}":
        raise DatabaseSetupError(
            f"MENTORBOT_DATABASE_URL must start with {backend}+{driver}:// "
            f"(it starts with {parsed.drivername}://), e.g. {EXAMPLES}."
        )
    if backend == "postgresql":
        try:  # the bot's driver, and APScheduler's (synchronous) one for the calendar jobs
            importlib.import_module("asyncpg")
            importlib.import_module("psycopg")
        except ImportError as missing:
            raise DatabaseSetupError(
                f"PostgreSQL needs its drivers ({missing.name} is not installed): "
                "pip install 'mentorbot[postgres]'."
            ) from None
    database = sqlite_file(url)
    if database is not None:
        _check_sqlite_path(Path(database))


def _check_sqlite_path(path: Path) -> None:
    folder = path.absolute().parent
    if not folder.is_dir():
        raise DatabaseSetupError(
            f"the SQLite database's folder {folder} does not exist: create it, or point "
            "MENTORBOT_DATABASE_URL at a file in a folder that exists."
        )
    if path.is_dir():
        raise DatabaseSetupError(
            f"the SQLite database {path} is a folder: point MENTORBOT_DATABASE_URL at a file, "
            "e.g. sqlite+aiosqlite:///mentorbot.db."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseSetupError(
            f"the SQLite database {path} is not writable by this user: fix its permissions, "
            "or point MENTORBOT_DATABASE_URL elsewhere."
        )
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseSetupError(
            f"cannot create the SQLite database in {folder} (not writable by this user): "
            "point MENTORBOT_DATABASE_URL at a writable folder."
        )


async def probe(engine: AsyncEngine) -> None:
    """Connect once, so a database that cannot be reached or opened is reported as one line
    (`DatabaseSetupError`) before anything else runs; errors after this are not the setting's."""
    try:
        async with engine.connect():
            pass
    except Exception as error:
        raise DatabaseSetupError(explain(error, engine.url.render_as_string(False))) from error


def explain(error: BaseException, url: str) -> str:
    """What a failed connection means for an operator, in one line."""
    shown = _shown(url)
    cause = error.orig if isinstance(error, exc.DBAPIError) and error.orig else error
    if isinstance(cause, OSError):  # refused, unknown host, timed out: before any SQL
        reason = cause.strerror or str(cause) or type(cause).__name__
        return (
            f"cannot reach the database at {shown} ({reason}): is the server running, and are "
            "the host and port in MENTORBOT_DATABASE_URL right?"
        )
    if sqlite_file(url) is not None:
        return (
            f"cannot open the SQLite database {shown} ({_first_line(cause)}): check that the "
            "file and its folder are writable, or point MENTORBOT_DATABASE_URL elsewhere."
        )
    return (
        f"the database at {shown} refused the connection: {_first_line(cause)}. Check the "
        "user, password and database name in MENTORBOT_DATABASE_URL (the database must exist)."
    )


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "MENTORBOT_DATABASE_URL"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def make_engine(url: str, *, background_checkpoints: bool = False, **kwargs: Any) -> AsyncEngine:
    check_url(url)
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
