"""Operations endpoints: `/healthz`, `/readyz`, `/metrics`, whenever MENTORBOT_HTTP_PORT is set.

Served by a small asyncio HTTP/1.1 server (GET only, no dependency), so the console adapter
alone has them too; in Slack HTTP mode the same handlers are mounted next to `/slack/events` on
Slack's server, which owns the port then.

- `/healthz`: 200 while the process runs (a liveness probe).
- `/readyz`: 200 when the database answers and every configured platform is connected, else 503
  with what is missing (a load balancer's readiness probe; a rolling restart waits for it).
- `/metrics`: Prometheus text format (bot/metrics.py), the queue depth read at scrape time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from bot import metrics
from bot.app import Core

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

READ_LIMIT = 8192
DB_TIMEOUT = 2.0


@dataclass
class Ops:
    """What the endpoints report on: the core, the platforms it should be connected to."""

    core: Core
    platforms: Collection[str]

    async def answer(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for one GET."""
        if path == "/healthz":
            return 200, "text/plain; charset=utf-8", b"ok\n"
        if path == "/readyz":
            problems = await self.problems()
            body = json.dumps({"ready": not problems, "problems": problems}).encode() + b"\n"
            return (503 if problems else 200), "application/json", body
        if path == "/metrics":
            with contextlib.suppress(Exception):  # a database hiccup must not hide the rest
                metrics.QUEUE_DEPTH.set(await asyncio.wait_for(self.core.queue.depth(), DB_TIMEOUT))
            metrics.CALENDAR_LEADER.set(1 if self.core.calendar.leading else 0)
            return 200, metrics.CONTENT_TYPE, metrics.exposition()
        return 404, "text/plain; charset=utf-8", b"not found\n"

    async def problems(self) -> list[str]:
        """Why this process should not get traffic now (empty: ready)."""
        found: list[str] = []
        try:
            async with asyncio.timeout(DB_TIMEOUT), self.core.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:
            found.append(f"database: {type(error).__name__}")
        for platform in self.platforms:
            if platform not in self.core.messengers:
                found.append(f"{platform}: not connected")
                continue
            check: Callable[[], bool] | None = getattr(
                self.core.messengers[platform], "connected", None
            )
            if check is not None and not check():
                found.append(f"{platform}: not connected")
        if self.core.queue.stopping:
            found.append("shutting down")
        return found


class OpsServer:
    """The endpoints on their own port (when no Slack HTTP server owns it)."""

    def __init__(self, ops: Ops, host: str, port: int) -> None:
        self.ops = ops
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info(
            "operations endpoints on %s:%d (/healthz, /readyz, /metrics)", self.host, self.port
        )
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5.0)
            method, _, rest = head[:READ_LIMIT].decode("latin-1").partition(" ")
            path = rest.partition(" ")[0].partition("?")[0]
            if method not in {"GET", "HEAD"}:
                status, kind, body = 405, "text/plain; charset=utf-8", b"GET only\n"
            else:
                status, kind, body = await self.ops.answer(path)
            reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}.get(
                status, "Service Unavailable"
            )
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + (b"" if method == "HEAD" else body)
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        except Exception:
            log.exception("operations endpoint failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def aiohttp_routes(ops: Ops) -> list[web.RouteDef]:
    """The same endpoints as aiohttp routes, for the Slack HTTP server's port."""
    from aiohttp import web  # only with the Slack extra, which brings aiohttp

    async def handle(request: web.Request) -> web.Response:
        status, kind, body = await ops.answer(request.path)
        return web.Response(status=status, body=body, headers={"Content-Type": kind})

    return [web.get(path, handle) for path in ("/healthz", "/readyz", "/metrics")]
