"""Real databases for tests: a fresh SQLite file, or a fresh database on the local PostgreSQL.

The suite runs on SQLite unless `MENTORBOT_TEST_DATABASE=postgresql`: then every test that
wants "the bot's database" (`store_url`, the `core` fixture, the e2e processes) gets a fresh
PostgreSQL database instead, and tests about SQLite itself (marker `sqlite_only`) are skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from bot.storage import migrate
from bot.storage.engine import make_engine, sqlite_file

ADMIN_URL = os.environ.get(
    "MENTORBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MODES = ("sqlite", "postgresql")
SUITE_DATABASE = os.environ.get("MENTORBOT_TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
if SUITE_DATABASE not in MODES:
    raise RuntimeError(f"MENTORBOT_TEST_DATABASE must be one of {', '.join(MODES)}")
ON_POSTGRES = SUITE_DATABASE == "postgresql"


@contextmanager
def suite_database(folder: Path, name: str = "mentorbot.db") -> Iterator[str]:
    """The database the suite runs on: a SQLite file in `folder`, or (PostgreSQL mode) a fresh
    PostgreSQL database, dropped afterwards. Synchronous, so sync tests can use it too."""
    if not ON_POSTGRES:
        yield sqlite_url(folder, name)
        return
    with postgres_database() as url:
        yield url


_clean: list[str] = []  # this test process's emptied databases, ready for the next test
_made: list[str] = []


@contextmanager
def postgres_database() -> Iterator[str]:
    """An empty PostgreSQL database for one test. CREATE and DROP DATABASE cost seconds each
    on a busy server (they write and sync the whole template), so each test process keeps
    the databases it made and empties one for the next test: every connection to it ended,
    its `public` schema dropped and made again (a fraction of a second). Dropped at exit."""
    url = _clean.pop() if _clean else _made_new()
    try:
        yield url
    finally:
        _empty(url)
        _clean.append(url)


def _made_new() -> str:
    url = new_postgres_database()
    _made.append(url)
    return url


def _empty(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
    target = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(target, autocommit=True, connect_timeout=10) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def drop_made_databases() -> None:
    """At the end of the test process: drop every database `postgres_database` made."""
    while _made:
        remove_postgres_database(_made.pop())
    _clean.clear()


def new_postgres_database() -> str:
    """Create an empty database and return its SQLAlchemy URL. Fails loudly if PG is missing."""
    name = f"mentorbot_test_{uuid.uuid4().hex[:12]}"
    try:
        connection = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        raise RuntimeError(
            f"PostgreSQL is needed for these tests and is not reachable ({error}). "
            "Start it (see CONTRIBUTING in the README) or set MENTORBOT_TEST_POSTGRES_URL."
        ) from error
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"'.encode())
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


def remove_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


async def create_postgres_database() -> str:
    """`new_postgres_database` off the event loop (the fakes may be serving from it)."""
    return await asyncio.to_thread(new_postgres_database)


async def drop_postgres_database(url: str) -> None:
    await asyncio.to_thread(remove_postgres_database, url)


class SchemaTemplate:
    """A SQLite file migrated once per test process; each `core` starts from a copy of it.

    Running every migration for each of a thousand tests was a large part of their set-up
    (0.1-0.2 s each); a file copy gives the same schema and rows in a fraction of that. The
    core still runs `migrate()`, which finds nothing pending, so a stale template could not go
    unnoticed. On PostgreSQL the core migrates its database itself: copying a template database
    (CREATE DATABASE ... TEMPLATE) costs as much as migrating on a busy server.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url: str | None = None

    async def copy_into(self, url: str) -> None:
        """Make the empty SQLite database at `url` (from `suite_database`) a migrated one."""
        if sqlite_file(url) is None:
            return
        if self.url is None:
            self.url = sqlite_url(self.folder)
            engine = make_engine(self.url)
            try:
                await migrate.upgrade(engine)
            finally:
                await engine.dispose()
        shutil.copyfile(_sqlite_path(self.url), _sqlite_path(url))


def sqlite_url(folder: Path, name: str = "template.db") -> str:
    return f"sqlite+aiosqlite:///{folder / name}"


def _sqlite_path(url: str) -> str:
    path = sqlite_file(url)
    assert path is not None, url
    return path
