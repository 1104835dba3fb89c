"""Run the real `mentorbot` command as a child process and read its output with deadlines."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path


class BotProcess:
    def __init__(self, database_url: str, cwd: Path, **env: str) -> None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MENTORBOT_")}
        environment.update(
            MENTORBOT_DATABASE_URL=database_url,
            MENTORBOT_DEFAULT_TIMEZONE="UTC",
            MENTORBOT_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            **env,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters", "run"],
            cwd=cwd,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(stream, into), daemon=True)
            for stream, into in ((self.process.stdout, self.lines),
                                 (self.process.stderr, self.errors))
        ]
        for thread in self._readers:
            thread.start()

    def _read(self, stream: object, into: list[str]) -> None:
        for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
            with self._changed:
                into.append(line.rstrip("\n"))
                self._changed.notify_all()

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait_for(self, text: str, *, count: int = 1, timeout: float = 30.0) -> list[str]:
        """Block until `text` has appeared in `count` output lines (or fail at the deadline)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [line for line in self.lines if text in line]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"{text!r} x{count} not seen; output:\n" + "\n".join(self.lines)
                        + "\nstderr:\n" + "\n".join(self.errors)
                    )
                self._changed.wait(min(remaining, 0.5))

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        self._close()

    def finish(self, timeout: float = 60.0) -> int:
        if self.process.stdin is not None:
            self.process.stdin.close()
        code = self.process.wait(timeout=timeout)
        self._close()
        return code

    def _close(self) -> None:
        for thread in self._readers:
            thread.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
