"""Start mentorbot on Slack from Settings: Socket Mode, HTTP mode, or both.

`mentorbot run` calls `run_slack(core, settings)` when MENTORBOT_SLACK_BOT_TOKEN is set. With an
app token (xapp-) it connects in Socket Mode, which needs no public URL; with a signing secret it
serves `POST /slack/events` on MENTORBOT_HTTP_HOST:MENTORBOT_HTTP_PORT.

With MENTORBOT_SLACK_CLIENT_ID and MENTORBOT_SLACK_CLIENT_SECRET instead of a bot token, any
number of workspaces install it through OAuth (`/slack/install`, `/slack/oauth_redirect`, served
next to `/slack/events`, so HTTP mode), their installs kept in the core's database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.app import SlackApp, SocketModeHandler
from adapters.slack.messenger import DEFAULT_POLICY, RetryPolicy, web_client
from bot.app import CorePort
from bot.settings import Settings

if TYPE_CHECKING:
    from adapters.slack.workspaces import SlackOAuth


class SlackNotConfigured(RuntimeError):
    """Slack settings that cannot start anything; the message says what to set."""


@dataclass
class SlackRuntime:
    """A running Slack adapter: what tests and `mentorbot run` may need to reach."""

    app: SlackApp
    socket: SocketModeHandler | None
    http_port: int | None


def _secret(value: object) -> str:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter is not None else ""


@asynccontextmanager
async def slack_running(
    core: CorePort,
    settings: Settings,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    ping_interval: float = 10,
    extra_routes: Sequence[web.AbstractRouteDef] = (),
) -> AsyncIterator[SlackRuntime]:
    """Connect/serve for the duration of the block; on exit finish in-flight requests and close."""
    token = _secret(settings.slack_bot_token)
    app_token = _secret(settings.slack_app_token)
    signing_secret = _secret(settings.slack_signing_secret)
    check(settings)
    session = aiohttp.ClientSession()

    def make_client(bot_token: str | None) -> AsyncWebClient:
        return web_client(
            bot_token, base_url=settings.slack_api_url, session=session, policy=policy
        )

    try:
        oauth = _oauth(core, settings, make_client) if settings.slack_oauth else None
    except SlackNotConfigured:
        await session.close()
        raise
    client = make_client(token or None)  # OAuth: Bolt's own client carries no token
    app = SlackApp(
        core, client, signing_secret=signing_secret, session=session, policy=policy, oauth=oauth
    )
    core.attach(app.messenger)
    socket: SocketModeHandler | None = None
    runner: web.AppRunner | None = None
    try:
        port: int | None = None
        if signing_secret:
            runner, port = await serve_http(
                app, settings.http_host, settings.http_port, extra_routes
            )
        if app_token:
            socket = app.socket_mode(app_token, ping_interval=ping_interval)
            await socket.start()
        yield SlackRuntime(app, socket, port)
    finally:
        if socket is not None:
            await socket.stop()
        if runner is not None:
            await runner.cleanup()
        await app.idle()
        await session.close()


def check(settings: Settings) -> None:
    """Refuse Slack settings that cannot start, saying what to set."""
    token = _secret(settings.slack_bot_token)
    signing_secret = _secret(settings.slack_signing_secret)
    if settings.slack_oauth:
        if token:
            raise SlackNotConfigured(
                "set either MENTORBOT_SLACK_BOT_TOKEN (one workspace) or "
                "MENTORBOT_SLACK_CLIENT_ID and MENTORBOT_SLACK_CLIENT_SECRET (OAuth installs), "
                "not both"
            )
        if not settings.slack_client_id or not _secret(settings.slack_client_secret):
            raise SlackNotConfigured(
                "OAuth installs need both MENTORBOT_SLACK_CLIENT_ID and "
                "MENTORBOT_SLACK_CLIENT_SECRET"
            )
        if not signing_secret:
            raise SlackNotConfigured(
                "OAuth installs are served in HTTP mode: set MENTORBOT_SLACK_SIGNING_SECRET"
            )
        return
    if not token:
        raise SlackNotConfigured("MENTORBOT_SLACK_BOT_TOKEN (xoxb-...) is not set")
    if not _secret(settings.slack_app_token) and not signing_secret:
        raise SlackNotConfigured(
            "set MENTORBOT_SLACK_APP_TOKEN (xapp-..., Socket Mode) or "
            "MENTORBOT_SLACK_SIGNING_SECRET (HTTP mode); see docs/slack-setup.md"
        )


def _oauth(
    core: CorePort, settings: Settings, make_client: Callable[[str | None], AsyncWebClient]
) -> SlackOAuth:
    try:
        from adapters.slack.encryption import TokenKeyError
        from adapters.slack.workspaces import slack_oauth
    except ImportError as error:  # cryptography, for the token key
        raise SlackNotConfigured(
            f"{error.name} is not installed: pip install 'mentorbot[slack]'"
        ) from None
    from adapters.slack.manifest import BOT_SCOPES

    engine = getattr(core, "engine", None)
    if not isinstance(engine, AsyncEngine):
        raise SlackNotConfigured("OAuth installs need the core's database")
    try:
        return slack_oauth(
            engine,
            client_id=str(settings.slack_client_id),
            client_secret=_secret(settings.slack_client_secret),
            make_client=make_client,
            api_url=settings.slack_api_url,
            token_key=_secret(settings.slack_token_key) or None,
            scopes=BOT_SCOPES,
        )
    except TokenKeyError as error:
        raise SlackNotConfigured(str(error)) from None


async def serve_http(
    app: SlackApp, host: str, port: int, extra_routes: Sequence[web.AbstractRouteDef] = ()
) -> tuple[web.AppRunner, int]:
    """Serve the Events/interactivity endpoint (and the operations endpoints, `extra_routes`);
    returns the runner and the bound port."""
    server = web.Application()
    server.add_routes(app.routes())
    server.add_routes(extra_routes)
    runner = web.AppRunner(server, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return runner, int(bound)


async def run_slack(
    core: CorePort, settings: Settings, *, extra_routes: Sequence[web.AbstractRouteDef] = ()
) -> None:
    """Serve Slack until cancelled (what `mentorbot run` awaits alongside other adapters)."""
    async with slack_running(core, settings, extra_routes=extra_routes):
        await asyncio.Event().wait()
