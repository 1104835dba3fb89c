"""The `mentorbot` command line: the composition root, so it lives outside the core (`bot/`).

It is the one place that knows both the core and the adapters; `bot/` never loads an adapter.
An operator's mistake (a bad setting, a database that cannot be reached, a platform extra that is
not installed) ends the command with one line saying what to do, never a traceback; Ctrl-C ends
`mentorbot run` at once with exit status 130.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlencode, urlsplit

import typer
from pydantic import ValidationError

from bot.content import cli as content_cli
from bot.resources import cli as resources_cli
from bot.rolefit import cli as rolefit_cli
from bot.runtime import tune_gc
from bot.settings import Settings
from bot.storage.engine import DatabaseSetupError, check_url, probe

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


def fail(message: str) -> NoReturn:
    """End the command with one line on stderr (exit status 2: a usage or setup problem)."""
    typer.echo(f"mentorbot: {message}", err=True)
    raise typer.Exit(2)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"MENTORBOT_{'_'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
            for problem in error.errors()
        )
        fail(f"{problems} (fix it in the environment or in .env).")


def _operate(work: Coroutine[Any, Any, None]) -> None:
    """Run `work`; what an operator must fix becomes one line, Ctrl-C a clean exit."""
    from adapters.launch import SetupError

    try:
        asyncio.run(work)
    except KeyboardInterrupt:
        typer.echo("\nStopped (Ctrl-C). Reminders still due are sent on the next start.", err=True)
        raise typer.Exit(130) from None
    except (DatabaseSetupError, SetupError) as error:
        fail(str(error))


@app.command()
def run() -> None:
    """Start the bot: Discord and/or Slack when their tokens are set, else the console chat."""
    settings = _settings()
    _logging(settings)
    _operate(_run(settings))


async def _run(settings: Settings) -> None:
    """Run until the adapters end, or until SIGTERM: a graceful stop (a rolling restart).

    On SIGTERM the delivery queue claims nothing more, finishes its sends in flight while the
    platforms are still connected, records them and hands back unsent claims; then the adapters
    close, the calendar lock is released and the process exits 0, all within 10 s. (Ctrl-C keeps
    its own clean exit, see `_operate`.)
    """
    from adapters.launch import check_extras
    from bot.app import Core

    check_url(settings.database_url)
    check_extras(settings)
    core = Core(settings)
    await probe(core.engine)
    applied = await core.migrate()
    if applied:
        typer.echo(f"Database: applied migrations {', '.join(applied)}.", err=True)
    else:
        typer.echo("Database: schema is up to date.", err=True)
    from adapters import launch

    tune_gc()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
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
    if stop.is_set():
        # Everything is recorded and closed. The console's stdin reader thread may still block
        # on a read that never ends, and asyncio.run would wait for it: leave now.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@app.command("export")
def export(
    workspace: str = typer.Option(
        ..., "--workspace", help="The platform's workspace id (Slack team id, Discord app id)."
    ),
    platform: str = typer.Option(None, "--platform", help="slack, discord or console."),
    out: str = typer.Option(None, "--out", help="Write here (default: standard output)."),
) -> None:
    """Write one workspace's data (every member's, as `/mydata export` gives it) as JSON."""
    settings = _settings()
    _operate(_export(settings, workspace, platform, Path(out) if out else None))


async def _export(
    settings: Settings, workspace: str, platform: str | None, out: Path | None
) -> None:
    from bot.privacy.export import ExportRefused, workspace_export

    check_url(settings.database_url)
    try:
        data = await workspace_export(settings, workspace, platform)
    except ExportRefused as error:
        fail(str(error))
    if out is None:
        sys.stdout.buffer.write(data)
        return
    try:
        # Members' personal data: readable by the operator's account only.
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError as error:
        fail(f"cannot write {str(out)!r}: {error.strerror}.")
    typer.echo(f"Wrote {len(data)} bytes to {out}.", err=True)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    settings = _settings()
    _operate(_upgrade(settings))


async def _upgrade(settings: Settings) -> None:
    from bot.storage import migrate
    from bot.storage.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        await probe(engine)
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
    chosen = (application_id or _settings().discord_application_id or "").strip()
    where = "(Discord developer portal, your application, General Information: Application ID)"
    if not chosen:
        fail(f"give --application-id or set MENTORBOT_DISCORD_APPLICATION_ID {where}.")
    if not SNOWFLAKE.fullmatch(chosen):
        fail(f"{chosen[:40]!r} is not an application id: it is a number of 17-20 digits {where}.")
    typer.echo(invite_url(chosen))


SNOWFLAKE = re.compile(r"[0-9]{17,20}")
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: str) -> str:
    """The OAuth2 install URL: the two scopes, permissions 0 (no discord.py needed to build it;
    the same URL as `discord.utils.oauth_url`, which a test checks)."""
    query = {
        "client_id": application_id,
        "scope": " ".join(INVITE_SCOPES),
        "permissions": "0",
    }
    return f"https://discord.com/oauth2/authorize?{urlencode(query)}"


def public_url(url: str) -> str:
    """The base URL Slack will call in HTTP mode, or a one-line refusal: Slack only calls
    https URLs with a host, and the path `/slack/events` is added to it."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or " " in url.strip():
        fail(
            f"--http needs the public https URL Slack will call, e.g. https://bot.example.org "
            f"(got {url[:80]!r})."
        )
    if parts.query or parts.fragment:
        fail("--http takes a base URL without ?query or #fragment, e.g. https://bot.example.org.")
    return url.strip().rstrip("/")


@slack_app.command("manifest")
def slack_manifest(
    socket_mode: bool = typer.Option(
        True, "--socket-mode/--no-socket-mode", help="Socket Mode: no public URL needed."
    ),
    http: str = typer.Option(None, "--http", help="Public base URL for HTTP mode."),
    oauth: bool = typer.Option(
        False, "--oauth", help="Installable in many workspaces (OAuth; needs --http)."
    ),
) -> None:
    """Print a ready Slack app manifest (JSON) to paste into api.slack.com/apps."""
    if http is not None:
        http = public_url(http)
    elif not socket_mode:
        fail("--no-socket-mode needs --http https://your.public.host (where Slack will call).")
    if oauth and not http:
        fail("--oauth needs --http https://your.public.host (Slack redirects installs there).")
    from adapters.slack import manifest

    use_socket = socket_mode and not http
    typer.echo(json.dumps(manifest.manifest(use_socket, http, oauth=oauth), indent=2))


def main() -> None:
    app()
