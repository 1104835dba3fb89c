"""Real databases for tests: a fresh SQLite file, or a fresh database on the local PostgreSQL.

The suite runs on SQLite unless `MENTORBOT_TEST_DATABASE=postgresql`: then every test that
wants "the bot's database" (`store_url`, the `core` fixture, the e2e processes) gets a fresh
PostgreSQL database instead, and tests about SQLite itself (marker `sqlite_only`) are skipped.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

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
        yield f"sqlite+aiosqlite:///{folder / name}"
        return
    url = new_postgres_database()
    try:
        yield url
    finally:
        remove_postgres_database(url)


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
