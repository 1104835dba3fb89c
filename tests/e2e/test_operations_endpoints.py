"""`/healthz`, `/readyz`, `/metrics` and JSON logs on the real process, with the console alone."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.e2e.process import BotProcess, free_port, http_get
from tests.support.burst import poll


async def test_console_alone_serves_health_readiness_and_metrics_and_logs_json(
    store_url: str, tmp_path: Path
) -> None:
    port = free_port()
    bot = BotProcess(
        store_url,
        tmp_path,
        MENTORBOT_HTTP_PORT=str(port),
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_LOG_FORMAT="json",
        MENTORBOT_LOG_LEVEL="INFO",
    )
    try:

        async def up() -> bool:
            assert bot.process.poll() is None, bot.diagnostics()
            return (await http_get(port, "/healthz"))[0] == 200

        await poll(up, "/healthz", 30, every=0.05)
        assert await http_get(port, "/healthz") == (200, "ok\n")
        status, body = await http_get(port, "/readyz")
        assert status == 200 and json.loads(body) == {"ready": True, "problems": []}

        bot.type("/help")
        bot.type("/timezone nowhere-at-all")
        await asyncio.to_thread(bot.wait_for, "nowhere-at-all", timeout=30)
        await asyncio.to_thread(bot.wait_for, "⚠", timeout=30)

        status, metrics = await http_get(port, "/metrics")
        assert status == 200
        assert 'mentorbot_commands_total{command="help",outcome="ok"} 1.0' in metrics
        assert 'mentorbot_command_seconds_count{command="help"} 1.0' in metrics
        assert "mentorbot_queue_depth 0.0" in metrics
        assert "mentorbot_calendar_leader 1.0" in metrics  # SQLite: this process leads
        assert (await http_get(port, "/nothing-here"))[0] == 404

        records = [json.loads(line) for line in bot.errors if line.startswith("{")]
        assert records, bot.diagnostics()
        assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
        assert any("operations endpoints" in r["message"] for r in records)
    finally:
        assert await asyncio.to_thread(bot.stop, 10) == 0  # SIGTERM: a graceful stop
