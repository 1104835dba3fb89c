"""The delivery queue: every message the bot sends on its own is a row, claimed, sent, recorded.

A delivery is claimed (`pending -> sending`) in a committed transaction before it is sent, so two
queues never send the same row; each send's outcome is recorded as soon as the platform answers
(group-committed with whatever else finished meanwhile, never held for the rest of its batch). A
crash between the two leaves a `sending` row, which recovery (run every few seconds, busy or
idle, by every process) requeues at most once; before sending a requeued row the queue asks the
platform whether it already went out (`SentLookup`), so a crash repeats nothing.

Features never send anything themselves: each registers a `DeliveryKind` (what to do inside the
claim, how to compose each row's message, what to do after) and the queue does the rest once for
all of them: the claim, the late notice, rate limits, 429/5xx hand-back, closed DMs and recovery.

The modules, each one concern:

- `kinds`: what a feature plugs in (`DeliveryKind`) and the records its handlers see.
- `rows`: `delivery_row` and `enqueue`, what a feature calls inside its own transaction.
- `claims`: claiming a batch (with each kind's `prepare`) and composing its messages.
- `sending`: one send within the platform's limits, the late notice, what a failure means.
- `records`: writing each outcome as soon as it is known, then the kinds' `after` hooks.
- `recovery`: taking over rows a dead process claimed but never recorded.
- `dispatcher`: `DeliveryQueue`, the task that ties them together, and its graceful stop.
"""

from bot.queue.dispatcher import OVERLAP, DeliveryQueue
from bot.queue.kinds import Claim, DeliveryKind, Due, Outcome, SentLookup
from bot.queue.rows import KEY, delivery_row, enqueue

__all__ = [
    "KEY",
    "OVERLAP",
    "Claim",
    "DeliveryKind",
    "DeliveryQueue",
    "Due",
    "Outcome",
    "SentLookup",
    "delivery_row",
    "enqueue",
]
