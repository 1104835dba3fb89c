"""JSON log lines carry the correlation id of the command or delivery that caused them."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot import logs


def _line(record_message: str) -> dict[str, object]:
    record = logging.LogRecord("bot.test", logging.WARNING, __file__, 1, record_message, (), None)
    logs.CorrelationFilter().filter(record)
    parsed: dict[str, object] = json.loads(logs.JsonFormatter().format(record))
    return parsed


async def test_each_task_logs_its_own_correlation_id() -> None:
    async def handle(name: str) -> tuple[str, dict[str, object]]:
        correlation = logs.new_correlation()
        await asyncio.sleep(0)  # the other task runs in between
        return correlation, _line(f"handling {name}")

    (first, one), (second, two) = await asyncio.gather(handle("a"), handle("b"))
    assert first != second
    assert one["correlation"] == first and two["correlation"] == second
    assert one["message"] == "handling a" and one["level"] == "WARNING"
    assert "correlation" not in _line("outside any command")


def test_setup_json_writes_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        logs.setup("INFO", "json")
        logs.correlation.set("mentorbot-d42")
        logging.getLogger("bot.queue").info("sent")
        [line] = capsys.readouterr().err.strip().splitlines()
        entry = json.loads(line)
        assert entry["correlation"] == "mentorbot-d42" and entry["logger"] == "bot.queue"
    finally:
        logs.correlation.set("")
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
