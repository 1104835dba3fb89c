"""Logging setup: plain lines for a terminal, or one JSON object per line for a log pipeline.

Every record carries the correlation id of the command or delivery being handled (a context
variable set by the core and the queue), so one member's request can be followed across
modules and processes: `MENTORBOT_LOG_FORMAT=json`.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

correlation: ContextVar[str] = ContextVar("correlation", default="")


def new_correlation(prefix: str = "") -> str:
    """A short id for one command or delivery, made current for this task."""
    value = f"{prefix}{uuid.uuid4().hex[:8]}"
    correlation.set(value)
    return value


class CorrelationFilter(logging.Filter):
    """Adds `record.correlation` (empty outside a command or delivery)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation = correlation.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, correlation, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        value = getattr(record, "correlation", "")
        if value:
            entry["correlation"] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup(level: str, style: str = "text") -> None:
    """Configure the root logger on stderr (`style`: text or json)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(CorrelationFilter())
    if style == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Their start-up chatter is not news to an operator; warnings and errors still show.
    for noisy in ("alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
