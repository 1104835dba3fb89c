"""The `mentorbot` command line: the composition root, so it lives outside the core (`bot/`).

It is the one place that knows both the core and the adapters; `bot/` never loads an adapter.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys

import typer

from bot.content import cli as content_cli
from bot.resources import cli as resources_cli
from bot.rolefit import cli as rolefit_cli
from bot.runtime import tune_gc
from bot.settings import Settings

app = typer.Typer(
    help="mentorbot: reminders, role fit, resources and check-ins for ML careers.",
    no_args_is_help=True,
)
db = typer.Typer(help="Database schema.", no_args_is_help=True)
discord_app = typer.Typer(help="Discord setup.", no_args_is_help=True)
slack_app = typer.Typer(help="Slack setup.", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(discord_app, name="discord")
app.add_typer(slack_app, name="slack")
app.add_typer(content_cli.app, name="content")
app.add_typer(resources_cli.app, name="resources")
app.add_typer(rolefit_cli.app, name="rolefit")


def _logging(settings: Settings) -> None:
    from bot import logs

    logs.setup(settings.log_level, settings.log_format)


@app.command()
def run() -> None:
    """Start the bot: Discord and/or Slack when their tokens are set, else the console chat."""
    settings = Settings()
    _logging(settings)
    runner = asyncio.Runner()
    stopped = False
    try:
        stopped = runner.run(_run(settings))
    finally:
        if stopped:
            # SIGTERM: everything was recorded and closed. The console's stdin reader thread
            # may still block on a read that never ends: do not wait for it (Runner.close would).
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        runner.close()


async def _run(settings: Settings) -> bool:
    """Run until the adapters end or SIGTERM/SIGINT; True if a signal stopped it.

    A signal is a graceful stop (a rolling restart): the adapters stop taking events, the
    delivery queue finishes its sends in flight, records them and hands back unsent claims,
    the calendar lock is released, all within 10 s.
    """
    from bot.app import Core

    core = Core(settings)
    applied = await core.migrate()
    if applied:
        typer.echo(f"Database: applied migrations {', '.join(applied)}.", err=True)
    else:
        typer.echo("Database: schema is up to date.", err=True)
    from adapters import launch

    tune_gc()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    async with core:
        adapters = asyncio.create_task(launch.run_adapters(core, settings), name="adapters")
        signalled = asyncio.create_task(stop.wait())
        await asyncio.wait({adapters, signalled}, return_when=asyncio.FIRST_COMPLETED)
        signalled.cancel()
        if not adapters.done():
            logging.getLogger(__name__).warning("stopping: finishing sends in flight")
            # Drain while the platforms are still connected, then close them.
            await core.queue.stop()
            adapters.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await adapters
        else:
            adapters.result()  # a configuration error ends `mentorbot run` with its message
    return stop.is_set()


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


@discord_app.command("invite-url")
def discord_invite_url(
    application_id: str = typer.Option(
        None, help="Your Discord application id (default: MENTORBOT_DISCORD_APPLICATION_ID)."
    ),
) -> None:
    """Print the OAuth2 URL that installs the bot, with exactly the scopes it needs."""
    chosen = application_id or Settings().discord_application_id
    if not chosen:
        raise typer.BadParameter(
            "give --application-id or set MENTORBOT_DISCORD_APPLICATION_ID "
            "(Discord developer portal, General Information)."
        )
    from adapters.discord import setup

    typer.echo(setup.invite_url(chosen))


@slack_app.command("manifest")
def slack_manifest(
    socket_mode: bool = typer.Option(
        True, "--socket-mode/--no-socket-mode", help="Socket Mode: no public URL needed."
    ),
    http: str = typer.Option(None, "--http", help="Public base URL for HTTP mode."),
) -> None:
    """Print a ready Slack app manifest (JSON) to paste into api.slack.com/apps."""
    from adapters.slack import manifest

    use_socket = socket_mode and not http
    typer.echo(json.dumps(manifest.manifest(use_socket, http), indent=2))


def main() -> None:
    app()
