"""The real `mentorbot run` on Slack, as a child process, against the fake Slack on loopback.

The fake runs in the test's event loop, so every wait here is async with a deadline: the child
talks to the fake while the test waits, and nothing sleeps for a fixed time.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

import pytest

from adapters.slack.setup import SlackRuntime
from tests.adapters.slack.conftest import MEMBER, SIGNING_SECRET, SlackDriver, all_text
from tests.e2e.process import BotProcess
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, FakeSlack

pytestmark = pytest.mark.slow

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
START_TIMEOUT = 60.0  # a cold child imports slack_bolt and migrates a fresh database
DM_TIMEOUT = 30.0


class ChildRuntime:
    """What `SlackDriver` needs of a runtime when the app runs in another process.

    There is no in-process app to wait on, so `idle()` returns at once: the test waits for what
    reaches the fake instead.
    """

    def __init__(self, http_port: int | None) -> None:
        self.http_port = http_port
        self.app = self
        self.socket = None

    async def idle(self) -> None:
        return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def diagnostics(bot: BotProcess) -> str:
    return "stdout:\n" + "\n".join(bot.lines) + "\nstderr:\n" + "\n".join(bot.errors)


async def wait_for_port(bot: BotProcess, port: int, timeout: float = START_TIMEOUT) -> None:
    """Poll (with a deadline) until the child accepts connections on `port`."""
    deadline = time.monotonic() + timeout
    while True:
        assert bot.process.poll() is None, "mentorbot exited early\n" + diagnostics(bot)
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            assert time.monotonic() < deadline, f"port {port} never opened\n" + diagnostics(bot)
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return


async def wait_for_fake(
    fake: FakeSlack, bot: BotProcess, ready: Callable[[], bool], what: str, timeout: float
) -> None:
    try:
        await fake.wait_for(ready, timeout=timeout)
    except AssertionError as error:
        raise AssertionError(f"{what}: {error}\n" + diagnostics(bot)) from None


def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """`BotProcess` copies os.environ: drop proxies so the child only talks to 127.0.0.1."""
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@asynccontextmanager
async def mentorbot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str
) -> AsyncIterator[BotProcess]:
    """Start `python -m adapters run`; on exit terminate it and close its pipes."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    no_proxies(monkeypatch)
    bot = BotProcess(url, tmp_path, **env)
    # If the console started by mistake, it would echo this line and then, at end of input
    # with nothing due, exit: both are checked below.
    bot.type("/help")
    assert bot.process.stdin is not None
    bot.process.stdin.close()
    try:
        yield bot
    finally:
        if bot.process.poll() is None:
            bot.process.terminate()
            try:
                await asyncio.to_thread(bot.process.wait, 10)
            except subprocess.TimeoutExpired:
                bot.process.kill()
                await asyncio.to_thread(bot.process.wait, 10)
        bot._close()


async def remind_and_receive(driver: SlackDriver, bot: BotProcess) -> None:
    """`/mentor remind in 1 second stretch`: acked, confirmed, then delivered as a DM."""
    fake = driver.fake
    exchange = await driver.command("remind in 1 second stretch")

    assert exchange.ack.status == 200, diagnostics(bot)
    name = exchange.response_name
    assert name is not None
    await wait_for_fake(
        fake, bot, lambda: bool(fake.posted_to(name)), "no confirmation", timeout=DM_TIMEOUT
    )
    confirmation = "\n".join(all_text(post.body) for post in fake.posted_to(name))
    assert "I'll remind you" in confirmation and "stretch" in confirmation, confirmation

    def delivered() -> bool:
        return any("stretch" in all_text(call.params) for call in fake.calls_to("chat.postMessage"))

    await wait_for_fake(fake, bot, delivered, "no reminder DM", timeout=DM_TIMEOUT)
    opened = fake.calls_to("conversations.open")
    assert [call.params["users"] for call in opened] == [MEMBER]
    [dm] = [c.params for c in fake.calls_to("chat.postMessage") if "stretch" in all_text(c.params)]
    assert dm["channel"] == f"D{MEMBER}"
    assert "*Reminder:* stretch" in all_text(dm)
    web_api = [call for call in fake.calls if call.method != "apps.connections.open"]
    assert all(call.token == BOT_TOKEN for call in web_api)

    # Still serving, and the console never started (no echo of the typed line, no exit at EOF).
    assert bot.process.poll() is None, diagnostics(bot)
    assert not any("/help" in line for line in bot.lines), diagnostics(bot)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


async def test_http_mode_reminder_round_trip(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    async with mentorbot(
        tmp_path, monkeypatch,
        MENTORBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        MENTORBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        MENTORBOT_SLACK_API_URL=fake.api_url,
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_HTTP_PORT=str(port),
    ) as bot:
        await wait_for_port(bot, port)
        driver = SlackDriver("http", fake, cast(SlackRuntime, ChildRuntime(port)))
        await remind_and_receive(driver, bot)
    assert fake.calls_to("apps.connections.open") == []


async def test_socket_mode_reminder_round_trip(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with mentorbot(
        tmp_path, monkeypatch,
        MENTORBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        MENTORBOT_SLACK_APP_TOKEN=APP_TOKEN,
        MENTORBOT_SLACK_API_URL=fake.api_url,
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_HTTP_PORT=str(free_port()),
    ) as bot:
        await wait_for_fake(
            fake, bot, lambda: fake.socket.connections >= 1, "never connected",
            timeout=START_TIMEOUT,
        )
        await fake.socket.wait_connected()
        opened = fake.calls_to("apps.connections.open")
        assert [call.token for call in opened] == [APP_TOKEN]
        driver = SlackDriver("socket", fake, cast(SlackRuntime, ChildRuntime(None)))
        await remind_and_receive(driver, bot)
