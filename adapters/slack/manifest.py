"""The Slack app manifest `mentorbot slack manifest` prints: paste it at api.slack.com/apps.

Scopes are the minimum the adapter uses: `commands` (the /mentor command and shortcuts),
`chat:write` (answers and DMs), `im:write` (conversations.open for DMs), `users:read`
(users.info for each member's time zone) and `files:write` (files sent with a reply: charts,
exports). App Home, modals, views.publish and chat.getPermalink need no scope of their own.
In HTTP mode the select menus' options load URL (external selects standing in for autocomplete)
is the same endpoint as everything else.

With `oauth` (many workspaces), the redirect URL is `URL/slack/oauth_redirect` and the app
subscribes to `app_uninstalled` and `tokens_revoked`, which delete a workspace's install.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from adapters.slack.translate import COMMAND, MENU_FORM
from bot.router import MessageActionSpec, Router

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "files:write",
    # Reading back the bot's own recent messages: was a delivery sent before a crash?
    "im:history",
    "channels:history",
)
BOT_EVENTS = ("app_home_opened",)
OAUTH_EVENTS = ("app_uninstalled", "tokens_revoked")
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


def manifest(
    socket_mode: bool,
    http_url: str | None,
    *,
    router: Router | None = None,
    name: str = "mentorbot",
    oauth: bool = False,
) -> dict[str, Any]:
    """A ready manifest; `http_url` is the public base URL (HTTP mode), e.g. https://bot.example.

    The subcommands and message shortcuts come from the core's catalogue (`router`, by default
    the one the feature list builds), so features added later appear without touching this file.
    """
    if not socket_mode and not http_url:
        raise ValueError("HTTP mode needs the public URL Slack will call")
    if oauth and (socket_mode or not http_url):
        raise ValueError("OAuth installs are served in HTTP mode: give its public URL")
    router = router or _core_router()
    endpoint = None if socket_mode else _events_url(str(http_url))
    command: dict[str, Any] = {
        "command": COMMAND,
        "description": "Your ML-engineering mentor: reminders and more",
        "usage_hint": " · ".join(spec.name for spec in router.catalogue)[:1000],
        "should_escape": False,
    }
    message_actions: Iterable[MessageActionSpec] = router.message_catalogue
    shortcuts = [
        {
            "name": name,
            "type": "global",
            "callback_id": MENU_FORM,
            "description": "Everything mentorbot can do, in a form",
        },
        *(
            {
                "name": action.label[:24],
                "type": "message",
                "callback_id": action.name,
                "description": action.label[:150],
            }
            for action in message_actions
        ),
    ]
    events: dict[str, Any] = {"bot_events": [*BOT_EVENTS, *(OAUTH_EVENTS if oauth else ())]}
    oauth_config: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if oauth:
        base = str(http_url).rstrip("/").removesuffix("/slack/events")
        oauth_config = {"redirect_urls": [base + OAUTH_REDIRECT_PATH], **oauth_config}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if endpoint:
        command["url"] = endpoint
        events["request_url"] = endpoint
        interactivity["request_url"] = endpoint
        interactivity["message_menu_options_url"] = endpoint
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Mentoring for people moving into ML engineering",
            "background_color": "#2c2d30",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,  # so /mentor works in the app's DM
            },
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [command],
            "shortcuts": shortcuts,
        },
        "oauth_config": oauth_config,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def _core_router() -> Router:
    """The catalogue as the feature list builds it: no core, engine or database."""
    from bot.features import catalogue

    return catalogue()


def _events_url(base: str) -> str:
    base = base.rstrip("/")
    return base if base.endswith("/slack/events") else base + "/slack/events"
