"""Many Slack workspaces from one deployment: each served with its own install's token.

The installs are kept in mentorbot's database (`adapters/slack/installations.py`, ADR 0006):

- `Workspaces` hands out each workspace's Web API client with its own bot token, refreshing an
  expiring token (`oauth.v2.access`, `grant_type=refresh_token`) once per workspace at a time,
  whether the request is Slack's or one of the delivery queue's;
- `WorkspaceAuthorize` is Bolt's authorize step on top of it, so requests and deliveries share
  one cache and one rotation; a workspace without an install is refused politely by Bolt;
- `slack_oauth(engine, ...)` puts it together with Bolt's install flow for `SlackApp`.

`app_uninstalled` and `tokens_revoked` delete the install (Bolt's built-in listeners call the
store); the workspace's members and reminders stay, undelivered, for an operator or the
members' own `/mydata` to handle.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.encryption import token_cipher
from adapters.slack.installations import InstallationStore, StateStore
from adapters.slack.messenger import NotInstalled

log = logging.getLogger(__name__)

ROTATE_MINUTES = 120  # refresh a token this long before it expires (Bolt's default)
CACHE_SECONDS = 60.0  # a workspace's install is read again this often (another process may
# have refreshed, replaced or deleted it)
REFUSAL = (
    "mentorbot is not installed in this workspace any more. "
    "A workspace admin can add it again from the install link."
)


ClientFactory = Callable[[str | None], AsyncWebClient]


class Workspaces:
    """Each workspace's Web API client, with its own bot token, refreshed before it expires."""

    def __init__(
        self,
        store: InstallationStore,
        *,
        client_id: str,
        client_secret: str,
        make_client: ClientFactory,
        rotate_minutes: int = ROTATE_MINUTES,
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self.store = store
        self.make_client = make_client
        self.rotate_minutes = rotate_minutes
        self.cache_seconds = cache_seconds
        self.rotator = AsyncTokenRotator(
            client_id=client_id, client_secret=client_secret, client=make_client(None)
        )
        self._bots: dict[str, tuple[Bot, float]] = {}  # team -> (bot, when it was read)
        self._clients: dict[str, AsyncWebClient] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        store.on_changed = self.forget

    async def bot(self, team_id: str) -> Bot | None:
        """The workspace's bot, its token refreshed first if it expires within the window.

        One refresh per workspace at a time: a refresh token used twice would fail."""
        lock = self._locks.setdefault(team_id, asyncio.Lock())
        async with lock:
            cached = self._bots.get(team_id)
            if cached is not None and time.monotonic() - cached[1] < self.cache_seconds:
                bot: Bot | None = cached[0]
            else:
                bot = await self.store.find_team_bot(team_id)
            if bot is None:
                self.forget(team_id)
                return None
            if bot.bot_refresh_token is not None:
                refreshed = await self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=self.rotate_minutes
                )
                if refreshed is not None:
                    await self.store.async_save_bot(refreshed)
                    log.info("Slack workspace %s: bot token refreshed", team_id)
                    bot = refreshed
            if cached is None or cached[0] is not bot:
                self._bots[team_id] = (bot, time.monotonic())
            return bot

    async def client(self, team_id: str) -> AsyncWebClient:
        """The client for `team_id`; `NotInstalled` if it has no install. A failed refresh is
        Slack's error (retried later, the install read afresh: another process may have
        refreshed it)."""
        try:
            bot = await self.bot(team_id)
        except SlackTokenRotationError as error:
            log.warning("Slack workspace %s: token refresh failed (%s)", team_id, _code(error))
            self.forget(team_id)
            raise error.api_error from None
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        client = self._clients.get(team_id)
        if client is None or client.token != bot.bot_token:
            client = self._clients[team_id] = self.make_client(bot.bot_token)
        return client

    def forget(self, team_id: str | None) -> None:
        """Drop what is cached for a workspace (uninstalled, or its token refused)."""
        if team_id is not None:
            self._bots.pop(team_id, None)
            self._clients.pop(team_id, None)


class WorkspaceAuthorize(AsyncAuthorize):
    """Bolt's authorize step from `Workspaces`: no install, no answer (Bolt says so politely)."""

    def __init__(self, workspaces: Workspaces) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.workspaces = workspaces

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        if not team_id:
            return None
        try:
            bot = await self.workspaces.bot(team_id)
        except SlackTokenRotationError as error:
            log.warning("Slack workspace %s: token refresh failed (%s)", team_id, _code(error))
            return None
        if bot is None:
            log.info("refused a request from Slack workspace %s: not installed", team_id)
            return None
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )


def _code(error: Exception) -> str:
    """Slack's error code only: never the message, which may quote a request."""
    cause = getattr(error, "api_error", None) or error
    if isinstance(cause, SlackApiError) and cause.response is not None:
        return str(cause.response.get("error") or "unknown")
    return type(error).__name__


@dataclass
class SlackOAuth:
    """Everything OAuth mode adds to the Bolt app: the install flow and per-workspace tokens."""

    settings: AsyncOAuthSettings
    store: InstallationStore
    workspaces: Workspaces
    authorize: WorkspaceAuthorize

    def bolt_options(self) -> dict[str, Any]:
        """`AsyncApp` keyword arguments: the flow, the store, and our authorize step."""
        return {
            "oauth_settings": self.settings,
            "installation_store": self.store,
            "installation_store_bot_only": True,
            "authorize": self.authorize,
            "user_facing_authorize_error_message": REFUSAL,
        }


def slack_oauth(
    engine: AsyncEngine,
    *,
    client_id: str,
    client_secret: str,
    make_client: ClientFactory,
    api_url: str | None = None,
    token_key: str | None = None,
    redirect_url: str | None = None,
    scopes: Sequence[str] = (),
    rotate_minutes: int = ROTATE_MINUTES,
) -> SlackOAuth:
    """OAuth mode over the core's engine; `api_url` (a proxy, the tests' fake) also moves the
    authorize page, which Slack serves next to its Web API (`/oauth/v2/authorize`)."""
    # slack_sdk's debug logs print oauth.v2.access requests and answers, tokens included.
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, logging.getLogger().level))
    store = InstallationStore(client_id, engine, cipher=token_cipher(token_key))
    workspaces = Workspaces(
        store,
        client_id=client_id,
        client_secret=client_secret,
        make_client=make_client,
        rotate_minutes=rotate_minutes,
    )
    authorization_url = urljoin(api_url, "../oauth/v2/authorize") if api_url else None
    settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes),
        redirect_uri=redirect_url,
        authorization_url=authorization_url,
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=rotate_minutes,
        state_store=StateStore(engine),
        logger=log,
    )
    return SlackOAuth(settings, store, workspaces, WorkspaceAuthorize(workspaces))
