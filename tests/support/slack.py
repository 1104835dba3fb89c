"""Driving a Slack app the way Slack does: signed HTTP requests or Socket Mode envelopes.

`SlackDriver` plays Slack's part against the real Bolt app, in this process (`running`, which
waits for each request's work to finish) or in a child `mentorbot run` (`tests/e2e`, which waits
for what reaches the fake instead), so tests read like a conversation and never sleep.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from adapters.slack.messenger import RetryPolicy
from adapters.slack.setup import SlackRuntime, slack_running
from tests.conftest import make_settings
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, TEAM_ID, FakeSlack

SIGNING_SECRET = "test-signing-secret"
FAST = RetryPolicy(retries=2, max_wait=1.0, backoff=0.0, timeout=5)
MEMBER = "U0ALICE"
CHANNEL = "C0GENERAL"


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's request signature: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Ack:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


@dataclass
class Exchange:
    """One request as Slack sent it, the app's ack, and what was posted to its response_url."""

    ack: Ack
    response_name: str | None
    fake: FakeSlack

    @property
    def posts(self) -> list[dict[str, Any]]:
        if self.response_name is None:
            return []
        return [post.body for post in self.fake.posted_to(self.response_name)]

    @property
    def text(self) -> str:
        return "\n".join(all_text(post) for post in self.posts)


def all_text(node: object) -> str:
    """Every mrkdwn/plain_text string in a message, view or block list, joined."""
    found: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, dict):
            if item.get("type") in ("mrkdwn", "plain_text") and "text" in item:
                found.append(str(item["text"]))
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(node.get("blocks", node) if isinstance(node, dict) else node)
    return "\n".join(found)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") == "button"
    ]


def button(message: dict[str, Any], action: str, nth: int = 0) -> dict[str, Any]:
    found = [b for b in buttons(message) if b["action_id"].split("~")[0] == action]
    assert len(found) > nth, f"no {action} button in {[b['action_id'] for b in buttons(message)]}"
    return found[nth]


class SlackDriver:
    """Plays Slack's part: sends commands, shortcuts, clicks, submissions and events.

    With the in-process `runtime`, each request also waits until the app's work for it is done;
    an app in another process is reached on `http_port` (HTTP mode) or through the fake's socket.
    """

    def __init__(
        self,
        mode: str,
        fake: FakeSlack,
        runtime: SlackRuntime | None = None,
        *,
        http_port: int | None = None,
    ) -> None:
        self.mode = mode
        self.fake = fake
        self.runtime = runtime
        self.http_port = runtime.http_port if runtime is not None else http_port
        self._ids = itertools.count(1)

    async def settled(self) -> None:
        """The in-process app finished the work of every request so far (nothing to wait on
        for a child process: wait for what reaches the fake)."""
        if self.runtime is not None:
            await self.runtime.app.idle()

    # -- transport -------------------------------------------------------------------------------

    async def send(self, kind: str, payload: dict[str, Any], *, wait: bool = True) -> Ack:
        """Deliver one request the way the mode does; with `wait`, also wait for its work."""
        if self.mode == "http":
            ack = await self.post(encode(kind, payload), wait=wait)
        else:
            envelope = {
                "command": "slash_commands",
                "interactive": "interactive",
                "event": "events_api",
            }[kind]
            ack = Ack(200, await self.fake.socket.send(envelope, payload))
        if wait:
            await self.settled()
        return ack

    async def twice(self, kind: str, payload: dict[str, Any]) -> list[Ack]:
        """Send byte-for-byte the same request twice, as a replaying attacker (or a retry) does."""
        if self.mode == "http":
            raw, stamp = encode(kind, payload), int(time.time())
            return [await self.post(raw, timestamp=stamp) for _ in range(2)]
        envelope = {
            "command": "slash_commands",
            "interactive": "interactive",
            "event": "events_api",
        }[kind]
        acks = []
        for _ in range(2):
            sent = await self.fake.socket.send(envelope, payload, envelope_id="env-replayed")
            await self.settled()
            acks.append(Ack(200, sent))
        return acks

    async def post(
        self,
        raw: tuple[str, str],
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        wait: bool = True,
    ) -> Ack:
        body, content_type = raw
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": signature or sign(body, stamp),
        }
        url = f"http://127.0.0.1:{self.http_port}/slack/events"
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body.encode(), headers=headers) as answer,
        ):
            text = await answer.text()
            parsed = json.loads(text) if text.startswith("{") else {}
            ack = Ack(answer.status, parsed)
        if wait:
            await self.settled()
        return ack

    def new_name(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    # -- what members do -------------------------------------------------------------------------

    async def command(
        self, text: str, *, user: str = MEMBER, channel: str = CHANNEL, team: str = TEAM_ID
    ) -> Exchange:
        payload = self.command_payload(text, user=user, channel=channel, team=team)
        ack = await self.send("command", payload)
        return Exchange(ack, payload["response_url"].rsplit("/", 1)[1], self.fake)

    def command_payload(
        self, text: str, *, user: str = MEMBER, channel: str = CHANNEL, team: str = TEAM_ID
    ) -> dict[str, Any]:
        name = self.new_name("cmd")
        return {
            "token": "legacy",
            "team_id": team,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/mentor",
            "text": text,
            "api_app_id": "A0FAKE",
            "response_url": self.fake.response_url(name),
            "trigger_id": self.new_name("trigger-"),
        }

    async def global_shortcut(self, *, user: str = MEMBER) -> Ack:
        return await self.send(
            "interactive",
            {
                "type": "shortcut",
                "callback_id": "mentorbot.menu",
                "trigger_id": self.new_name("trigger-"),
                "action_ts": "1.1",
                **_who(user),
            },
        )

    async def message_shortcut(
        self,
        text: str,
        *,
        user: str = MEMBER,
        channel: str = CHANNEL,
        ts: str = "1763900000.000100",
        author: str = "U0BOB",
        callback_id: str = "remind-message",
    ) -> Exchange:
        name = self.new_name("msg")
        ack = await self.send(
            "interactive",
            {
                "type": "message_action",
                "callback_id": callback_id,
                "trigger_id": self.new_name("trigger-"),
                "message_ts": ts,
                "action_ts": "1.2",
                "channel": {"id": channel, "name": "general"},
                "message": {"type": "message", "user": author, "ts": ts, "text": text},
                "response_url": self.fake.response_url(name),
                **_who(user),
            },
        )
        return Exchange(ack, name, self.fake)

    async def click(
        self,
        element: dict[str, Any],
        *,
        user: str = MEMBER,
        channel: str = CHANNEL,
        home: bool = False,
        selected: str | None = None,
    ) -> Exchange:
        """Press a button (or pick `selected` in a select) on a message or the App Home."""
        action: dict[str, Any] = {
            "action_id": element["action_id"],
            "block_id": "b",
            "type": element["type"],
            "action_ts": "1.3",
        }
        if selected is not None:
            action["selected_option"] = {"value": selected}
        else:
            action["value"] = element.get("value", "")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "trigger_id": self.new_name("trigger-"),
            "actions": [action],
            **_who(user),
        }
        name = None
        if home:
            payload["container"] = {"type": "view", "view_id": "V0HOME"}
            payload["view"] = {"id": "V0HOME", "type": "home"}
        else:
            name = self.new_name("btn")
            payload.update(
                container={"type": "message", "message_ts": "1.0", "channel_id": channel},
                channel={"id": channel, "name": "general"},
                message={"type": "message", "ts": "1.0", "text": ""},
                response_url=self.fake.response_url(name),
            )
        return Exchange(await self.send("interactive", payload), name, self.fake)

    async def submit(
        self,
        view: dict[str, Any],
        values: dict[str, str],
        *,
        user: str = MEMBER,
        wait: bool = True,
    ) -> Ack:
        """Submit a modal as it was opened, with `values` typed into its inputs."""
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            element = block["element"]
            value = values.get(block["block_id"])
            if element["type"] == "static_select":
                chosen = {"value": value} if value is not None else None
                entry = {"type": "static_select", "selected_option": chosen}
            else:
                entry = {"type": element["type"], "value": value}
            state[block["block_id"]] = {element["action_id"]: entry}
        submitted = {**view, "id": "V0MODAL", "state": {"values": state}}
        return await self.send(
            "interactive",
            {
                "type": "view_submission",
                "trigger_id": self.new_name("trigger-"),
                "view": submitted,
                "response_urls": [],
                **_who(user),
            },
            wait=wait,
        )

    async def event(self, event: dict[str, Any], *, team: str = TEAM_ID) -> Ack:
        """An Events API callback from a workspace (`app_uninstalled`, `tokens_revoked`, ...)."""
        return await self.send(
            "event",
            {
                "token": "legacy",
                "team_id": team,
                "api_app_id": "A0FAKE",
                "type": "event_callback",
                "event_id": self.new_name("Ev"),
                "event_time": int(time.time()),
                "event": {"event_ts": "1.5", **event},
            },
        )

    async def open_home(self, *, user: str = MEMBER, tab: str = "home") -> Ack:
        return await self.send(
            "event",
            {
                "token": "legacy",
                "team_id": TEAM_ID,
                "api_app_id": "A0FAKE",
                "type": "event_callback",
                "event_id": self.new_name("Ev"),
                "event_time": 1,
                "event": {
                    "type": "app_home_opened",
                    "user": user,
                    "channel": "D" + user,
                    "tab": tab,
                    "event_ts": "1.4",
                },
            },
        )

    # -- what Slack received ---------------------------------------------------------------------

    def last_view(self, method: str = "views.open") -> dict[str, Any]:
        calls = self.fake.calls_to(method)
        assert calls, f"no {method} call; calls: {[c.method for c in self.fake.calls]}"
        view: dict[str, Any] = calls[-1].params["view"]
        return view


def _who(user: str) -> dict[str, Any]:
    return {
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0FAKE",
        "token": "legacy",
    }


def encode(kind: str, payload: dict[str, Any]) -> tuple[str, str]:
    """The HTTP body Slack sends for each kind of request."""
    if kind == "command":
        return urlencode(payload), "application/x-www-form-urlencoded"
    if kind == "interactive":
        return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    return json.dumps(payload), "application/json"


def slack_settings(core: Any, fake: FakeSlack, mode: str) -> Any:
    tokens: dict[str, object] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_api_url": fake.api_url,
        "http_host": "127.0.0.1",
        "http_port": 0,
    }
    if mode == "http":
        tokens["slack_signing_secret"] = SIGNING_SECRET
    else:
        tokens["slack_app_token"] = APP_TOKEN
    return make_settings(core.settings.database_url, **tokens)


@asynccontextmanager
async def running(core: Any, fake: FakeSlack, mode: str) -> AsyncIterator[SlackDriver]:
    """`core` is a `bot.app.Core`, or a wrapper around one with the same methods."""
    settings = slack_settings(core, fake, mode)
    async with slack_running(core, settings, policy=FAST, ping_interval=30) as runtime:
        if mode == "socket":
            await fake.socket.wait_connected()
        yield SlackDriver(mode, fake, runtime)
