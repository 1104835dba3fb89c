"""How mentorbot reaches Slack: the Web API client with its retry policy, DMs, response_urls.

Short 429s (Retry-After within `RetryPolicy.max_wait`) and dropped connections are retried by
slack_sdk's retry handlers; anything longer becomes a `DeliveryError(retry_after=…)` so the core
reschedules the delivery instead of a coroutine sleeping for minutes. Nothing is dropped: member
problems (left the workspace, DMs closed) are permanent, everything else is retried by the core.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.render import Renderer
from bot.chat import Channel, Recipient, Reply
from bot.delivery import DeliveryError, RateLimiter

log = logging.getLogger(__name__)

# The member cannot be reached this way, now or later: the core keeps the reminder for them.
PERMANENT = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "user_not_visible",
        "is_archived",
        "restricted_action",
        "not_in_channel",
        "is_inactive",
    }
)
# The installation is broken (token revoked, scope missing): retry once an admin has fixed it.
MISCONFIGURED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "no_permission",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)
MISCONFIGURED_RETRY = 300.0
# Web API calls a second for deliveries (conversations.open, chat.postMessage, uploads): Slack's
# chat.postMessage allows about one a second per channel plus a workspace-wide limit.
CALLS_PER_SECOND = 20.0
DEFAULT_RETRY_AFTER = 30.0
METADATA_EVENT = "mentorbot_delivery"  # message metadata type carrying the delivery key
HISTORY_LOOKBACK = 100  # recent messages searched for a key (the takeover comes within minutes)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the Web API client tries before a call fails."""

    retries: int = 2
    max_wait: float = 10.0  # a 429 asking for longer goes back to the core instead
    backoff: float = 0.5  # seconds, doubled per attempt, for connection errors and 5xx
    timeout: int = 10


DEFAULT_POLICY = RetryPolicy()


def retry_after(headers: dict[str, Any] | Any) -> float | None:
    """The Retry-After header (seconds) of a slack_sdk response, if any."""
    if not hasattr(headers, "items"):
        return None
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None


class BoundedRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Retry a 429 after exactly Retry-After seconds, but only when that wait is short."""

    def __init__(self, max_retry_count: int, max_wait: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response.headers)
        return (wait if wait is not None else 1.0) <= self.max_wait

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = retry_after(response.headers) if response is not None else None
        state.next_attempt_requested = True
        await asyncio.sleep(1.0 if wait is None else wait)
        state.increment_current_attempt()


class ProportionalJitter(Jitter):
    """Between half and all of the backoff: slack_sdk's default adds up to a whole second."""

    def recalculate(self, duration: float) -> float:
        return duration * (0.5 + random.random() / 2)


def retry_handlers(policy: RetryPolicy) -> list[AsyncRetryHandler]:
    backoff = BackoffRetryIntervalCalculator(policy.backoff, ProportionalJitter())
    return [
        BoundedRateLimitRetry(policy.retries, policy.max_wait),
        AsyncConnectionErrorRetryHandler(policy.retries, interval_calculator=backoff),
        AsyncServerErrorRetryHandler(policy.retries, interval_calculator=backoff),
    ]


def web_client(
    token: str | None,
    *,
    base_url: str | None = None,
    session: aiohttp.ClientSession | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> AsyncWebClient:
    """The Web API client; `base_url` (MENTORBOT_SLACK_API_URL) points it at a proxy or a fake."""
    return AsyncWebClient(
        token=token,
        base_url=base_url or AsyncWebClient.BASE_URL,
        session=session,
        timeout=policy.timeout,
        retry_handlers=retry_handlers(policy),
    )


def delivery_error(error: Exception) -> DeliveryError:
    """Translate a failed Web API call into what the core's delivery bookkeeping understands."""
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        code = str(response.get("error") or f"http_{status}") if response else "unknown"
        if status == 429 or code == "ratelimited":
            wait = retry_after(getattr(response, "headers", {}))
            return DeliveryError("ratelimited", retry_after=wait or DEFAULT_RETRY_AFTER)
        if code in PERMANENT:
            return DeliveryError(code, permanent=True)
        if code in MISCONFIGURED:
            return DeliveryError(code, retry_after=MISCONFIGURED_RETRY)
        return DeliveryError(code)
    return DeliveryError(f"connection: {type(error).__name__}")


class NotInstalled(LookupError):
    """No install (or no usable token) for this workspace."""


class Clients(Protocol):
    """Where the Web API client for a workspace comes from: one token, or one per install."""

    async def client(self, team_id: str) -> AsyncWebClient:
        """The workspace's client; raises `NotInstalled` when there is none."""
        ...

    def forget(self, team_id: str | None) -> None:
        """Its token was refused: look it up afresh next time."""
        ...


class OneWorkspace:
    """MENTORBOT_SLACK_BOT_TOKEN: the same client for every request and delivery."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def client(self, team_id: str) -> AsyncWebClient:
        return self._client

    def forget(self, team_id: str | None) -> None:
        """Nothing to look up again: the token comes from the environment."""


class SlackMessenger:
    """Sends a member a DM (`conversations.open`, cached, then `chat.postMessage`) or posts in a
    channel; a reply's files follow through Slack's external upload flow (`files_upload_v2`:
    files.getUploadURLExternal, the upload, files.completeUploadExternal).

    Each workspace is reached with its own client (its install's bot token) and paced on its
    own budget, since Slack counts its rate limits per workspace; a workspace with no install
    (uninstalled) is a permanent failure for its deliveries, which stay in the database."""

    platform = "slack"

    def __init__(
        self,
        clients: Clients | AsyncWebClient,
        renderer: Renderer,
        *,
        calls_per_second: float = CALLS_PER_SECOND,
    ) -> None:
        self.clients = OneWorkspace(clients) if isinstance(clients, AsyncWebClient) else clients
        self.renderer = renderer
        self.calls_per_second = calls_per_second
        self._channels: dict[tuple[str, str], str] = {}
        self._budgets: dict[str, RateLimiter] = {}
        self.rate_limited = 0

    def budget(self, team_id: str) -> RateLimiter:
        """The workspace's pacing: every call a delivery makes takes a token first; a 429 (our
        pacing failed) pauses the workspace's calls until Retry-After."""
        budget = self._budgets.get(team_id)
        if budget is None:
            rate = self.calls_per_second
            budget = self._budgets[team_id] = RateLimiter(rate, 1, burst=max(1.0, rate / 10))
        return budget

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        """Returns `channel:ts`, which identifies a Slack message."""
        team = recipient.workspace_id
        try:
            channel = await self.dm_channel(recipient.user_id, team_id=team)
            sent = await self._post(team, channel, reply, key)
        except (SlackApiError, aiohttp.ClientError, TimeoutError, NotInstalled) as error:
            self._channels.pop((team, recipient.user_id), None)
            failure = self._failed(team, error)
            log.info("DM to %s failed (%s): %s", recipient.user_id, key, failure.reason)
            raise failure from error
        return sent

    async def post(self, channel: Channel, reply: Reply, *, key: str) -> str:
        """Post in a channel the bot is in; returns `channel:ts`."""
        try:
            return await self._post(channel.workspace_id, channel.channel_id, reply, key)
        except (SlackApiError, aiohttp.ClientError, TimeoutError, NotInstalled) as error:
            failure = self._failed(channel.workspace_id, error)
            log.info("post to %s failed (%s): %s", channel.channel_id, key, failure.reason)
            raise failure from error

    def _failed(self, team_id: str, error: Exception) -> DeliveryError:
        """A 429 means our pacing was off: count it and let nobody in that workspace call until
        Retry-After. A refused token is looked up afresh next time (another process may have
        refreshed it)."""
        if isinstance(error, NotInstalled):
            return DeliveryError("not_installed", permanent=True)
        failure = delivery_error(error)
        if failure.reason == "ratelimited" and failure.retry_after:
            self.rate_limited += 1
            self.budget(team_id).pause(failure.retry_after)
        elif failure.reason in MISCONFIGURED:
            self.clients.forget(team_id)
        return failure

    async def _post(self, team_id: str, channel: str, reply: Reply, key: str) -> str:
        client = await self.clients.client(team_id)
        await self.budget(team_id).acquire()
        # The delivery key travels as message metadata, so `find_sent` can read it back.
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        sent = await client.chat_postMessage(
            channel=channel,
            unfurl_links=False,
            unfurl_media=False,
            metadata=metadata,
            **self.renderer.message(reply),
        )
        await self.upload(channel, reply, team_id=team_id)
        return f"{channel}:{sent['ts']}"

    async def upload(self, channel: str, reply: Reply, *, team_id: str) -> None:
        """The reply's files, shared in `channel` (nothing to do without files)."""
        if reply.attachments:
            client = await self.clients.client(team_id)
            await self.budget(team_id).acquire()
            await client.files_upload_v2(
                channel=channel, file_uploads=self.renderer.file_uploads(reply)
            )

    async def find_sent(self, target: Recipient | Channel, *, key: str) -> str | None:
        """Was a message with this delivery key posted already (its record lost in a crash)?

        Slack has no idempotent post, so the key rides along as message metadata and is read
        back from the conversation's recent history (`conversations.history` with
        `include_all_metadata`; scopes `im:history`, `channels:history`). A failing lookup
        raises `DeliveryError`, so the row is retried later rather than sent blind.
        """
        team = target.workspace_id
        try:
            if isinstance(target, Recipient):
                channel = await self.dm_channel(target.user_id, team_id=team)
            else:
                channel = target.channel_id
            client = await self.clients.client(team)
            await self.budget(team).acquire()  # a lookup is a Web API call like any other
            history = await client.conversations_history(
                channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError, NotInstalled) as error:
            raise self._failed(team, error) from error
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                return f"{channel}:{message['ts']}"
        return None

    async def dm_channel(self, user_id: str, *, team_id: str) -> str:
        channel = self._channels.get((team_id, user_id))
        if channel is None:
            client = await self.clients.client(team_id)
            await self.budget(team_id).acquire()
            opened = await client.conversations_open(users=user_id)
            channel = str(opened["channel"]["id"])
            self._channels[team_id, user_id] = channel
        return channel


async def post_response(
    url: str,
    payload: dict[str, Any],
    *,
    session: aiohttp.ClientSession | None,
    policy: RetryPolicy,
) -> bool:
    """POST to a `response_url` (ephemeral answers, replacing a clicked message); True if taken.

    slack_sdk's webhook client retries 429s and dropped connections; 5xx are retried here.
    """
    webhook = AsyncWebhookClient(
        url, session=session, timeout=policy.timeout, retry_handlers=retry_handlers(policy)
    )
    interval = BackoffRetryIntervalCalculator(policy.backoff, ProportionalJitter())
    for attempt in range(policy.retries + 1):
        try:
            answer = await webhook.send_dict(payload)
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("response_url failed: %s", type(error).__name__)
            return False
        if answer.status_code == 200:
            return True
        if answer.status_code < 500 or attempt == policy.retries:
            log.warning("response_url answered %s: %s", answer.status_code, answer.body[:200])
            return False
        await asyncio.sleep(interval.calculate_sleep_duration(attempt))
    return False
