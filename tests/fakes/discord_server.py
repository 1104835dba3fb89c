"""A fake Discord on 127.0.0.1: REST v10 and the Gateway, for the real discord.py client.

Tests start it on port 0, point discord.py at it (`Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`
or the adapter's settings), inject interactions through the gateway and assert on what the bot
sent. Every REST call is recorded. Faults are injected per route (`fail`), by ratio
(`fault_ratio`), by a global rate the fake allows (`allowed_rate`), by closed DMs (`closed_dms`,
Discord error 50007) and by connections cut after the server did the work (`fail(..., drop=True)`).

Details discord.py depends on: JSON responses carry the content type exactly `application/json`;
a 429 carries a `Via` header and a JSON `retry_after`; interactions carry `attachment_size_limit`;
a second response to one interaction is refused (40060), a late first one too (10062).
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import random
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.fakes import discord_payloads as p
from tests.fakes.discord_gateway import FakeGateway, Session
from tests.fakes.discord_payloads import Json, Member
from tests.fakes.discord_ratelimits import GlobalRate, RouteBuckets

Handler = Callable[[dict[str, str], Any], Awaitable[tuple[int, Any]]]
TOKEN = r"/webhooks/\d+/(?P<token>[^/]+)"
_ANY = re.compile(".*")


@dataclass
class Call:
    """One REST request the client made, and what the fake answered."""

    method: str
    path: str
    query: Mapping[str, str]
    body: Any
    status: int = 0
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Upload:
    """A file the client uploaded (multipart `files[n]`), as Discord stores it."""

    attachment_id: str
    filename: str
    content_type: str  # what Discord reports: derived from the file name, as Discord does
    data: bytes


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: float
    drop: bool
    body: Json | None
    reason: str = "injected"


@dataclass
class InteractionRecord:
    """An injected interaction and everything the bot answered to it."""

    payload: Json
    dispatched_at: float
    callback: Json | None = None
    original: Json | None = None
    followups: list[Json] = field(default_factory=list)
    original_deleted: bool = False

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else int(self.callback["type"])

    @property
    def messages(self) -> list[Json]:
        """Every message the member sees in answer: the original (if any) then followups."""
        shown = [] if self.original is None or self.original_deleted else [self.original]
        return shown + self.followups


@dataclass
class Stats:
    """What the fake did to the client: refusals by reason, dropped answers, nonce replays."""

    requests: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # "429 global", "429 route", ...
    dropped: int = 0
    nonce_replays: int = 0


def _message_part(body: Json) -> Json:
    """The message in a request body: an interaction callback wraps it in `data`."""
    data = body.get("data")
    return data if "type" in body and isinstance(data, dict) else body


class FakeDiscord:
    """REST + Gateway on one loopback port; see the module docstring."""

    def __init__(self, *, token: str = "fake-bot-token", seed: int = 0) -> None:
        self.token = token
        self.ids = p.Snowflakes()
        self.application_id = self.ids()
        self.bot = p.user_payload(self.application_id, "mentorbot", bot=True)
        self.owner_id = self.ids()  # the application's owner: the bot's admin
        self.guild_id = self.ids()
        self.channel_id = self.ids()
        self.calls: list[Call] = []
        self.commands: dict[str | None, list[Json]] = {}
        self.channel_messages: dict[str, list[Json]] = {}
        self.dm_channels: dict[str, str] = {}
        self._recipients: dict[str, str] = {}  # dm_channels the other way round
        self.closed_dms: set[str] = set()
        self.interactions: dict[str, InteractionRecord] = {}
        self.uploads: dict[str, Upload] = {}
        self.interaction_window = 3.0
        self.nonce_check = True  # off: a repeated nonce posts again (proves our own lookup)
        self.allowed_rate: float | None = None
        self.stats = Stats()
        self.gateway = FakeGateway(self._ready_payload, self._notify)
        self._faults: list[Fault] = []
        self._ratio = (0.0, 0.0, 0.05)
        self._ratio_pattern = re.compile(".*")
        self._random = random.Random(seed)
        self._global: GlobalRate | None = None
        self.buckets = RouteBuckets()
        self._waiters: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        routes: list[tuple[str, str, Handler]] = [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/gateway(/bot)?", self._get_gateway),
            ("PUT", r"/applications/\d+(/guilds/(?P<guild>\d+))?/commands", self._put_commands),
            ("GET", r"/applications/\d+(/guilds/(?P<guild>\d+))?/commands", self._get_commands),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._create_message),
            ("GET", r"/channels/(?P<channel>\d+)/messages", self._list_messages),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("GET", TOKEN + r"/messages/@original", self._get_original),
            ("PATCH", TOKEN + r"/messages/(?P<message>[^/]+)", self._edit_message),
            ("DELETE", TOKEN + r"/messages/@original", self._delete_original),
            ("POST", TOKEN, self._followup),
        ]
        self._routes = [(method, re.compile(path), handler) for method, path, handler in routes]

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- waiting without sleeping ------------------------------------------------------------

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait_until(
        self, predicate: Callable[[], object], timeout: float = 5.0, poll: float = 0.02
    ) -> None:
        """Return once `predicate()` holds: re-checked whenever the fake sees traffic, and every
        `poll` seconds for conditions outside it; fails after `timeout`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"fake Discord: condition not met within {timeout}s")
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, min(remaining, poll))
            except TimeoutError:
                continue

    # -- fault injection ---------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float = 0.01,
        drop: bool = False,
        body: Json | None = None,
    ) -> None:
        """Answer the next `times` matching requests with `status` (or cut them after the work)."""
        self._faults.append(Fault(method, re.compile(path), status, times, retry_after, drop, body))

    def fault_ratio(
        self,
        *,
        rate_limited: float = 0.0,
        server_error: float = 0.0,
        retry_after: float = 0.05,
        path: str = ".*",
    ) -> None:
        """Answer a random share of matching requests 429 / 500 (seeded, so runs repeat)."""
        self._ratio = (rate_limited, server_error, retry_after)
        self._ratio_pattern = re.compile(path)

    def _fault_for(self, method: str, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.pattern.fullmatch(path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        if self.allowed_rate is not None:
            if self._global is None or self._global.rate != self.allowed_rate:
                self._global = GlobalRate(self.allowed_rate)
            wait = self._global.take()
            if wait is not None:
                body = {"message": "You are being rate limited.", "retry_after": wait}
                return Fault(method, _ANY, 429, 1, wait, False, body | {"global": True}, "global")
        rate_limited, server_error, retry_after = self._ratio
        if (rate_limited or server_error) and self._ratio_pattern.fullmatch(path):
            draw = self._random.random()
            if draw < rate_limited:
                return Fault(method, _ANY, 429, 1, retry_after, False, None)
            if draw < rate_limited + server_error:
                return Fault(method, _ANY, 500, 1, 0.0, False, None)
        return None

    # -- REST plumbing -----------------------------------------------------------------------

    @staticmethod
    def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.Response(
            status=status,
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._read_body(request)
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        self.stats.requests += 1
        try:
            response = await self._answer(request, path, body, call)
        finally:
            self._notify()
        return response

    async def _answer(
        self, request: web.Request, path: str, body: Any, call: Call
    ) -> web.StreamResponse:
        public = path.startswith(("/interactions/", "/webhooks/"))
        if not public and request.headers.get("Authorization") != f"Bot {self.token}":
            call.status = 401
            return self._json(401, {"message": "401: Unauthorized", "code": 0})
        fault = self._fault_for(request.method, path)
        if fault is not None and not fault.drop:
            call.status = fault.status
            self.stats.refused[f"{fault.status} {fault.reason}"] += 1
            if fault.status == 429:
                payload = fault.body or {
                    "message": "You are being rate limited.",
                    "retry_after": fault.retry_after,
                    "global": False,
                }
                headers = {"Via": "1.1 google", "Retry-After": str(fault.retry_after)}
                return self._json(429, payload, headers)
            return self._json(fault.status, fault.body or {"message": "fault", "code": 0})
        headers, wait = self.buckets.take(request.method, path)
        if wait is not None and fault is None:
            call.status = 429
            self.stats.refused["429 route"] += 1
            body = {"message": "You are being rate limited.", "retry_after": wait, "global": False}
            headers |= {"Via": "1.1 google", "X-RateLimit-Scope": "user"}
            return self._json(429, body, headers)
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if method == request.method and match:
                params = {k: v for k, v in match.groupdict().items() if v is not None}
                call.status, result = await handler(params, body)
                break
        else:
            call.status, result = 404, {"message": "404: Not Found", "code": 0}
        if fault is not None:  # a cut connection: the work is done, the answer is lost
            self.stats.dropped += 1
            assert request.transport is not None
            request.transport.abort()
            raise ConnectionResetError("dropped by the fake")
        return self._json(call.status, result, headers)

    async def _read_body(self, request: web.Request) -> Any:
        """The JSON body; a multipart body's `files[n]` become the message's `attachments`."""
        if not request.can_read_body:
            return None
        if not request.content_type.startswith("multipart/"):
            text = await request.text()
            body = json.loads(text) if text else None
            if isinstance(body, dict):
                _message_part(body).pop("attachments", None)  # only uploads make attachments
            return body
        form = await request.post()
        raw = form.get("payload_json")
        body = json.loads(str(raw)) if raw is not None else {}
        attachments = []
        for name, part in form.items():
            if not name.startswith("files[") or not isinstance(part, web.FileField):
                continue
            upload = Upload(
                self.ids(),
                part.filename,
                mimetypes.guess_type(part.filename)[0] or "application/octet-stream",
                part.file.read(),
            )
            self.uploads[upload.attachment_id] = upload
            attachments.append(self._attachment_payload(upload))
        _message_part(body)["attachments"] = attachments
        return body

    def _attachment_payload(self, upload: Upload) -> Json:
        url = f"{self.api_base}/attachments/{upload.attachment_id}/{upload.filename}"
        return {
            "id": upload.attachment_id,
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
        }

    # -- REST handlers -----------------------------------------------------------------------

    async def _get_me(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, self.bot

    async def _get_application(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        owner = p.user_payload(self.owner_id, "owner")
        return 200, {
            "id": self.application_id,
            "name": "mentorbot",
            "description": "",
            "icon": None,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": owner,
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "interactions_endpoint_url": None,
            "summary": "",
        }

    async def _get_gateway(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _put_commands(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        guild = params.get("guild")
        stored = []
        for command in body:
            entry: Json = {"description": "", "options": [], "default_member_permissions": None}
            entry |= command | {"id": self.ids(), "application_id": self.application_id}
            entry["version"] = "1"
            if guild is not None:
                entry["guild_id"] = guild
            stored.append(entry)
        self.commands[guild] = stored
        return 200, stored

    async def _get_commands(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, self.commands.get(params.get("guild"), [])

    async def _create_dm(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        user_id = str(body["recipient_id"])
        channel_id = self._open_dm(user_id)
        recipient = p.user_payload(user_id, f"member-{user_id}")
        return 200, p.dm_channel_payload(channel_id, recipient)

    def _open_dm(self, user_id: str) -> str:
        channel_id = self.dm_channels.setdefault(user_id, self.ids())
        self._recipients[channel_id] = user_id
        return channel_id

    def _dm_recipient(self, channel_id: str) -> str | None:
        """Whose DM channel this is (None: a guild channel). Indexed: the fan-out bench sends
        20,000 messages into 10,000 DM channels in the bot's own process, where a scan of every
        channel per message took CPU from the bot."""
        if len(self._recipients) != len(self.dm_channels):
            self._recipients = {c: u for u, c in self.dm_channels.items()}
        return self._recipients.get(channel_id)

    async def _create_message(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        channel_id = params["channel"]
        recipient = self._dm_recipient(channel_id)
        if recipient in self.closed_dms:
            return 403, {"message": "Cannot send messages to this user", "code": 50007}
        messages = self.channel_messages.setdefault(channel_id, [])
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce") and self.nonce_check:
            for message in messages:
                if message.get("nonce") == nonce:
                    self.stats.nonce_replays += 1
                    return 200, message
        guild = None if recipient is not None else self.guild_id
        message = p.message_payload(self.ids(), channel_id, self.bot, body, guild_id=guild)
        messages.append(message)
        return 200, message

    async def _list_messages(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        """Recent messages, newest first (nonces included: Discord keeps them for minutes)."""
        messages = self.channel_messages.get(params["channel"], [])
        limit = int(params.get("limit") or 50)
        return 200, list(reversed(messages))[:limit]

    def _record(self, token: str) -> InteractionRecord | None:
        return self.interactions.get(token)

    async def _callback(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        record = self._record(params["token"])
        if record is None or record.payload["id"] != params["id"]:
            return 404, {"message": "Unknown interaction", "code": 10062}
        if record.callback is not None:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        if asyncio.get_running_loop().time() - record.dispatched_at > self.interaction_window:
            return 404, {"message": "Unknown interaction", "code": 10062}
        record.callback = body
        kind, data = body["type"], body.get("data") or {}
        result: Json = {"interaction": {"id": record.payload["id"], "type": record.payload["type"]}}
        if kind in (p.CHANNEL_MESSAGE, p.DEFERRED_MESSAGE):
            flags = p.LOADING if kind == p.DEFERRED_MESSAGE else 0
            record.original = self._interaction_message(record, data, flags)
        elif kind in (p.DEFERRED_UPDATE, p.UPDATE_MESSAGE):
            record.original = record.payload.get("message")
            if kind == p.UPDATE_MESSAGE and record.original is not None:
                record.original.update(self._edit_fields(data))
        if record.original is not None and kind != p.DEFERRED_UPDATE:
            result["interaction"].update(
                response_message_id=record.original["id"],
                response_message_loading=kind == p.DEFERRED_MESSAGE,
                response_message_ephemeral=bool(record.original["flags"] & p.EPHEMERAL),
            )
            result["resource"] = {"type": kind, "message": record.original}
        return 200, result

    def _interaction_message(self, record: InteractionRecord, body: Json, flags: int) -> Json:
        channel_id = str(record.payload["channel_id"])
        message = p.message_payload(
            self.ids(),
            channel_id,
            self.bot,
            body,
            guild_id=record.payload.get("guild_id"),
            flags=flags,
            interaction_id=str(record.payload["id"]),
        )
        self.channel_messages.setdefault(channel_id, []).append(message)
        return message

    @staticmethod
    def _edit_fields(body: Json) -> Json:
        empty: Json = {"content": "", "embeds": [], "components": [], "attachments": []}
        return {k: (body[k] if body[k] is not None else empty[k]) for k in empty if k in body}

    async def _get_original(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        record = self._record(params["token"])
        if record is None or record.original is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, record.original

    async def _edit_message(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        record = self._record(params["token"])
        if record is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        if params["message"] == "@original":
            target = record.original
        else:
            target = next((m for m in record.followups if m["id"] == params["message"]), None)
        if target is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        target.update(self._edit_fields(body))
        target["flags"] = int(target.get("flags", 0)) & ~p.LOADING
        target["edited_timestamp"] = p.now_iso()
        return 200, target

    async def _delete_original(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        record = self._record(params["token"])
        if record is None or record.original is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        record.original_deleted = True
        return 204, None

    async def _followup(self, params: dict[str, str], body: Any) -> tuple[int, Any]:
        record = self._record(params["token"])
        if record is None or record.callback is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        message = self._interaction_message(record, body, 0)
        record.followups.append(message)
        return 200, message

    # -- gateway side ------------------------------------------------------------------------

    def _ready_payload(self, session: Session) -> Json:
        return {
            "v": 10,
            "user": self.bot,
            "guilds": [],
            "session_id": session.session_id,
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway/resume",
            "shard": list(session.shard),
            "application": {"id": self.application_id, "flags": 0},
        }

    # -- what tests call ---------------------------------------------------------------------

    def command(self, name: str, *, guild_id: str | None = None, kind: int = 1) -> Json:
        """A synced command (guild commands first, as Discord shows them), or AssertionError."""
        for scope in ([guild_id] if guild_id in self.commands else []) + [None]:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == kind:
                    return command
        raise AssertionError(f"command {name!r} (type {kind}) was not synced")

    def dm_channel(self, user_id: str) -> str:
        return self._open_dm(user_id)

    def dms(self, user_id: str) -> list[Json]:
        """Messages the bot posted (REST, not interaction answers) in `user_id`'s DM channel."""
        channel = self.dm_channels.get(user_id)
        messages = [] if channel is None else self.channel_messages.get(channel, [])
        return [message for message in messages if message["type"] == 0]

    def files_of(self, message: Json) -> list[Upload]:
        """The uploads attached to a message the bot sent (name, type and bytes)."""
        return [self.uploads[str(a["id"])] for a in message.get("attachments") or []]

    def calls_to(self, method: str, path: str) -> list[Call]:
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path)]

    async def interact(
        self,
        kind: int,
        data: Json,
        member: Member,
        *,
        guild_id: str | None = None,
        in_dm: bool = False,
        message: Json | None = None,
    ) -> InteractionRecord:
        """Dispatch INTERACTION_CREATE (in the default guild unless `in_dm`)."""
        guild = None if in_dm else (guild_id or self.guild_id)
        channel = self.dm_channel(member.id) if in_dm else self.channel_id
        if message is not None:
            channel = str(message["channel_id"])
        payload = p.interaction_payload(
            interaction_id=self.ids(),
            application_id=self.application_id,
            kind=kind,
            data=data,
            member=member,
            channel_id=channel,
            guild_id=guild,
            message=message,
        )
        record = InteractionRecord(payload, asyncio.get_running_loop().time())
        self.interactions[record.token] = record
        await self.gateway.dispatch("INTERACTION_CREATE", payload, guild_id=guild)
        return record

    async def answered(self, record: InteractionRecord, timeout: float = 5.0) -> Json:
        """Wait for the bot's first response to `record`; returns the callback body."""
        await self.wait_until(lambda: record.callback is not None, timeout)
        assert record.callback is not None
        return record.callback
