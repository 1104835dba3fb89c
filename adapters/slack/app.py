"""The Bolt `AsyncApp` wiring: Slack requests in (HTTP or Socket Mode), core answers out.

Every listener acks at once and does the work after, except a modal submission, whose ack can
carry the next modal: it is answered within `ack_budget` seconds or acked empty and finished later.
Each request is checked against `core.first_time` before it has any effect, because Bolt's
signature check accepts an exact replay within its five-minute window.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import translate
from adapters.slack.messenger import (
    DEFAULT_POLICY,
    Clients,
    NotInstalled,
    OneWorkspace,
    RetryPolicy,
    SlackMessenger,
    post_response,
)
from adapters.slack.render import Block, Renderer, form_errors, option, response_payload
from adapters.slack.translate import Body, Origin, Profile
from bot.app import CorePort
from bot.chat import Actor, Form, Invocation, Recipient, Reply, Response
from bot.delivery import DeliveryError

if TYPE_CHECKING:
    from adapters.slack.workspaces import SlackOAuth

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
ANY = re.compile(".+")
Work = Callable[[Body, AsyncBoltRequest], Coroutine[Any, Any, None]]
Listener = Callable[[AsyncAck, Body, AsyncBoltRequest], Awaitable[None]]
MAX_BODY = 64 * 1024  # Slack's largest payloads (modal submissions) are a few KiB
SIGNATURE_WINDOW = 5 * 60  # seconds, as Slack documents and Bolt checks
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


@dataclass
class _Cached:
    profile: Profile
    expires: float


class SlackApp:
    """mentorbot as a Slack app: one `/mentor` command, shortcuts, buttons, modals, App Home.

    With `oauth`, one app serves every workspace that installed it (`/slack/install`), each
    request and delivery with that workspace's own token; without it, the one bot token.
    """

    def __init__(
        self,
        core: CorePort,
        client: AsyncWebClient,
        *,
        signing_secret: str = "",
        session: aiohttp.ClientSession | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
        profile_ttl: float = 3600.0,
        ack_budget: float = 2.5,
        workers: int = 16,
        suggest_timeout: float = 2.5,
        oauth: SlackOAuth | None = None,
    ) -> None:
        self.core = core
        self.client = client  # Bolt's own client (token-less with `oauth`)
        self.oauth = oauth
        self.clients: Clients = oauth.workspaces if oauth is not None else OneWorkspace(client)
        self.session = session
        self.signing_secret = signing_secret
        self.policy = policy
        self.profile_ttl = profile_ttl
        self.ack_budget = ack_budget
        self.suggest_timeout = suggest_timeout  # options must be in the ack, within 3 s
        self.renderer = Renderer.for_catalogue(core.router.catalogue, translate.COMMAND)
        self.messenger = SlackMessenger(self.clients, self.renderer)
        self._profiles: dict[str, _Cached] = {}
        self._looking_up: dict[str, asyncio.Future[Profile]] = {}
        self._tasks: set[asyncio.Future[None]] = set()
        # Acks never wait, but the work behind them is bounded: a burst then queues here
        # instead of piling hundreds of transactions onto the database at once.
        self._workers = asyncio.Semaphore(workers)
        self.bolt = AsyncApp(
            name="mentorbot",
            client=client,
            signing_secret=signing_secret,
            process_before_response=True,  # we ack ourselves and run slow work as tracked tasks
            logger=logging.getLogger("mentorbot.slack.bolt"),
            **(oauth.bolt_options() if oauth is not None else {}),
        )
        if oauth is not None:  # app_uninstalled, tokens_revoked: the install is deleted
            self.bolt.enable_token_revocation_listeners()
        self.bolt.command(translate.COMMAND)(self.acked(self._command))
        self.bolt.global_shortcut(translate.MENU_FORM)(self.acked(self._menu))
        self.bolt.message_shortcut(ANY)(self.acked(self._message_shortcut))
        self.bolt.action(ANY)(self.acked(self._action))
        self.bolt.view(ANY)(self._on_view)
        self.bolt.options(ANY)(self._on_options)
        self.bolt.event("app_home_opened")(self.acked(self._home))

    # -- transports ------------------------------------------------------------------------------

    async def handle_http(self, request: web.Request) -> web.Response:
        """`POST /slack/events`: capped, then authenticated, and only then parsed and handled.

        Bolt would parse the body before checking the signature (a malformed one was a 500 with
        a traceback) and log a forged request's whole body, so nothing of an unauthenticated
        request reaches Bolt or the log: 413 if too large, 401 if not signed by Slack within
        five minutes, 400 if signed but unreadable. Bolt still checks the signature again.
        """
        raw = await _read_capped(request, MAX_BODY)
        if raw is None:
            return _refuse(413, "body over %d bytes", MAX_BODY)
        if not self.signed(request.headers, raw):
            return _refuse(401, "bad or stale signature (%d bytes)", len(raw))
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"),
                query=request.query_string,
                headers=dict(request.headers),
            )
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return _refuse(400, "signed but malformed body (%d bytes)", len(raw))
        bolt_response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    def signed(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Slack's `v0` signature of `v0:{timestamp}:{body}`, from the last five minutes."""
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not self.signing_secret or not _TIMESTAMP.fullmatch(timestamp):
            return False
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={digest}", signature)

    def routes(self) -> list[web.RouteDef]:
        routes = [web.post(EVENTS_PATH, self.handle_http)]
        flow = self.bolt.oauth_flow
        if flow is not None:
            routes += [
                web.get(flow.install_path, self.handle_install),
                web.get(flow.redirect_uri_path, self.handle_oauth_redirect),
            ]
        return routes

    async def handle_install(self, request: web.Request) -> web.Response:
        """`GET /slack/install`: Bolt's "Add to Slack" page, with a fresh OAuth state."""
        assert self.bolt.oauth_flow is not None
        bolt_request = AsyncBoltRequest(
            body="", query=request.query_string, headers=dict(request.headers)
        )
        return await to_aiohttp_response(
            await self.bolt.oauth_flow.handle_installation(bolt_request)
        )

    async def handle_oauth_redirect(self, request: web.Request) -> web.Response:
        """`GET /slack/oauth_redirect`: Bolt checks the state (the browser's cookie and our
        table), exchanges the code at `oauth.v2.access` and stores the install."""
        assert self.bolt.oauth_flow is not None
        bolt_request = AsyncBoltRequest(
            body="", query=request.query_string, headers=dict(request.headers)
        )
        response = await self.bolt.oauth_flow.handle_callback(bolt_request)
        log.info("Slack install finished with HTTP %d", response.status)
        return await to_aiohttp_response(response)

    def socket_mode(self, app_token: str, *, ping_interval: float = 10) -> SocketModeHandler:
        return SocketModeHandler(
            self.bolt, app_token, web_client=self.client, ping_interval=ping_interval
        )

    # -- background work -------------------------------------------------------------------------

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the ack; tracked so shutdown and tests can wait for it."""
        task = asyncio.ensure_future(self._logged(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _logged(self, work: Awaitable[None]) -> None:
        try:
            async with self._workers:
                await work
        except Exception:
            log.exception("Slack request failed after its ack")

    async def idle(self) -> None:
        """Wait until every request received so far has been fully handled."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _fresh(self, request: AsyncBoltRequest) -> bool:
        key = translate.replay_key(request.mode, request.headers, request.context, request.body)
        fresh = await self.core.first_time(key)
        if not fresh:
            log.info("ignored a replayed Slack request (%s)", key[:40])
        return fresh

    # -- listeners -------------------------------------------------------------------------------

    def acked(self, work: Work) -> Listener:
        """A Bolt listener that acks at once and does `work` after it, as a tracked task.

        Bolt passes listener arguments by name, so the listener's are `ack`, `body`, `request`.
        """

        async def listener(ack: AsyncAck, body: Body, request: AsyncBoltRequest) -> None:
            await ack()
            self.later(work(body, request))

        return listener

    async def _command(self, body: Body, request: AsyncBoltRequest) -> None:
        if not await self._fresh(request):
            return
        who, origin = await self.actor(body), translate.origin_of(body)
        event = translate.command_invocation(
            str(body.get("text", "")), self.core.router.catalogue, who, translate.place_of(origin)
        )
        await self.answer(await self.core.dispatch(event), origin, who, self._completions(event))

    def _completions(self, event: Invocation) -> list[Block]:
        """External selects for the autocompleting options a command was sent without."""
        spec = next((s for s in self.core.router.catalogue if s.name == event.command), None)
        if spec is None:
            return []
        missing = [o for o in spec.options if o.autocomplete and o.name not in event.options]
        return self.renderer.completion_blocks(event.command, missing)

    async def _menu(self, body: Body, request: AsyncBoltRequest) -> None:
        if not await self._fresh(request):
            return
        who = await self.actor(body)
        view = self.renderer.menu(
            self.core.router.visible_to(who),
            metadata=translate.encode_metadata("", Origin()),
            form_id=translate.MENU_FORM,
            command_input=translate.MENU_COMMAND,
            details_input=translate.MENU_DETAILS,
        )
        client = await self.clients.client(who.workspace_id)
        await client.views_open(trigger_id=str(body.get("trigger_id")), view=view)

    async def _message_shortcut(self, body: Body, request: AsyncBoltRequest) -> None:
        if not await self._fresh(request):
            return
        who, origin = await self.actor(body), translate.origin_of(body)
        message = body.get("message") or {}
        link = await self.permalink(who.workspace_id, origin.channel_id, str(message.get("ts", "")))
        event = translate.message_invocation(body, who, link)
        await self.answer(await self.core.dispatch(event), origin, who)

    async def _action(self, body: Body, request: AsyncBoltRequest) -> None:
        if translate.is_link(body) or not await self._fresh(request):
            return
        who, origin = await self.actor(body), translate.origin_of(body)
        completed = translate.completion_invocation(body, who)
        event = completed or translate.action_clicked(body, who)
        response = await self.core.dispatch(event)
        await self.answer(response, origin, who)
        if origin.home:
            await self.publish_home(who)

    async def _on_view(self, ack: AsyncAck, body: Body, request: AsyncBoltRequest) -> None:
        work = asyncio.ensure_future(self._submission(body, request))
        try:
            submitted = await asyncio.wait_for(asyncio.shield(work), self.ack_budget)
        except TimeoutError:  # too slow for Slack's 3 s: close the modal, answer when done
            await ack()
            self.later(self._answer_when_done(work))
            return
        if submitted is None:
            await ack()
            return
        response, origin, who = submitted
        first = response.replies[0] if response.replies else None
        if first is not None and first.field_errors:
            errors = form_errors(first.field_errors, body.get("view") or {})
            if errors:  # shown on the still-open modal instead of posted
                await ack(response_action="errors", errors=errors)
                rest = Response(replies=response.replies[1:])
                if rest.replies:
                    self.later(self._answer_and_refresh(rest, origin, who))
                return
        form = next((reply for reply in response.replies if reply.form is not None), None)
        if form is not None and form.form is not None:
            await ack(response_action="update", view=self._modal(form, form.form, origin))
            response = Response(replies=tuple(r for r in response.replies if r is not form))
        else:
            await ack()
        self.later(self._answer_and_refresh(response, origin, who))

    async def _submission(
        self, body: Body, request: AsyncBoltRequest
    ) -> tuple[Response, Origin, Actor] | None:
        """A modal's answer, or None for a replay."""
        if not await self._fresh(request):
            return None
        who = await self.actor(body)
        event, origin = translate.form_event(body, self.core.router.catalogue, who)
        return await self.core.dispatch(event), origin, who

    async def _answer_when_done(
        self, work: Awaitable[tuple[Response, Origin, Actor] | None]
    ) -> None:
        submitted = await work
        if submitted is not None:
            await self._answer_and_refresh(*submitted)

    async def _answer_and_refresh(self, response: Response, origin: Origin, who: Actor) -> None:
        await self.answer(response, origin, who)
        if origin.home:
            await self.publish_home(who)

    async def _on_options(self, ack: AsyncAck, body: Body) -> None:
        """An external select asks for choices: the core's autocomplete answers, in the ack.

        Nothing changes when suggesting, so no replay check; a slow core answers no choices.
        """
        choices: list[Block] = []
        try:
            async with asyncio.timeout(self.suggest_timeout):
                event = translate.suggestion(body, await self.actor(body))
                if event is not None:
                    response = await self.core.dispatch(event)
                    choices = [option(choice) for choice in response.choices if choice.value]
        except TimeoutError:
            log.warning("suggestions for %s were too slow", body.get("block_id"))
        await ack(options=choices[:100])

    async def _home(self, body: Body, request: AsyncBoltRequest) -> None:
        if (body.get("event") or {}).get("tab") == "home" and await self._fresh(request):
            await self.publish_home(await self.actor(body))

    # -- answering -------------------------------------------------------------------------------

    async def publish_home(self, who: Actor) -> None:
        view = self.renderer.home(await self.core.home(who))
        client = await self.clients.client(who.workspace_id)
        await client.views_publish(user_id=who.user_id, view=view)

    async def answer(
        self, response: Response, origin: Origin, who: Actor, extra: list[Block] | None = None
    ) -> None:
        """Deliver every reply: forms as modals, the rest where the member asked; `extra`
        blocks go with the first message."""
        trigger = origin.trigger_id
        for reply in response.replies:
            if reply.form is not None:
                if trigger:
                    view = self._modal(reply, reply.form, origin)
                    client = await self.clients.client(who.workspace_id)
                    await client.views_open(trigger_id=trigger, view=view)
                    trigger = None  # a trigger opens one modal
                else:
                    log.warning("no trigger to open form %s", reply.form.form_id)
                continue
            await self.say(reply, origin, who, extra)
            extra = None

    def _modal(self, reply: Reply, form: Form, origin: Origin) -> dict[str, Any]:
        metadata = translate.encode_metadata(form.context, origin)
        return self.renderer.modal(form, metadata, intro=reply.text)

    async def say(
        self, reply: Reply, origin: Origin, who: Actor, extra: list[Block] | None = None
    ) -> None:
        """One reply, by the most fitting route that works."""
        message = self.renderer.message(reply)
        if extra:
            message["blocks"] = [*message["blocks"], *extra]
        if origin.home and reply.update:
            return  # the App Home is re-published after the click
        if origin.response_url and not origin.home:
            payload = response_payload(message, private=reply.private, replace=reply.update)
            if await post_response(
                origin.response_url, payload, session=self.session, policy=self.policy
            ):
                await self._files(reply, origin, who)
                return
        elif origin.channel_id and not origin.is_dm:
            with contextlib.suppress(SlackApiError):
                client = await self.clients.client(who.workspace_id)
                if reply.private:
                    await client.chat_postEphemeral(
                        channel=origin.channel_id, user=who.user_id, **message
                    )
                else:
                    await client.chat_postMessage(channel=origin.channel_id, **message)
                await self._files(reply, origin, who)
                return
        recipient = Recipient(translate.PLATFORM, who.workspace_id, who.user_id)
        try:
            await self.messenger.send_direct(recipient, reply, key=f"answer:{time.time_ns()}")
        except DeliveryError as error:
            log.warning("could not answer %s: %s", who.user_id, error.reason)

    async def _files(self, reply: Reply, origin: Origin, who: Actor) -> None:
        """A reply's files after its message: in the conversation when everyone there may see
        them, else in the member's DM (Slack files cannot be ephemeral)."""
        if not reply.attachments:
            return
        shared = origin.channel_id and not origin.home and (origin.is_dm or not reply.private)
        team = who.workspace_id
        try:
            if shared:
                channel = origin.channel_id
            else:
                channel = await self.messenger.dm_channel(who.user_id, team_id=team)
            await self.messenger.upload(channel, reply, team_id=team)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("could not upload files for %s: %s", who.user_id, type(error).__name__)

    # -- Slack look-ups --------------------------------------------------------------------------

    async def actor(self, body: Body) -> Actor:
        team, user = translate.member_of(body)
        return translate.actor(team, user, await self.profile(team, user))

    async def profile(self, team_id: str, user_id: str) -> Profile:
        """`users.info` (zone, name, admin), cached; concurrent look-ups share one call."""
        key = f"{team_id}:{user_id}"
        cached = self._profiles.get(key)
        if cached is not None and cached.expires > time.monotonic():
            return cached.profile
        pending = self._looking_up.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._look_up(team_id, user_id, key))
            self._looking_up[key] = pending
            pending.add_done_callback(lambda _: self._looking_up.pop(key, None))
        return await asyncio.shield(pending)

    async def _look_up(self, team_id: str, user_id: str, key: str) -> Profile:
        try:
            client = await self.clients.client(team_id)
            found = await client.users_info(user=user_id)
            profile, ttl = translate.profile_from_user(found["user"]), self.profile_ttl
        except (SlackApiError, aiohttp.ClientError, TimeoutError, NotInstalled) as error:
            log.warning("users.info %s failed: %s", user_id, type(error).__name__)
            profile, ttl = Profile(), min(60.0, self.profile_ttl)
        self._profiles[key] = _Cached(profile, time.monotonic() + ttl)
        if len(self._profiles) > 50_000:
            self._profiles.pop(next(iter(self._profiles)))
        return profile

    async def permalink(self, team_id: str, channel: str, ts: str) -> str | None:
        if not channel or not ts:
            return None
        try:
            client = await self.clients.client(team_id)
            found = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except (SlackApiError, aiohttp.ClientError, TimeoutError, NotInstalled):
            return None
        link = found.get("permalink")
        return str(link) if link else None


async def _read_capped(request: web.Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is known to be longer than `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(16 * 1024):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _refuse(status: int, why: str, size: int) -> web.Response:
    """Turn a request away; the log says why and how large, never what it said."""
    log.warning("refused a Slack request: " + why, size)
    return web.json_response({"error": "invalid request"}, status=status)


class SocketModeHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler, passing the envelope id on so replays can be recognised."""

    client: SocketModeClient

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        request = AsyncBoltRequest(
            mode="socket_mode",
            body=req.payload,
            headers=build_headers(req),
            context={"envelope_id": req.envelope_id},
        )
        await send_async_response(client, req, await self.app.async_dispatch(request), start)

    async def start(self) -> None:
        """Connect (and reconnect whenever Slack asks) without blocking the caller."""
        await self.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        await self.close_async()  # type: ignore[no-untyped-call]
