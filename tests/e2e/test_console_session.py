"""The committed example console session, run through the real `mentorbot run` process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "console-session.txt"


def test_scripted_session_sets_a_reminder_and_receives_it(store_url: str, tmp_path: Path) -> None:
    env = {
        "MENTORBOT_DATABASE_URL": store_url,
        "MENTORBOT_CONSOLE_LINGER_SECONDS": "30",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "adapters", "run"],
        input=EXAMPLE.read_text(),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert "Database: applied migrations" in result.stderr
    assert "Your time zone is now Europe/Berlin" in output
    assert "stretch your legs" in output.split("📬 DM to you:")[1]
    assert output.count("📬 DM to you:") == 1  # the weekly one is not due yet
    assert "review my learning goals" in output.split("Your reminders")[1]
