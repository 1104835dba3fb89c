"""The composition root for `mentorbot run`: which adapters start, given the settings.

Platform SDKs are imported only when their tokens are set (discord.py and slack_bolt cost
~200 ms each to import); with no tokens the console chat is the embedded default.

Each platform adapter runs under its own supervisor: when one fails it is logged and started
again after a pause that doubles up to five minutes, while the other adapters and the core's
delivery queue keep running. Only a configuration error (a wrong token, a missing setting) ends
`mentorbot run`, since no restart can fix it: it is raised as a `SetupError`, whose one line
says what to change (`adapters.cli` prints it instead of a traceback), as is a token set for a
platform whose extra is not installed (`check_extras`, before the database is touched).

With MENTORBOT_HTTP_PORT set, `/healthz`, `/readyz` and `/metrics` are served too (adapters/ops.py),
whichever adapters run; in Slack HTTP mode on Slack's server, else on their own.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from adapters.ops import Ops, OpsServer
from bot.app import Core
from bot.settings import Settings

log = logging.getLogger(__name__)

Adapter = Callable[[], Awaitable[None]]
Pause = Callable[[float], Awaitable[None]]


# A platform: its token setting, the extra that installs it, and what `import` needs.
EXTRAS = {
    "discord": ("MENTORBOT_DISCORD_TOKEN", ("discord",)),
    "slack": ("MENTORBOT_SLACK_BOT_TOKEN", ("slack_bolt", "slack_sdk", "aiohttp")),
}


class SetupError(Exception):
    """A setting an operator must change before `mentorbot run` can work (one line: what to do)."""


def check_extras(settings: Settings) -> None:
    """Refuse a platform token whose SDK is not installed, saying which extra installs it."""
    tokens = {"discord": bool(settings.discord_token), "slack": settings.slack_enabled}
    for platform, (variable, modules) in EXTRAS.items():
        if not tokens[platform]:
            continue
        for module in modules:
            try:
                importlib.import_module(module)
            except ImportError:
                raise SetupError(
                    f"{variable} is set, but {module} is not installed: "
                    f"pip install 'mentorbot[{platform}]' (or unset {variable} for the console)."
                ) from None


@dataclass(frozen=True)
class Backoff:
    """Pauses between restarts of a failing adapter, in seconds."""

    first: float = 1.0
    factor: float = 2.0
    longest: float = 300.0
    healthy_after: float = 600.0  # an adapter that ran this long starts over at `first`


def platforms(settings: Settings) -> list[str]:
    """The platforms this process serves (what `/readyz` waits for)."""
    found = []
    if settings.discord_token:
        found.append("discord")
    if settings.slack_enabled:
        found.append("slack")
    return found or ["console"]


async def run_adapters(core: Core, settings: Settings) -> None:
    """Run the configured adapters (and the operations endpoints) until cancelled."""
    check_extras(settings)
    ops = Ops(core, platforms(settings))
    slack_http = bool(settings.slack_enabled and settings.slack_signing_secret)
    server: OpsServer | None = None
    if "http_port" in settings.model_fields_set and not slack_http:
        server = OpsServer(ops, settings.http_host, settings.http_port)
        await server.start()
    try:
        await _run_adapters(core, settings, ops)
    finally:
        if server is not None:
            await server.stop()


async def _run_adapters(core: Core, settings: Settings, ops: Ops) -> None:
    adapters: dict[str, Adapter] = {}
    fatal: list[type[BaseException]] = []
    if settings.discord_token:
        import discord

        from adapters.discord.client import Options
        from adapters.discord.setup import run_discord

        try:
            options = Options.from_settings(settings)  # a bad shard setting fails here, once
        except ValueError as error:
            raise SetupError(f"{error}.") from error
        adapters["discord"] = lambda: run_discord(core, settings, options=options)
        fatal += [discord.LoginFailure, discord.PrivilegedIntentsRequired]
    if settings.slack_enabled:
        from adapters.ops import aiohttp_routes
        from adapters.slack.setup import SlackNotConfigured, run_slack

        routes = aiohttp_routes(ops)  # the operations endpoints share Slack's HTTP port
        adapters["slack"] = lambda: run_slack(core, settings, extra_routes=routes)
        fatal.append(SlackNotConfigured)
    if not adapters:
        from adapters.console.run import run_console

        await run_console(core)
        return
    try:
        await run_supervised(adapters, fatal=tuple(fatal))
    except tuple(fatal) as error:
        raise SetupError(
            f"{type(error).__name__}: {error} (check the platform's token and settings: "
            "docs/discord-setup.md, docs/slack-setup.md)."
        ) from error


async def run_supervised(
    adapters: Mapping[str, Adapter],
    *,
    fatal: tuple[type[BaseException], ...] = (),
    backoff: Backoff = Backoff(),
    pause: Pause = asyncio.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> None:
    """Run every adapter until cancelled, each restarted on its own when it fails.

    Returns only by raising one of the `fatal` errors, which stops the others.
    """
    tasks = [
        asyncio.create_task(
            supervise(name, adapter, fatal=fatal, backoff=backoff, pause=pause, now=monotonic),
            name=f"adapter:{name}",
        )
        for name, adapter in adapters.items()
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()  # a supervisor only ends by raising a fatal error: raise it here
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def supervise(
    name: str,
    adapter: Adapter,
    *,
    fatal: tuple[type[BaseException], ...] = (),
    backoff: Backoff = Backoff(),
    pause: Pause = asyncio.sleep,
    now: Callable[[], float] = time.monotonic,
) -> None:
    """Run `adapter` forever: whenever it fails or returns, start it again after a pause."""
    delay = backoff.first
    while True:
        started = now()
        try:
            await adapter()
            outcome = "stopped"
        except fatal:
            raise  # no restart can fix it: `run_adapters` reports it as a `SetupError`
        except Exception:
            log.exception("the %s adapter failed", name)
            outcome = "failed"
        if now() - started >= backoff.healthy_after:
            delay = backoff.first
        log.warning("the %s adapter %s; restarting it in %.0f s", name, outcome, delay)
        await pause(delay)
        delay = min(delay * backoff.factor, backoff.longest)
