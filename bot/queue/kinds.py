"""What a feature plugs into the queue: a `DeliveryKind` and the records its handlers see.

`Claim` is a row as `prepare` sees it inside the claim transaction, `Due` a claimed row with its
destination resolved as `compose` sees it, `Outcome` what happened to one send (`after` sees it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar, runtime_checkable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Channel, Recipient, Reply


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed delivery."""

    delivery_id: int
    message_id: str | None = None
    retry_after: float | None = None  # transient failure: try again after this many seconds
    permanent_error: str | None = None
    undelivered: bool = False  # the member cannot be DMed (closed DMs): tell them next time
    dm_channel: str | None = None  # the member's DM channel changed: store it ("" forgets it)


@dataclass(frozen=True)
class Claim:
    """A row just claimed, as a kind's `prepare` sees it inside the claim transaction."""

    id: int
    kind: str
    subject_id: int
    member_id: int | None
    occurrence: datetime


@dataclass(frozen=True)
class Due:
    """A claimed row with its destination resolved, as a kind's `compose` sees it."""

    id: int
    kind: str
    subject_id: int
    occurrence: datetime
    platform: str
    workspace: str  # the platform's workspace id
    member_id: int | None
    user_id: str | None  # the member's platform id: a DM destination
    channel_id: str | None  # a channel destination: posted there, not DMed
    tz: ZoneInfo  # the member's zone, else the workspace's, else the default
    recovered: bool = False  # claimed before by a process that died: ask before re-sending
    dm_channel: str | None = None  # the member's stored DM channel (a repeat DM opens none)

    @property
    def key(self) -> str:
        """The idempotency key of this delivery: stable across retries and processes."""
        return f"mentorbot-d{self.id}"


@runtime_checkable
class SentLookup(Protocol):
    """A messenger that can tell whether a delivery already went out (its record was lost)."""

    async def find_sent(self, target: Recipient | Channel, *, key: str) -> str | None:
        """The platform's message id of an earlier send with `key`, or None if there was none."""
        ...


Prepare = Callable[[AsyncSession, Sequence[Claim], datetime], Awaitable[None]]
Compose = Callable[[AsyncSession, Sequence[Due]], Awaitable[Mapping[int, Reply]]]
After = Callable[[AsyncSession, Sequence[tuple[Due, Outcome]]], Awaitable[None]]
Describe = Callable[[AsyncSession, Sequence[int]], Awaitable[Mapping[int, str]]]


@dataclass(frozen=True)
class DeliveryKind:
    """One kind of message a feature queues, e.g. `reminder.fire`, and its handlers.

    - `compose` (required) builds the message for each claimed row, batched: one call per kind
      per claimed batch. A row it leaves out is not sent (marked failed: nothing to send).
    - `prepare` runs inside the claim transaction, e.g. to store a repeating reminder's next
      firing in the same commit that claims this one, so a crash never loses the series.
    - `after` runs once the outcomes (sent, retried or undelivered) are committed, in its own
      transaction; if it fails, that is logged and nothing is sent again.
    - `describe` gives one line per subject for the closed-DM notice (else "a message").

    The part of `name` before the dot is its family: rows of one family, subject, destination
    and occurrence are the same delivery (a snooze and a fire of one reminder collide).
    """

    name: str
    compose: Compose
    prepare: Prepare | None = None
    after: After | None = None
    describe: Describe | None = None

    def __post_init__(self) -> None:
        family, dot, action = self.name.partition(".")
        if not (family and dot and action) or len(self.name) > 32:
            raise ValueError(f"a delivery kind is 'family.action' (≤ 32 chars): {self.name!r}")

    @property
    def family(self) -> str:
        return self.name.partition(".")[0]


T = TypeVar("T")


def by_kind(items: Iterable[T], kind: Callable[[T], str]) -> dict[str, list[T]]:
    """Rows grouped by kind, so each handler is called once per batch."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(kind(item), []).append(item)
    return groups
