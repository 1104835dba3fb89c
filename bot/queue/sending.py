"""Sending one claimed delivery: pacing per platform, the late notice, and what a failure means.

A 429 pauses the platform and hands the row back; other transient errors retry later; a
permanent DM failure is a closed DM (told on the member's next command); a requeued row is first
looked up on the platform (`SentLookup`) so a crash repeats nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from prometheus_client import Counter

from bot import logs, metrics
from bot.chat import Channel, Recipient, Reply
from bot.clock import Clock
from bot.closed_dms import ClosedDMs
from bot.delivery import DeliveryError, KeepsDMChannels, Messenger, RateLimiter
from bot.queue.kinds import Due, Outcome, SentLookup
from bot.time import timefmt

log = logging.getLogger(__name__)


class Sender:
    """Sends one delivery through its platform's messenger within that platform's limits."""

    def __init__(
        self,
        clock: Clock,
        *,
        messengers: Mapping[str, Messenger],
        limiters: Mapping[str, RateLimiter],
        closed_dms: ClosedDMs,
        late_after: float,
        stopping: Callable[[], bool],
    ) -> None:
        self.clock = clock
        self.messengers = messengers
        self.limiters = limiters
        self.closed_dms = closed_dms
        self.late_after = late_after
        self.stopping = stopping  # a graceful stop: hand claims back instead of sending
        self._counters: dict[tuple[str, str], Counter] = {}

    async def send(self, item: Due, message: Reply | Outcome | None) -> Outcome:
        """Send `item` (or take the outcome composing gave it), logged and counted."""
        logs.correlation.set(item.key)  # every log line about this delivery names it
        outcome = await self._send_one(item, message)
        if outcome.permanent_error is not None:
            status = "undelivered" if outcome.undelivered else "failed"
        elif outcome.retry_after is not None:
            status = "retry"
        else:
            status = "sent"
            late = (self.clock.now() - item.occurrence).total_seconds()
            metrics.LATENESS.observe(max(0.0, late))
        counter = self._counters.get((item.kind, status))
        if counter is None:  # a labelled child is looked up once, not on every send
            counter = self._counters[item.kind, status] = metrics.DELIVERIES.labels(
                item.kind, status
            )
        counter.inc()
        return outcome

    async def _send_one(self, item: Due, message: Reply | Outcome | None) -> Outcome:
        outcome = await self._send_to_platform(item, message)
        messenger = self.messengers.get(item.platform)
        if item.user_id is None or not isinstance(messenger, KeepsDMChannels):
            return outcome
        recipient = Recipient(item.platform, item.workspace, item.user_id)
        channel = messenger.dm_channel_of(recipient) or ""
        if channel == (item.dm_channel or "") or (not channel and not outcome.undelivered):
            return outcome  # unchanged; an unknown channel is forgotten only for closed DMs
        return replace(outcome, dm_channel=channel)  # stored with the outcome

    async def _send_to_platform(self, item: Due, message: Reply | Outcome | None) -> Outcome:
        if isinstance(message, Outcome):
            return message
        if message is None:
            return Outcome(item.id, permanent_error="nothing to send")
        if item.user_id is None and item.channel_id is None:
            return Outcome(item.id, permanent_error="no destination")
        messenger = self.messengers.get(item.platform)
        if messenger is None:
            return Outcome(item.id, retry_after=60.0)
        if self.stopping():  # shutting down: hand the claim back untouched
            return Outcome(item.id, retry_after=0.0)
        limiter = self.limiters[item.platform]
        async with limiter.in_flight:
            await limiter.acquire()
            if self.stopping():
                return Outcome(item.id, retry_after=0.0)
            message = self._with_late_notice(message, item.occurrence)
            key = item.key
            target: Recipient | Channel
            if item.channel_id is not None:
                target = Channel(item.platform, item.workspace, item.channel_id)
            else:
                assert item.user_id is not None
                target = Recipient(item.platform, item.workspace, item.user_id, item.dm_channel)
            try:
                if item.recovered and isinstance(messenger, SentLookup):
                    found = await messenger.find_sent(target, key=key)
                    if found is not None:
                        log.info("delivery %s had gone out before a crash: not re-sent", item.id)
                        return Outcome(item.id, message_id=found)
                if isinstance(target, Channel):
                    message_id = await messenger.post(target, message, key=key)
                else:
                    message_id = await messenger.send_direct(target, message, key=key)
            except DeliveryError as error:
                if error.permanent:
                    if item.channel_id is not None:  # cannot post there: failed, not a closed DM
                        return Outcome(item.id, permanent_error=error.reason)
                    assert item.user_id is not None
                    self.closed_dms.add(item.platform, item.workspace, item.user_id)
                    return Outcome(item.id, permanent_error=error.reason, undelivered=True)
                if error.retry_after:
                    limiter.pause(error.retry_after)
                    metrics.RATE_LIMITED.labels(item.platform).inc()
                return Outcome(item.id, retry_after=error.retry_after or 30.0)
            except Exception:  # a bug or an unknown failure must not lose the delivery
                log.exception("sending delivery %s failed", item.id)
                return Outcome(item.id, retry_after=60.0)
        return Outcome(item.id, message_id=message_id)

    def _with_late_notice(self, message: Reply, occurrence: datetime) -> Reply:
        """Every queued message owns up to being late, whichever feature composed it."""
        late = (self.clock.now() - occurrence).total_seconds()
        if late <= self.late_after:
            return message
        notice = f"__Sorry, this is {timefmt.lateness(late)} late: mentorbot was offline or busy.__"
        return replace(message, text=f"{message.text}\n{notice}")
