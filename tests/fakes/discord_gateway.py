"""The Gateway half of the fake Discord: HELLO, IDENTIFY/READY, RESUME, heartbeats, dispatches.

Speaks what discord.py asks for in the URL: `compress=zlib-stream` (one zlib stream per
connection, every message flushed with Z_SYNC_FLUSH), `zstd-stream` when a zstd module is there
to compress with, or plain text frames. Sessions outlive connections so that a client that
RESUMEs gets every event it missed, in order.
"""

from __future__ import annotations

import asyncio
import json
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import WSMsgType, web

from tests.fakes.discord_payloads import Json

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0,
    1,
    2,
    6,
    7,
    9,
    10,
    11,
)
HEARTBEAT_INTERVAL_MS = 41_250


class _Compressor(Protocol):
    def __call__(self, data: bytes) -> bytes: ...


def _compressor(kind: str | None) -> _Compressor | None:
    if kind is None:
        return None
    if kind == "zlib-stream":
        stream = zlib.compressobj()
        return lambda data: stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)
    if kind == "zstd-stream":  # what discord.py asks for when it can import a zstd module
        return _zstd()
    raise web.HTTPBadRequest(text=f"unknown compression {kind!r}")


def _zstd() -> _Compressor:
    """One zstd stream, each message flushed as a block (`zstandard`, or Python 3.14's own)."""
    try:
        import zstandard  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        try:
            from compression import zstd  # type: ignore[import-not-found, unused-ignore]
        except ImportError as exc:
            raise web.HTTPBadRequest(text="zstd-stream but no zstd module here") from exc
        stream = zstd.ZstdCompressor()
        block = zstd.ZstdCompressor.FLUSH_BLOCK
        return lambda data: bytes(stream.compress(data, mode=block))
    zstd_stream = zstandard.ZstdCompressor().compressobj()
    flush_block = zstandard.COMPRESSOBJ_FLUSH_BLOCK
    return lambda data: bytes(zstd_stream.compress(data) + zstd_stream.flush(flush_block))


@dataclass
class Connection:
    """One websocket: its own compression stream, as on Discord."""

    ws: web.WebSocketResponse
    compress: _Compressor | None
    path: str

    async def send(self, message: Json) -> None:
        text = json.dumps(message)
        if self.compress is None:
            await self.ws.send_str(text)
        else:
            await self.ws.send_bytes(self.compress(text.encode()))


@dataclass
class Session:
    """A gateway session (one shard): the events sent so far, for RESUME."""

    session_id: str
    shard: tuple[int, int]
    seq: int = 0
    sent: list[Json] = field(default_factory=list)
    connection: Connection | None = None

    async def dispatch(self, event: str, data: Any) -> None:
        self.seq += 1
        message = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(message)
        if self.connection is not None and not self.connection.ws.closed:
            try:
                await self.connection.send(message)
            except ConnectionError:
                self.connection = None  # buffered; the client gets it on RESUME


class FakeGateway:
    """Accepts discord.py's websocket and keeps one session per shard."""

    def __init__(self, ready: Callable[[Session], Json], notify: Callable[[], None]) -> None:
        self._ready = ready
        self._notify = notify
        self.sessions: dict[int, Session] = {}
        self.identifies: list[Json] = []
        self.resumes: list[Json] = []
        self.connection_paths: list[str] = []
        self.compression: list[str | None] = []
        self.resumes_allowed = asyncio.Event()  # clear it to hold RESUMEs (events buffer up)
        self.resumes_allowed.set()

    def shard_for(self, guild_id: str | None) -> int:
        """Discord's rule: (guild_id >> 22) % shard_count; DMs go to shard 0."""
        if guild_id is None or not self.sessions:
            return 0
        count = next(iter(self.sessions.values())).shard[1]
        return (int(guild_id) >> 22) % count

    async def dispatch(self, event: str, data: Any, *, guild_id: str | None = None) -> None:
        shard = self.shard_for(guild_id)
        session = self.sessions.get(shard)
        if session is None:
            raise AssertionError(f"no gateway session for shard {shard}: is the client connected?")
        await session.dispatch(event, data)
        self._notify()

    async def reconnect(self, shard: int = 0) -> None:
        """Ask the client to reconnect (op 7); it should RESUME at resume_gateway_url."""
        connection = self.sessions[shard].connection
        assert connection is not None
        await connection.send({"op": RECONNECT, "d": None})

    async def drop(self, shard: int = 0) -> None:
        """Cut the connection as a network fault would; the session stays resumable."""
        session = self.sessions[shard]
        connection, session.connection = session.connection, None
        if connection is not None:
            await connection.ws.close(code=4000, message=b"dropped by the test")
        self._notify()

    def is_connected(self, shard: int = 0) -> bool:
        session = self.sessions.get(shard)
        return bool(session and session.connection and not session.connection.ws.closed)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        kind = request.query.get("compress")
        connection = Connection(ws, _compressor(kind), request.path)
        self.connection_paths.append(request.path)
        self.compression.append(kind)
        await connection.send({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            await self._on_message(connection, payload)
        for session in self.sessions.values():
            if session.connection is connection:
                session.connection = None
        self._notify()
        return ws

    async def _on_message(self, connection: Connection, payload: Json) -> None:
        op = payload.get("op")
        if op == HEARTBEAT:
            await connection.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(connection, payload["d"])
        elif op == RESUME:
            await self._resume(connection, payload["d"])
        self._notify()

    async def _identify(self, connection: Connection, data: Json) -> None:
        self.identifies.append(data)
        shard_id, count = data.get("shard") or (0, 1)
        session = Session(uuid.uuid4().hex, (shard_id, count), connection=connection)
        self.sessions[shard_id] = session
        await session.dispatch("READY", self._ready(session))

    async def _resume(self, connection: Connection, data: Json) -> None:
        self.resumes.append(data)
        await self.resumes_allowed.wait()
        session = next(
            (s for s in self.sessions.values() if s.session_id == data.get("session_id")), None
        )
        if session is None:
            await connection.send({"op": INVALID_SESSION, "d": False})
            return
        session.connection = connection
        for message in session.sent:
            if message["s"] > (data.get("seq") or 0):
                await connection.send(message)
        await session.dispatch("RESUMED", {})
