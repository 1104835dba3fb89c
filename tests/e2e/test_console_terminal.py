"""The console as people use a terminal, on the real `mentorbot run`: Ctrl-C quits at once
(piped, and on a pseudo-terminal where the terminal turns ^C into SIGINT), and Ctrl-D with
something due soon says that it waits, and for how long."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.e2e.process import PROXIES, BotProcess, interruptible

pytestmark = pytest.mark.slow


def test_ctrl_c_quits_at_once_while_waiting_for_input(store_url: str, tmp_path: Path) -> None:
    bot = BotProcess(store_url, tmp_path)
    try:
        bot.type("/remind in 1 hour stretch")
        bot.wait_for("I'll remind you")
        bot.process.send_signal(signal.SIGINT)  # stdin stays open: nothing else will end it
        code = bot.process.wait(timeout=10)
    finally:
        bot.stop()
    assert code == 130, bot.diagnostics()
    assert "Stopped (Ctrl-C)" in "\n".join(bot.errors)
    assert not any("Traceback" in line for line in bot.errors), bot.diagnostics()


def test_ctrl_d_with_something_due_soon_says_it_waits(store_url: str, tmp_path: Path) -> None:
    bot = BotProcess(
        store_url,
        tmp_path,
        MENTORBOT_CONSOLE_LINGER_SECONDS="30",
    )
    bot.type("/remind in 3 seconds stretch")
    bot.wait_for("I'll remind you")
    assert bot.finish() == 0  # closes stdin: Ctrl-D
    waiting = [line for line in bot.lines if line.startswith("(Input ended: waiting")]
    assert len(waiting) == 1, bot.diagnostics()
    assert any(f"waiting {n} second" in waiting[0] for n in (1, 2, 3)), waiting
    assert "Ctrl-C leaves now" in waiting[0]
    assert bot.lines.index(waiting[0]) < bot.lines.index("📬 DM to you:")


def _controlling_terminal() -> None:
    """In the child, in its new session: make the pty on stdin its controlling terminal, so the
    terminal turns ^C into SIGINT for it as a shell's terminal would."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    interruptible()


class Terminal:
    """`mentorbot run` on a pseudo-terminal: what a person at a keyboard sees and types."""

    def __init__(self, store_url: str, tmp_path: Path, **settings: str) -> None:
        self.master, slave = os.openpty()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("MENTORBOT_") and k not in PROXIES
        }
        env.update(
            MENTORBOT_DATABASE_URL=store_url,
            MENTORBOT_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            **settings,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters", "run"],
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=env,
            start_new_session=True,
            preexec_fn=_controlling_terminal,
        )
        os.close(slave)
        self.screen = ""

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} not on screen:\n{self.screen}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # the child closed the terminal
                    assert text in self.screen, f"{text!r} not on screen:\n{self.screen}"

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        assert self.process.stderr is not None
        errors = self.process.stderr.read().decode(errors="replace")
        self.process.stderr.close()
        os.close(self.master)
        return errors


def test_ctrl_c_on_a_terminal_quits_at_once(store_url: str, tmp_path: Path) -> None:
    terminal = Terminal(store_url, tmp_path)
    try:
        terminal.wait_for("mentorbot console")
        terminal.press("/remind in 1 hour stretch\r")
        terminal.wait_for("I'll remind you")
        terminal.press("\x03")  # Ctrl-C: the terminal sends SIGINT
        code = terminal.process.wait(timeout=10)
    finally:
        errors = terminal.close()
    assert code == 130, (terminal.screen, errors)
    assert "Stopped (Ctrl-C)" in errors and "Traceback" not in errors


def test_ctrl_d_on_a_terminal_says_how_long_it_waits(store_url: str, tmp_path: Path) -> None:
    terminal = Terminal(store_url, tmp_path, MENTORBOT_CONSOLE_LINGER_SECONDS="30")
    try:
        terminal.wait_for("mentorbot console")
        terminal.press("/remind in 4 seconds stretch\r")
        terminal.wait_for("I'll remind you")
        terminal.press("\x04")  # Ctrl-D on an empty line: end of input
        terminal.wait_for("(Input ended: waiting")
        terminal.wait_for("Reminder: stretch")
        code = terminal.process.wait(timeout=10)
    finally:
        errors = terminal.close()
    assert code == 0, (terminal.screen, errors)
