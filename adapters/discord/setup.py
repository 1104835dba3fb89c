"""Installing and starting the Discord adapter: the invite URL, endpoints, and `run_discord`.

The bot needs no channel permissions: it answers through interactions (which need none) and
sends reminders as DMs. So the invite asks for the `bot` scope (members must share a server
with the bot to receive its DMs) and `applications.commands`, with permissions 0, and the client
uses no privileged intents.
"""

from __future__ import annotations

import discord
import yarl

from adapters.discord.client import MentorClient, Options
from adapters.discord.messenger import DiscordMessenger
from bot.app import Core
from bot.settings import Settings

SCOPES = ("bot", "applications.commands")
PERMISSIONS = discord.Permissions.none()


def invite_url(application_id: str | int) -> str:
    """The OAuth2 URL that adds the bot to a server, with exactly what it needs."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


def use_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    """Point discord.py at other REST/Gateway endpoints (a proxy, or a test server).

    discord.py keeps both as class attributes, so this is process-wide.
    """
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


async def run_discord(core: Core, settings: Settings, *, options: Options | None = None) -> None:
    """Log in, sync the commands, attach the DM messenger to `core`, and serve until closed."""
    if settings.discord_token is None:
        raise ValueError("MENTORBOT_DISCORD_TOKEN is not set")
    use_endpoints(settings.discord_api_base, settings.discord_gateway_url)
    client = MentorClient(core, options or Options.from_settings(settings))
    async with client:
        await client.login(settings.discord_token.get_secret_value())
        core.attach(DiscordMessenger(client))
        await client.connect()
