"""Apply Alembic migrations from inside the bot (at start and from `mentorbot db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import bot.storage.installations  # noqa: F401  (registers Slack's install tables on Base)
import migrations


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


def _pending(connection: Connection) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(connection).get_current_heads()
    lower = current[0] if current else "base"
    return [rev.revision for rev in script.iterate_revisions("heads", lower)][::-1]


MIGRATION_LOCK = 0x6D696772  # "migr": one migrating process at a time on PostgreSQL


def _upgrade(connection: Connection) -> list[str]:
    if connection.dialect.name == "postgresql":
        # Several processes starting together: the others wait here, then find nothing pending.
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
    pending = _pending(connection)
    if pending:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return pending


async def upgrade(engine: AsyncEngine) -> list[str]:
    """Bring the schema to the newest revision; returns the revisions applied (oldest first)."""
    async with engine.connect() as connection:
        applied = await connection.run_sync(_upgrade)
        await connection.commit()
    return applied


async def pending(engine: AsyncEngine) -> list[str]:
    """The revisions `upgrade` would apply (read-only tools refuse an old schema instead)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_pending)


def head() -> str:
    """The newest revision in `migrations/` (tests and `mentorbot db` messages)."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision
