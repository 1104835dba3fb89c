"""A fake Slack on loopback: the Web API methods mentorbot calls, `response_url`, Socket Mode.

Files go through Slack's external upload flow as slack_sdk's `files_upload_v2` drives it:
`files.getUploadURLExternal` hands out an upload URL on this server, the bytes are POSTed there,
and `files.completeUploadExternal` shares them in a channel; `shared_files` is what arrived.

The real slack_sdk/slack_bolt clients talk to it over HTTP and a websocket, so tests exercise the
same wire formats as production. Every call is recorded; tests wait for calls with a deadline
(never a sleep) and can inject 429s (with `Retry-After`), 5xx and Slack error codes per method.

Several workspaces (`team`), each with its own bot tokens: the OAuth install (`authorize_url`
plays the member's browser on Slack's authorize page and redirects with a one-time code),
`oauth.v2.access` for a code or a refresh token (with `token_lifetime`, tokens expire and come
with refresh tokens, each refresh token good once), `auth.test` per token, and every Web API
call checked against the token it carries: `invalid_auth` for an unknown one, `token_expired`
and `token_revoked` (`revoke(team)`) as Slack answers them.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import math
import mimetypes
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web

from tests.fakes.discord_ratelimits import GlobalRate

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
TEAM_ID = "T0FAKE"
BOT_USER_ID = "U0BOT"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
APP_ID = "A0FAKE"
RESPOND = "respond"  # the fault key for response_url posts
JSON_FIELDS = ("blocks", "view", "attachments", "metadata", "files")


@dataclass(frozen=True)
class Call:
    """One Web API call as Slack received it."""

    method: str
    params: dict[str, Any]
    token: str | None


@dataclass(frozen=True)
class Posted:
    """One POST to a response_url."""

    name: str
    body: dict[str, Any]


@dataclass
class SlackFile:
    """A file uploaded through the external flow, and where it was shared once completed."""

    file_id: str
    filename: str
    length: int
    data: bytes = b""
    title: str = ""
    channel: str | None = None

    @property
    def mimetype(self) -> str:
        """The type Slack gives the file: from its name, as Slack does."""
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"


@dataclass
class Team:
    """A workspace on the fake: its name and its bot user."""

    team_id: str
    name: str
    bot_user_id: str = BOT_USER_ID


@dataclass
class Token:
    """A token Slack issued: whose, until when (`None`: never expires), and whether revoked."""

    team_id: str
    kind: str = "bot"  # or "refresh"
    expires_at: float | None = None
    revoked: bool = False
    used: bool = False  # a refresh token is good once


@dataclass
class Fault:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None


class FakeSlack:
    """Slack's Web API, response_url and Socket Mode endpoints on 127.0.0.1 (port 0)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.posted: list[Posted] = []
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)  # chat.postMessage
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, SlackFile] = {}
        self.default_tz: str | None = "Europe/Berlin"
        self.socket = FakeSocketMode(self)
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._rate: GlobalRate | None = None
        self.rate_limited = 0  # 429s sent because calls came faster than `limit_rate` allows
        self.accepted: list[Call] = []  # calls answered ok: true
        self.teams: dict[str, Team] = {TEAM_ID: Team(TEAM_ID, "Fake")}
        self.tokens: dict[str, Token] = {BOT_TOKEN: Token(TEAM_ID)}
        self.codes: dict[str, str] = {}  # one-time OAuth code -> team
        self.redirect_url = ""  # the app's configured redirect URL (its manifest's)
        self.token_lifetime: int | None = None  # seconds; None: tokens do not expire

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/link/", self.socket.handle)
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    # -- what tests arrange ----------------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` (or `RESPOND`) fail this way."""
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        for _ in range(times):
            self._faults[method].append(Fault(status, headers, error))

    def limit_rate(self, rate: float) -> None:
        """Allow `rate` Web API calls a second (bursts of one second's worth); above it answer
        429 with `Retry-After` (whole seconds, as Slack does)."""
        self._rate = GlobalRate(rate)

    def user(self, user_id: str, *, tz: str | None = None, **extra: Any) -> None:
        """Give `users.info` a specific profile for `user_id`."""
        self.users[user_id] = _user(user_id, tz, **extra)

    def team(self, team_id: str, name: str = "", *, bot_user_id: str = BOT_USER_ID) -> Team:
        """Another workspace the app can be installed in."""
        self.teams[team_id] = Team(team_id, name or team_id, bot_user_id)
        return self.teams[team_id]

    def revoke(self, team_id: str) -> None:
        """The workspace's admin removed the app: its tokens answer `token_revoked`."""
        for token in self.tokens.values():
            if token.team_id == team_id:
                token.revoked = True

    def expire(self, token: str) -> None:
        """Make an issued token expired now."""
        self.tokens[token].expires_at = time.time() - 1

    def bot_tokens(self, team_id: str) -> list[str]:
        """The bot tokens issued for a workspace, oldest first."""
        return [
            t for t, info in self.tokens.items() if info.team_id == team_id and info.kind == "bot"
        ]

    def issue(self, team_id: str) -> dict[str, Any]:
        """A new bot token (and, when tokens expire, a refresh token) for a workspace."""
        n = next(self._ids)
        token = f"xoxb-{team_id.lower()}-{n:04d}"
        answer: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        self.tokens[token] = Token(team_id)
        if self.token_lifetime is not None:
            refresh = f"xoxe-1-{team_id.lower()}-{n:04d}"
            self.tokens[token].expires_at = time.time() + self.token_lifetime
            self.tokens[refresh] = Token(team_id, kind="refresh")
            answer.update(refresh_token=refresh, expires_in=self.token_lifetime)
        return answer

    # -- what tests observe ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def shared_files(self, channel: str | None = None) -> list[SlackFile]:
        """Files whose upload was completed (in `channel`, if given), in upload order."""
        return [
            f for f in self.files.values() if f.channel is not None and channel in (None, f.channel)
        ]

    def posted_to(self, name: str) -> list[Posted]:
        return [post for post in self.posted if post.name == name]

    async def wait_for(self, ready: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `ready()` holds (re-checked on every recorded call), or fail."""
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    await self._changed.wait_for(ready)
            except TimeoutError:
                raise AssertionError(
                    f"fake Slack: condition not met in {timeout} s; calls: "
                    f"{[c.method for c in self.calls]}, posts: {len(self.posted)}"
                ) from None

    async def wait_calls(self, method: str, count: int = 1) -> list[Call]:
        await self.wait_for(lambda: len(self.calls_to(method)) >= count)
        return self.calls_to(method)

    async def wait_posts(self, name: str, count: int = 1) -> list[Posted]:
        await self.wait_for(lambda: len(self.posted_to(name)) >= count)
        return self.posted_to(name)

    async def notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- HTTP handlers ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):  # oauth.v2.access: the app's client id and secret
            params.update(zip(("client_id", "client_secret"), _basic(auth), strict=False))
            auth = ""
        token = auth.removeprefix("Bearer ") if auth else params.pop("token", None)
        self.calls.append(Call(method, params, token))
        await self.notify()
        wait = self._rate.take() if self._rate is not None else None
        if wait is not None:
            self.rate_limited += 1
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers=headers
            )
        if self._faults[method]:
            fault = self._faults[method].popleft()
            if fault.status != 200:
                return web.json_response(
                    {"ok": False, "error": fault.error or "fault"},
                    status=fault.status,
                    headers=fault.headers,
                )
            return web.json_response({"ok": False, "error": fault.error})
        if method == "oauth.v2.access":
            answer = self._oauth_access(params)
            if answer.get("ok"):
                self.accepted.append(self.calls[-1])
            return web.json_response(answer)
        if method == "apps.connections.open":
            refused = None if token == APP_TOKEN else "invalid_auth"
        else:
            refused = self._refused(token)
        if refused is not None:
            return web.json_response({"ok": False, "error": refused})
        self.accepted.append(self.calls[-1])
        team = self.teams[self.tokens[token].team_id] if token in self.tokens else None
        return web.json_response({"ok": True, **self._answer(method, params, team)})

    def _refused(self, token: str | None) -> str | None:
        """Slack's error for a bot token it will not take, or None."""
        found = self.tokens.get(token or "")
        if found is None or found.kind != "bot":
            return "invalid_auth"
        if found.revoked:
            return "token_revoked"
        if found.expires_at is not None and found.expires_at <= time.time():
            return "token_expired"
        return None

    def _oauth_access(self, params: dict[str, Any]) -> dict[str, Any]:
        """`oauth.v2.access`: a code from the authorize page, or a refresh token, for a token."""
        if (params.get("client_id"), params.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return {"ok": False, "error": "invalid_client_id"}
        if params.get("grant_type") == "refresh_token":
            refresh = self.tokens.get(str(params.get("refresh_token")))
            if refresh is None or refresh.kind != "refresh" or refresh.revoked or refresh.used:
                return {"ok": False, "error": "invalid_refresh_token"}
            refresh.used = True
            team = self.teams[refresh.team_id]
            return {"ok": True, "app_id": APP_ID, **self.issue(team.team_id)}
        team_id = self.codes.pop(str(params.get("code")), None)
        if team_id is None:
            return {"ok": False, "error": "invalid_code"}
        team = self.teams[team_id]
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": "U0INSTALLER"},
            "scope": "commands,chat:write,im:write,users:read",
            "bot_user_id": team.bot_user_id,
            "team": {"id": team.team_id, "name": team.name},
            "enterprise": None,
            "is_enterprise_install": False,
            **self.issue(team.team_id),
        }

    async def _authorize(self, request: web.Request) -> web.Response:
        """Slack's authorize page, approved at once: back to the app with a one-time code."""
        query = request.query
        if query.get("client_id") != CLIENT_ID:
            return web.Response(status=400, text="invalid_client_id")
        team_id = query.get("team") or TEAM_ID
        if team_id not in self.teams:
            return web.Response(status=404, text="unknown team")
        code = f"code-{team_id}-{next(self._ids)}"
        self.codes[code] = team_id
        target = query.get("redirect_uri") or self.redirect_url
        location = f"{target}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return web.Response(status=302, headers={"Location": location})

    def _answer(self, method: str, params: dict[str, Any], team: Team | None) -> dict[str, Any]:
        n = next(self._ids)
        team = team or self.teams[TEAM_ID]
        if method == "auth.test":
            return {
                "url": "https://fake.invalid/",
                "team": team.name,
                "user": "mentorbot",
                "team_id": team.team_id,
                "user_id": team.bot_user_id,
                "bot_id": "B0" + team.team_id,
            }
        if method == "apps.connections.open":
            return {"url": f"ws://127.0.0.1:{self.port}/link/?ticket={n}"}
        if method == "users.info":
            user_id = str(params.get("user"))
            found = self.users.get(user_id) or _user(user_id, self.default_tz)
            return {"user": {**found, "team_id": team.team_id}}
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}
        if method == "chat.postMessage":
            channel, ts = str(params.get("channel")), f"1700000000.{n:06d}"
            message = {"type": "message", "ts": ts, "text": params.get("text") or ""}
            if params.get("metadata"):
                message["metadata"] = params["metadata"]
            self.history[channel].append(message)
            return {"channel": channel, "ts": ts}
        if method == "conversations.history":
            # Newest first; metadata only when asked for, as Slack does.
            limit = int(params.get("limit") or 100)
            found = list(reversed(self.history[str(params.get("channel"))]))[:limit]
            if str(params.get("include_all_metadata")).lower() not in {"true", "1"}:
                found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
            return {"messages": found, "has_more": False}
        if method == "chat.postEphemeral":
            return {"message_ts": f"1700000000.{n:06d}"}
        if method == "chat.update":
            return {"channel": params.get("channel"), "ts": params.get("ts")}
        if method == "chat.getPermalink":
            channel, ts = params.get("channel"), str(params.get("message_ts", ""))
            return {"channel": channel, "permalink": _permalink(channel, ts)}
        if method == "files.getUploadURLExternal":
            file_id = f"F{n:06d}"
            self.files[file_id] = SlackFile(
                file_id, str(params.get("filename")), int(params.get("length", 0))
            )
            return {
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            shared = []
            for entry in params.get("files") or []:
                found = self.files[entry["id"]]
                found.title, found.channel = entry.get("title") or "", params.get("channel_id")
                shared.append(
                    {
                        "id": found.file_id,
                        "name": found.filename,
                        "title": found.title,
                        "mimetype": found.mimetype,
                    }
                )
            return {"files": shared}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            return {"view": {"id": f"V{n:04d}", **(params.get("view") or {})}}
        return {}

    async def _respond(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body = await request.json()
        if self._faults[RESPOND]:
            fault = self._faults[RESPOND].popleft()
            await self.notify()
            return web.Response(status=fault.status, headers=fault.headers, text="fault")
        self.posted.append(Posted(name, body))
        await self.notify()
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """Step two of the external upload: the file's bytes, at the URL step one gave out."""
        found = self.files.get(request.match_info["file_id"])
        if found is None:
            return web.Response(status=404, text="unknown upload")
        found.data = await request.read()
        await self.notify()
        return web.Response(text=f"OK - {len(found.data)}")


class FakeSocketMode:
    """Slack's side of Socket Mode: hello, envelopes with ids, acks, disconnect/reconnect."""

    def __init__(self, slack: FakeSlack) -> None:
        self.slack = slack
        self.connections = 0
        self.acks: dict[str, dict[str, Any]] = {}
        self._ws: web.WebSocketResponse | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._ids = itertools.count(1)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self._sockets.append(ws)
        self.connections += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "connection_info": {"app_id": "A0FAKE"},
                "debug_info": {"host": "fake", "approximate_connection_time": 3600},
            }
        )
        await self.slack.notify()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                if "envelope_id" in data:
                    self.acks[data["envelope_id"]] = data.get("payload") or {}
                    await self.slack.notify()
        return ws

    async def wait_connected(self, count: int = 1) -> None:
        await self.slack.wait_for(lambda: self.connections >= count and self._open())

    def _open(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def send(
        self, kind: str, payload: dict[str, Any], *, envelope_id: str | None = None
    ) -> dict[str, Any]:
        """Send one envelope and return the app's ack payload (`{}` for a bare ack)."""
        envelope_id = envelope_id or f"env-{next(self._ids)}"
        await self.wait_connected()
        assert self._ws is not None
        self.acks.pop(envelope_id, None)  # a re-sent envelope waits for its own ack
        await self._ws.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        await self.slack.wait_for(lambda: envelope_id in self.acks)
        return self.acks[envelope_id]

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours."""
        assert self._ws is not None
        await self._ws.send_json({"type": "disconnect", "reason": reason})

    async def close(self) -> None:
        for ws in self._sockets:
            await ws.close()


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    raw = await request.text()
    if raw:
        if request.content_type == "application/json":
            params.update(json.loads(raw))
        else:
            params.update(parse_qsl(raw, keep_blank_values=True))
    for name in JSON_FIELDS:
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params


def _user(user_id: str, tz: str | None, **extra: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": user_id.lower(),
        "real_name": f"Member {user_id}",
        "is_admin": False,
        "is_owner": False,
        "profile": {"display_name": f"m-{user_id.lower()}"},
    }
    if tz is not None:
        user.update(tz=tz, tz_label=tz, tz_offset=0)
    user.update(extra)
    return user


def _basic(header: str) -> list[str]:
    """The user and password of an HTTP Basic `Authorization` header."""
    return base64.b64decode(header.removeprefix("Basic ")).decode().split(":", 1)


def _permalink(channel: object, ts: str) -> str:
    return f"https://fake.invalid/archives/{channel}/p{ts.replace('.', '')}"
