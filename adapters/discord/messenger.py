"""The core's Messenger port on Discord: DMs through the REST API, safe to retry.

Each message carries a `nonce` derived from the delivery key, and discord.py sends it with
`enforce_nonce`, so Discord returns the first message instead of posting a second one when a
send is retried (after a cut connection, or after a crash). discord.py already waits out 429s and
retries 5xx; what still fails is mapped to `DeliveryError` for the core's own backoff: closed DMs
(50007) are permanent, rate limits carry `retry_after`. Connections cut before an answer are
retried here a few times with backoff, which the nonce makes harmless.

`RequestBudget` paces every REST request the client makes (opening a DM channel, the send, and
discord.py's own retries after a 429 or a 5xx), not only each DM: Discord allows 50 requests a
second per bot and bans an IP for an hour after 10,000 invalid requests (401, 403, 429) in ten
minutes, so a 429 is a failure of our pacing, counted, and a global one pauses every request.
Interaction answers are exempt: Discord does not count them, and they must arrive within 3 s.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from typing import Any

import aiohttp
import discord

from adapters.discord import render
from adapters.discord.respond import send_kwargs
from bot.chat import Channel, Recipient, Reply
from bot.delivery import DeliveryError, RateLimiter

log = logging.getLogger(__name__)

DM_CLOSED = 50007
UNKNOWN_CHANNEL = 10003
MAX_NONCE = 25
HISTORY_LOOKBACK = 50  # recent messages searched for a nonce before re-sending a recovered row
_CONNECTION_ERRORS = (aiohttp.ClientConnectionError, asyncio.TimeoutError, ConnectionError)
REQUESTS_PER_SECOND = 49.0  # Discord's global limit is 50: keep a little room
_EXEMPT = ("/interactions/", "/webhooks/")
_INVALID = (401, 403, 429)


class RequestBudget:
    """A token bucket every REST request of the client takes a token from (an aiohttp trace)."""

    def __init__(self, rate: float = REQUESTS_PER_SECOND) -> None:
        self.limiter = RateLimiter(rate, concurrency=1, burst=max(1.0, rate / 10))
        self.requests = 0
        self.invalid = 0  # 401/403/429: what Discord's IP ban counts
        self.rate_limited = 0

    def trace(self) -> aiohttp.TraceConfig:
        """Pass to `discord.Client(http_trace=...)`: every request waits for its token."""
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._start)
        config.on_request_end.append(self._end)
        return config

    async def _start(
        self,
        _session: aiohttp.ClientSession,
        _context: Any,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        if any(part in params.url.path for part in _EXEMPT):
            return
        await self.limiter.acquire()
        self.requests += 1

    async def _end(
        self, _session: aiohttp.ClientSession, _context: Any, params: aiohttp.TraceRequestEndParams
    ) -> None:
        status = params.response.status
        if status not in _INVALID:
            return
        self.invalid += 1
        if status != 429:
            return
        self.rate_limited += 1
        headers = params.response.headers
        wait = _retry_after(params.response)
        log.warning("Discord answered 429 (our pacing was off): %s %s", params.method, params.url)
        if headers.get("X-RateLimit-Global") or headers.get("X-RateLimit-Scope") == "global":
            self.limiter.pause(wait)


def nonce(key: str, part: int = 0) -> str:
    """Discord's nonce holds 25 characters; the delivery key may be longer."""
    return hashlib.sha256(f"{key}#{part}".encode()).hexdigest()[:MAX_NONCE]


def delivery_error(error: discord.HTTPException) -> DeliveryError:
    """What a failed send means for the core."""
    if isinstance(error, discord.Forbidden) and error.code == DM_CLOSED:
        return DeliveryError("dm_closed", permanent=True)
    if error.status == 429:
        return DeliveryError("rate_limited", retry_after=_retry_after(error.response))
    if error.status >= 500:
        return DeliveryError(f"discord_{error.status}")
    return DeliveryError(f"refused_{error.status}_{error.code}", permanent=True)


def _retry_after(response: Any) -> float:
    headers = getattr(response, "headers", None) or {}
    try:
        return max(0.5, float(headers.get("Retry-After", 5.0)))
    except ValueError:
        return 5.0


class DiscordMessenger:
    """Sends the core's DMs with the client's HTTP session (and its rate-limit buckets)."""

    platform = "discord"

    def __init__(
        self,
        client: discord.Client,
        *,
        connection_retries: int = 3,
        backoff: float = 0.5,
        cache_size: int = 50_000,
    ) -> None:
        self.client = client
        self.connection_retries = connection_retries
        self.backoff = backoff
        self.cache_size = cache_size
        self._channels: OrderedDict[int, int] = OrderedDict()
        # A DM is at least one request: the core starts no more DMs a second than the client's
        # request budget allows (the budget, counting every request, is what binds).
        budget = getattr(client, "budget", None)
        self.send_rate = (
            budget.limiter.rate if isinstance(budget, RequestBudget) else REQUESTS_PER_SECOND
        )

    def connected(self) -> bool:
        """The gateway session is up (for `/readyz`)."""
        return self.client.is_ready() and not self.client.is_closed()

    def dm_channel_of(self, recipient: Recipient) -> str | None:
        """The member's DM channel as last opened or used (the core stores it)."""
        channel_id = self._channels.get(int(recipient.user_id))
        return None if channel_id is None else str(channel_id)

    def _known(self, recipient: Recipient) -> None:
        """Take the channel the core stored (after a restart the cache starts empty)."""
        user_id = int(recipient.user_id)
        if recipient.dm_channel and user_id not in self._channels:
            self._remember(user_id, int(recipient.dm_channel))

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        user_id = int(recipient.user_id)
        self._known(recipient)
        messages = render.render(reply).messages
        message_id = ""
        for part, message in enumerate(messages):
            message_id = await self._send(user_id, message, nonce(key, part))
        return message_id

    async def post(self, channel: Channel, reply: Reply, *, key: str) -> str:
        """Post `reply` in a server channel (with the same nonce protection as a DM)."""
        messages = render.render(reply).messages
        message_id = ""
        for part, message in enumerate(messages):
            message_id = await self._send(None, message, nonce(key, part), int(channel.channel_id))
        return message_id

    async def find_sent(self, target: Recipient | Channel, *, key: str) -> str | None:
        """Did a send with this delivery key reach Discord before a crash lost its record?

        Discord keeps a message's nonce for a few minutes (the same window `enforce_nonce`
        deduplicates in), and the queue takes over a dead process's rows within the stuck timeout
        plus a few seconds, so the nonce is read back from the channel's recent messages. Past
        that window the re-send still carries the same nonce.
        """
        wanted = nonce(key, 0)
        try:
            if isinstance(target, Recipient):
                self._known(target)
                channel_id = await self._channel(int(target.user_id))
            else:
                channel_id = int(target.channel_id)
            recent = await self.client.http.logs_from(channel_id, limit=HISTORY_LOOKBACK)
        except discord.HTTPException as error:
            raise delivery_error(error) from error
        except _CONNECTION_ERRORS as error:
            raise DeliveryError("connection_lost") from error
        for message in recent:
            if str(message.get("nonce")) == wanted:
                return str(message["id"])
        return None

    async def _send(
        self,
        user_id: int | None,
        message: render.Outgoing,
        nonce_: str,
        channel_id: int | None = None,
    ) -> str:
        """Send to `channel_id`, or to `user_id`'s DM channel (opened on demand)."""
        for attempt in range(self.connection_retries + 1):
            try:
                if channel_id is not None:
                    channel = self.client.get_partial_messageable(channel_id)
                else:
                    assert user_id is not None
                    channel = self.client.get_partial_messageable(
                        await self._channel(user_id), type=discord.ChannelType.private
                    )
                kwargs: dict[str, Any] = send_kwargs(message) | {"nonce": nonce_}
                sent = await channel.send(**kwargs)
                return str(sent.id)
            except discord.RateLimited as error:
                raise DeliveryError("rate_limited", retry_after=error.retry_after) from error
            except discord.NotFound as error:
                if error.code != UNKNOWN_CHANNEL or attempt or user_id is None:
                    raise delivery_error(error) from error
                self._channels.pop(user_id, None)  # a stale DM channel: open it again
            except discord.HTTPException as error:
                failure = delivery_error(error)
                if failure.permanent and user_id is not None:
                    self._channels.pop(user_id, None)  # closed DMs: the core forgets it too
                raise failure from error
            except _CONNECTION_ERRORS as error:
                if attempt == self.connection_retries:
                    raise DeliveryError("connection_lost") from error
                log.info("send to %s: connection lost (%s); retrying", user_id or channel_id, error)
                await asyncio.sleep(self.backoff * 2**attempt)
        raise DeliveryError("connection_lost")

    async def _channel(self, user_id: int) -> int:
        """The member's DM channel id, opened once and remembered (least recently used out)."""
        channel_id = self._channels.get(user_id)
        if channel_id is None:
            data = await self.client.http.start_private_message(user_id)
            channel_id = int(data["id"])
            self._remember(user_id, channel_id)
        else:
            self._channels.move_to_end(user_id)
        return channel_id

    def _remember(self, user_id: int, channel_id: int) -> None:
        self._channels[user_id] = channel_id
        if len(self._channels) > self.cache_size:
            self._channels.popitem(last=False)
