"""`mentorbot run` without platform tokens: a terminal chat as a local member.

Interactive on a terminal; with piped input it runs the commands, then stays until nothing is due
within `MENTORBOT_CONSOLE_LINGER_SECONDS`, so a scripted demo sees its reminders arrive (and says
that it is waiting, and for how long).

Input is read by a daemon thread with `os.read` on the file descriptor, not in the event loop's
executor: a thread blocked in `readline` there kept Ctrl-C from ending the process until Enter
(asyncio waits for its executor on the way out), and a buffered reader's lock held by a daemon
thread can abort the interpreter at exit. Ctrl-C cancels the loop at once; `adapters.cli` says
goodbye.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import math
import os
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TextIO

from adapters.console.chat import META_HELP, ConsoleChat
from bot.app import Core

Lines = asyncio.Queue[str | None]  # None: end of input


async def run_console(
    core: Core, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    interactive = stdin.isatty()
    prompting = interactive

    def write(lines: list[str]) -> None:
        for line in lines:
            print(line, file=stdout)
        if prompting:
            print("> ", end="", file=stdout)
        stdout.flush()

    chat = ConsoleChat(core, user=core.settings.console_user, output=write, latest_only=True)
    if interactive:
        write([f"mentorbot console — you are {chat.user}. {META_HELP}"])
    lines = read_lines(stdin, asyncio.get_running_loop())
    while (line := await lines.get()) is not None:
        if line.strip() in {"/quit", "/exit"}:
            return
        if not line.strip() and chat.form is None:
            continue  # a blank line means something only to a form (Enter skips a field)
        if not interactive:
            write([f"> {line.rstrip()}"])
        await chat.say(line)
    prompting = False
    if interactive:
        write([""])  # Ctrl-D leaves the cursor after the prompt
    await linger(core, timedelta(seconds=core.settings.console_linger_seconds), write)


def read_lines(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> Lines:
    """Lines typed or piped into `stdin`, fed from a daemon thread; None at end of input."""
    queue: Lines = asyncio.Queue()

    def put(line: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody reads any more
            loop.call_soon_threadsafe(queue.put_nowait, line)

    def from_descriptor(descriptor: int) -> None:
        decoder = codecs.getincrementaldecoder(stdin.encoding or "utf-8")(errors="replace")
        pending = ""
        while chunk := os.read(descriptor, 65536):
            pending += decoder.decode(chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                put(line + "\n")
        pending += decoder.decode(b"", final=True)
        if pending:
            put(pending)

    def from_stream() -> None:
        for line in iter(stdin.readline, ""):
            put(line)

    def read() -> None:
        try:
            descriptor = _descriptor(stdin)
            if descriptor is None:
                from_stream()
            else:
                from_descriptor(descriptor)
        except (OSError, ValueError):
            pass  # a closed or broken input ends like end of input
        finally:
            put(None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return queue


def _descriptor(stdin: TextIO) -> int | None:
    try:
        return stdin.fileno()
    except (io.UnsupportedOperation, AttributeError):
        return None  # an in-memory stream (tests)


async def linger(
    core: Core, horizon: timedelta, write: Callable[[list[str]], None] | None = None
) -> None:
    """Input ended: wait for deliveries due within `horizon`, saying for how long, then leave."""
    announced = None
    while True:
        earliest = await core.queue.earliest_due()
        now = core.clock.now()
        if earliest is None or earliest - now > horizon:
            await _settled(core)
            return
        if write is not None and earliest != announced:
            announced = earliest
            seconds = max(0, math.ceil((earliest - now).total_seconds()))
            write(
                [
                    f"(Input ended: waiting {_duration(seconds)} for what is due at "
                    f"{earliest:%H:%M:%S} UTC. Ctrl-C leaves now; it is then sent on the next "
                    "start.)"
                ]
            )
        await asyncio.sleep(max(0.05, (earliest - now).total_seconds() + 0.05))
        # Give the queue a moment to deliver what just came due.
        for _ in range(100):
            again = await core.queue.earliest_due()
            if again is None or again > core.clock.now():
                break
            await asyncio.sleep(0.02)


async def _settled(core: Core, timeout: float = 10.0) -> None:
    """Let a delivery pass in progress record what it sent before the core closes (else a DM
    already shown could stay `sending` and be retried on the next start)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(core.queue.idle.wait(), timeout)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
