"""Alembic environment: runs migrations on the async engine mentorbot uses.

`bot.storage.migrate.upgrade()` passes an open connection in `config.attributes["connection"]`;
the `alembic` command line builds its own from `MENTORBOT_DATABASE_URL`.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import bot.admin.tables  # noqa: F401  (registers the workspace settings tables on Base)
import bot.privacy.tables  # noqa: F401  (registers the erasure audit on Base)
import bot.resources.tables  # noqa: F401  (registers the library's tables on Base)
import bot.storage.installations  # noqa: F401  (Slack's OAuth installs)
from bot.settings import Settings
from bot.storage.engine import make_engine
from bot.storage.tables import Base, include_name

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    engine = make_engine(Settings().database_url)
    async with engine.connect() as connection:
        await connection.run_sync(run_with)
        await connection.commit()
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
elif context.is_offline_mode():
    raise SystemExit("mentorbot migrations run online only")
else:
    asyncio.run(run_online())
