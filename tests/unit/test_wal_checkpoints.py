"""SQLite checkpoints run off the command path, and the WAL does not grow without bound."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from tests.conftest import make_settings

pytestmark = pytest.mark.sqlite_only


async def test_background_checkpoints_keep_the_wal_in_check(
    sqlite_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    core = Core(make_settings(sqlite_url), clock=clock)
    await core.migrate()
    wal = tmp_path / "mentorbot.db-wal"
    async with core:
        assert core.checkpoints is not None
        chat = ConsoleChat(core)
        for hours in range(1, 40):
            assert "✅" in (await chat.say(f"/remind in {hours} hours stretch {hours}"))[0]
        async with core.engine.connect() as connection:
            automatic = await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")
            assert automatic.scalar() == 0  # commits never pay for checkpoints
        assert wal.stat().st_size > 0
        await asyncio.to_thread(core.checkpoints.checkpoint, "PASSIVE")
        with sqlite3.connect(tmp_path / "mentorbot.db") as connection:
            busy, frames, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and frames == copied
