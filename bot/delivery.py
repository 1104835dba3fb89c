"""How the core reaches members and channels: the Messenger port and the limits around it.

Adapters implement `Messenger`; the core never knows which platform it talks to. Every send goes
through a per-platform token bucket and a bound on messages in flight, so a burst (10,000 weekly
check-ins at Monday 09:00) drains at the platform's allowed rate instead of being refused.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol, runtime_checkable

from bot.chat import Channel, Recipient, Reply


class DeliveryError(Exception):
    """A send that did not happen.

    `permanent` errors (the member closed their DMs, left the workspace) are not retried;
    others are, after `retry_after` seconds when the platform said so.
    """

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


DEFAULT_SEND_RATE = 20.0  # deliveries a second for a messenger that does not say (console, tests)


def send_rate(messenger: object, configured: float | None) -> float:
    """Deliveries a second on `messenger`'s platform: the operator's setting, else what the
    platform allows (a messenger's `send_rate`), else `DEFAULT_SEND_RATE`."""
    if configured is not None:
        return configured
    rate = getattr(messenger, "send_rate", None)
    return float(rate) if isinstance(rate, int | float) and rate > 0 else DEFAULT_SEND_RATE


class Messenger(Protocol):
    """One platform's way to reach a member privately, or to post in a shared channel.

    A messenger may say how many deliveries a second its platform allows (`send_rate`, a
    float); the core paces its sends to that unless `MENTORBOT_SEND_RATE_PER_SECOND` is set.

    A reply's attachments travel with it on both routes (Discord uploads them with the message,
    Slack shares them after it through its external upload flow, the console saves them).
    """

    platform: str

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        """Send `reply` as a DM and return the platform's message id.

        `key` is stable for one delivery: platforms that support idempotent sends (Discord's
        nonce with enforce_nonce) use it so a retried send cannot show up twice.
        """
        ...

    async def post(self, channel: Channel, reply: Reply, *, key: str) -> str:
        """Post `reply` in `channel` (a digest, an admin report) and return the message id.

        `key` is stable for one delivery, as for `send_direct`. Errors are `DeliveryError`s;
        `permanent` ones mean the bot cannot post there (not in the channel, archived).
        """
        ...


@runtime_checkable
class KeepsDMChannels(Protocol):
    """A messenger whose DMs go through channels it opens (Discord, Slack): it takes a stored
    channel in `Recipient.dm_channel` and says which channel a member's DMs use now, so the core
    stores it and a repeat DM costs one request, even after a restart."""

    def dm_channel_of(self, recipient: Recipient) -> str | None:
        """The channel `recipient`'s DMs use now, or None if unknown (or invalid: closed DMs)."""
        ...


class RateLimiter:
    """Token bucket plus a concurrency bound, one per platform."""

    def __init__(
        self, rate_per_second: float, concurrency: int, *, burst: float | None = None
    ) -> None:
        self.rate = rate_per_second
        # A second's worth by default; a smaller burst spaces requests evenly, so bunching on
        # the way (a busy event loop, a slow connection) cannot exceed the platform's window.
        self.capacity = max(1.0, rate_per_second if burst is None else burst)
        self._tokens = self.capacity
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()
        self.in_flight = asyncio.Semaphore(concurrency)
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """The platform said 429: nobody sends for `seconds`."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                if now < self._paused_until:
                    await asyncio.sleep(self._paused_until - now)
                    continue
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)
