"""Run the real `mentorbot` command as a child process and read its output with deadlines.

    async with launched(tmp_path, MENTORBOT_DISCORD_TOKEN=fake.token, ...) as bot:
        await until(bot, "the reminder DM", lambda: fake.dms(ann.id), timeout=15)

`launched` starts it for a platform (the console must stay off) and stops it afterwards; `until`
waits, without blocking the loop the fakes serve from, and fails with the child's output.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from tests.support.databases import suite_database

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def interruptible() -> None:
    """In the child: SIGINT at its default, as for a program started at a shell prompt. A test run
    started as a background job (`cmd &`) ignores SIGINT, and children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class BotProcess:
    def __init__(self, database_url: str, cwd: Path, **env: str) -> None:
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("MENTORBOT_") and k not in PROXIES
        }
        environment.update(
            MENTORBOT_DATABASE_URL=database_url,
            MENTORBOT_DEFAULT_TIMEZONE="UTC",
            MENTORBOT_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost",  # the child talks to the fakes on loopback only
            no_proxy="127.0.0.1,localhost",
        )
        environment.update(env)  # a test may override the defaults above
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters", "run"],
            cwd=cwd,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=interruptible,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.port: int | None = None  # its MENTORBOT_HTTP_PORT, when a test set one
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(stream, into), daemon=True)
            for stream, into in (
                (self.process.stdout, self.lines),
                (self.process.stderr, self.errors),
            )
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

    def wait_for(
        self, text: str, *, count: int = 1, timeout: float = 30.0, stderr: bool = False
    ) -> list[str]:
        """Block until `text` has appeared in `count` output lines (stdout, or the log on
        stderr) or fail at the deadline."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [line for line in (self.errors if stderr else self.lines) if text in line]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{text!r} x{count} not seen; " + self.diagnostics())
                self._changed.wait(min(remaining, 0.5))

    def diagnostics(self) -> str:
        return "stdout:\n" + "\n".join(self.lines) + "\nstderr:\n" + "\n".join(self.errors)

    def stop(self, timeout: float = 10.0) -> int:
        """Terminate it (SIGTERM, then SIGKILL after `timeout`) and close its pipes."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self._close()
        return self.process.returncode

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


@asynccontextmanager
async def launched(tmp_path: Path, **env: str) -> AsyncIterator[BotProcess]:
    """`mentorbot run` with a platform configured by `env`, on a fresh database of the suite's
    kind (`tests/support/databases.py`); stopped after.

    It is sent `/help` and end of input: had the console started by mistake, it would echo the
    line and exit at the end of input, which the tests check.
    """
    with suite_database(tmp_path, "bot.db") as url:
        bot = BotProcess(url, tmp_path, **env)
        bot.type("/help")
        assert bot.process.stdin is not None
        bot.process.stdin.close()
        try:
            yield bot
        finally:
            await asyncio.to_thread(bot.stop)


async def until(
    bot: BotProcess, what: str, check: Callable[[], object], *, timeout: float = 30.0
) -> None:
    """Poll `check()` with a deadline (the fakes serve from this loop meanwhile); fail early,
    with the child's output, if the bot exits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if bot.process.poll() is not None:
            raise AssertionError(
                f"{what}: mentorbot exited ({bot.process.returncode})\n" + bot.diagnostics()
            )
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not seen within {timeout}s\n" + bot.diagnostics())
        await asyncio.sleep(0.02)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def http_get(port: int, path: str) -> tuple[int, str]:
    """A plain GET against a process's HTTP port: (status, body); (0, "") while nothing
    listens yet."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return 0, ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = raw.decode().partition("\r\n\r\n")
    return int(head.split(" ")[1]), body


def port_open(port: int) -> bool:
    """Does something accept connections on 127.0.0.1:`port` (refused at once when not)?"""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
