"""Slack HTTP mode, attacked with raw HTTP requests against the real `mentorbot run` process.

Nothing of a request that Slack did not sign may reach the log or Bolt's parser: a forged one is
answered 401 (its body, even a megabyte of it or one with a forged log line, stays out of the
log), one too large 413, one signed but unreadable 400, and none of them produces a traceback.
The child logs at INFO, where Bolt used to print a forged request's whole body.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.e2e.process import PROXIES, BotProcess, free_port, port_open, until
from tests.fakes.slack_server import BOT_TOKEN, TEAM_ID, FakeSlack, slack_signature

pytestmark = pytest.mark.slow

SECRET = "e2e-signing-secret"
MARKER = "BODY-MARKER-7f3a"
FORGED_LINE = "2026-11-30 12:00:00,000 ERROR mentorbot.admin: FORGED-LOG-LINE"
START_TIMEOUT = 60.0


def sign(body: bytes, timestamp: str) -> str:
    return slack_signature(SECRET, timestamp, body)


@dataclass
class Answer:
    status: int
    body: bytes


@dataclass
class Bot:
    process: BotProcess
    port: int
    fake: FakeSlack

    async def post(
        self,
        body: bytes,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> Answer:
        """One raw HTTP/1.1 POST to /slack/events; signed correctly unless told otherwise."""
        stamp = str(int(time.time())) if timestamp is None else timestamp
        head = (
            "POST /slack/events HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"X-Slack-Request-Timestamp: {stamp}\r\n"
            f"X-Slack-Signature: {signature or sign(body, stamp)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(head + body)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), 30)
        finally:
            writer.close()
        status_line, _, rest = raw.partition(b"\r\n")
        assert status_line.startswith(b"HTTP/1.1 "), raw[:200]
        return Answer(int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2])

    async def log_shows(self, text: str, count: int = 1, timeout: float = 10.0) -> None:
        """Poll the child's stderr (with a deadline) until `text` is in `count` lines."""
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.process.errors) < count:
            assert time.monotonic() < deadline, f"{text!r} x{count} not logged\n{self.log}"
            await asyncio.sleep(0.02)

    @property
    def log(self) -> str:
        return "\n".join(self.process.errors)


@pytest.fixture
async def bot(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Bot]:
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeSlack()
    await fake.start()
    port = free_port()
    process = BotProcess(
        store_url,
        tmp_path,
        MENTORBOT_LOG_LEVEL="INFO",
        MENTORBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        MENTORBOT_SLACK_SIGNING_SECRET=SECRET,
        MENTORBOT_SLACK_API_URL=fake.api_url,
        MENTORBOT_HTTP_HOST="127.0.0.1",
        MENTORBOT_HTTP_PORT=str(port),
    )
    assert process.process.stdin is not None
    process.process.stdin.close()
    try:
        await until(process, "serving", lambda: port_open(port), timeout=START_TIMEOUT)
        yield Bot(process, port, fake)
    finally:
        await asyncio.to_thread(process.stop)
        await fake.close()


def command(text: str, response_url: str) -> bytes:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": "U0ALICE",
            "user_name": "alice",
            "command": "/mentor",
            "text": text,
            "api_app_id": "A0FAKE",
            "response_url": response_url,
            "trigger_id": "trigger-1",
        }
    ).encode()


async def still_answers(bot: Bot) -> None:
    """A correctly signed `/mentor help` is acked and answered after all the bad requests."""
    ack = await bot.post(command("help", bot.fake.response_url("after")))
    assert ack.status == 200, bot.log
    await bot.fake.wait_posts("after")
    assert bot.process.process.poll() is None


async def test_a_bad_signature_is_401_and_its_body_is_not_logged(bot: Bot) -> None:
    body = command(f"remind in 1 hour {MARKER}", bot.fake.response_url("forged"))

    answer = await bot.post(body, signature="v0=" + "0" * 64)

    assert answer.status == 401
    await still_answers(bot)  # by now the forged request's log lines are written and read
    assert MARKER not in bot.log
    assert bot.fake.posted_to("forged") == []
    await bot.log_shows("refused a Slack request")


async def test_a_body_with_a_newline_cannot_forge_a_log_line(bot: Bot) -> None:
    body = f"token=x&text={MARKER}\n{FORGED_LINE}\n".encode()

    answer = await bot.post(body, signature="v0=" + "1" * 64)

    assert answer.status == 401
    await still_answers(bot)
    assert not any("FORGED-LOG-LINE" in line for line in bot.process.errors), bot.log
    await bot.log_shows("refused a Slack request")


async def test_a_megabyte_body_is_413_and_not_logged(bot: Bot) -> None:
    body = b"text=" + MARKER.encode() + b"x" * 1_000_000

    answer = await bot.post(body, signature="v0=" + "2" * 64)

    assert answer.status == 413
    await bot.log_shows("refused a Slack request")
    assert MARKER not in bot.log
    assert max(len(line) for line in bot.process.errors) < 1000
    await still_answers(bot)


@pytest.mark.parametrize("timestamp", ["soon", "1e9", "-1", "", "99999999999999999999"])
async def test_a_timestamp_that_is_not_a_number_is_401_without_a_traceback(
    bot: Bot, timestamp: str
) -> None:
    body = command("help", bot.fake.response_url("odd"))

    answer = await bot.post(body, timestamp=timestamp, signature=sign(body, timestamp))

    assert answer.status == 401
    await bot.log_shows("refused a Slack request")
    assert "Traceback" not in bot.log
    assert bot.fake.posted_to("odd") == []


async def test_a_malformed_body_is_refused_without_a_traceback(bot: Bot) -> None:
    unsigned = b"payload=%7Bnot+json" + MARKER.encode()
    answer = await bot.post(unsigned, signature="v0=" + "3" * 64)
    assert answer.status == 401  # authenticated first: an unsigned body is never parsed

    for signed, content_type in (
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        (b"[1, 2, 3]", "application/json"),
        (b"\xff\xfe not utf-8", "application/x-www-form-urlencoded"),
        (json.dumps({"type": "event_callback", "event": [1]}).encode()[:-2], "application/json"),
    ):
        answer = await bot.post(signed, content_type=content_type)
        assert answer.status == 400, (signed, answer)

    await bot.log_shows("refused a Slack request", count=5)
    assert "Traceback" not in bot.log
    assert MARKER not in bot.log
    await still_answers(bot)
