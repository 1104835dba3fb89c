"""Real databases for tests: a fresh SQLite file, or a fresh database on the local PostgreSQL."""

from __future__ import annotations

import os
import uuid

import asyncpg

ADMIN_URL = os.environ.get(
    "MENTORBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


async def create_postgres_database() -> str:
    """Create an empty database and return its SQLAlchemy URL. Fails loudly if PG is missing."""
    name = f"mentorbot_test_{uuid.uuid4().hex[:12]}"
    try:
        connection = await asyncpg.connect(ADMIN_URL, timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        raise RuntimeError(
            f"PostgreSQL is needed for these tests and is not reachable ({error}). "
            "Start it (see CONTRIBUTING in the README) or set MENTORBOT_TEST_POSTGRES_URL."
        ) from error
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    connection = await asyncpg.connect(ADMIN_URL, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
