"""The schema comes only from Alembic, and the models agree with it on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.storage import migrate
from bot.storage.engine import make_engine
from bot.storage.tables import Base, include_name


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "compare_type": True}
    )
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        applied = await migrate.upgrade(engine)
        assert applied and applied[0] == "0001"
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
        assert await migrate.upgrade(engine) == []  # idempotent: nothing pending the second time
    finally:
        await engine.dispose()
