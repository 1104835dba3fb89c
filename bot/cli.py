"""The `mentorbot` command line."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys

import typer

from bot.settings import Settings

app = typer.Typer(
    help="mentorbot: reminders, role fit, resources and check-ins for ML careers.",
    no_args_is_help=True,
)
db = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db, name="db")


def _logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def run() -> None:
    """Start the bot: Discord and/or Slack when their tokens are set, else the console chat."""
    settings = Settings()
    _logging(settings)
    asyncio.run(_run(settings))


async def _run(settings: Settings) -> None:
    from bot.app import Core

    core = Core(settings)
    applied = await core.migrate()
    if applied:
        typer.echo(f"Database: applied migrations {', '.join(applied)}.", err=True)
    else:
        typer.echo("Database: schema is up to date.", err=True)
    # The core never imports adapters; the composition root is loaded by name here.
    launch = importlib.import_module("adapters.launch")
    async with core:
        await launch.run_adapters(core, settings)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    settings = Settings()
    asyncio.run(_upgrade(settings))


async def _upgrade(settings: Settings) -> None:
    from bot.storage import migrate
    from bot.storage.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        applied = await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    typer.echo(f"Applied {', '.join(applied)}." if applied else "Schema is up to date.")


def main() -> None:
    app()
