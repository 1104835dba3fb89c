"""What operators graph: Prometheus metrics of commands, deliveries and the queue.

The counters live in one registry per process (`REGISTRY`), so a test can read a value, or the
text an HTTP scrape gets (`exposition()`), without a server. Label values are bounded: command
names come from the catalogue (anything else is `unknown`), kinds from registered delivery kinds.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

COMMANDS = Counter(
    "mentorbot_commands",
    "Commands, button presses, forms and autocompletes handled, by name and outcome.",
    ["command", "outcome"],
    registry=REGISTRY,
)
COMMAND_SECONDS = Histogram(
    "mentorbot_command_seconds",
    "Time to answer one event, by name.",
    ["command"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "mentorbot_deliveries",
    "Delivery outcomes, by kind and status (sent, retry, undelivered, failed).",
    ["kind", "status"],
    registry=REGISTRY,
)
LATENESS = Histogram(
    "mentorbot_delivery_lateness_seconds",
    "How long after its due moment a delivery was sent.",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600),
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge(
    "mentorbot_queue_depth",
    "Deliveries due now and not yet sent (pending), read at scrape time.",
    registry=REGISTRY,
)
IN_FLIGHT = Gauge(
    "mentorbot_deliveries_in_flight",
    "Rows this process has claimed and not yet recorded.",
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "mentorbot_platform_rate_limited",
    "429 answers from a platform (each pauses its sends).",
    ["platform"],
    registry=REGISTRY,
)
CALENDAR_LEADER = Gauge(
    "mentorbot_calendar_leader",
    "1 if this process runs the calendar jobs (holds the advisory lock).",
    registry=REGISTRY,
)


def exposition() -> bytes:
    """The Prometheus text format of every metric above."""
    return generate_latest(REGISTRY)
