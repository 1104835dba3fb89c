"""The Discord client: the core's catalogue as application commands, every interaction to the core.

Slash commands, autocomplete and context menus go through discord.py's `CommandTree`; buttons,
selects and modal submits through `on_interaction`, decoded from their custom ids alone, so they
work the same after a restart. Always an `AutoShardedClient`: one shard by default, or the
shards named in the settings (`MENTORBOT_DISCORD_SHARD_COUNT`, `MENTORBOT_DISCORD_SHARD_IDS`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from adapters.discord import commands, render, respond, translate
from adapters.discord.messenger import REQUESTS_PER_SECOND, RequestBudget
from adapters.discord.translate import Scope
from bot.app import CorePort
from bot.chat import Event, Response
from bot.settings import Settings

log = logging.getLogger(__name__)

SORRY = "😵 Sorry, that did not work. Please try again."


@dataclass(frozen=True)
class Options:
    """How the client runs; `from_settings` reads `MENTORBOT_DISCORD_*`."""

    dev_guild: int | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    defer_after: float = 2.0  # Discord allows 3 s before the first response
    autocomplete_timeout: float = 2.5  # autocomplete cannot be deferred: answer empty instead
    identify_spacing: float = 5.0  # Discord's pause between two shards' IDENTIFYs
    guild_ready_timeout: float = 2.0
    requests_per_second: float = REQUESTS_PER_SECOND  # every REST request, not only DMs

    @classmethod
    def from_settings(cls, settings: Settings) -> Options:
        ids = settings.discord_shard_ids
        shard_ids = tuple(int(part) for part in ids.split(",") if part.strip()) if ids else None
        if shard_ids and settings.discord_shard_count is None:
            raise ValueError("MENTORBOT_DISCORD_SHARD_IDS needs MENTORBOT_DISCORD_SHARD_COUNT")
        guild = settings.discord_dev_guild
        return cls(
            dev_guild=int(guild) if guild else None,
            shard_count=settings.discord_shard_count,
            shard_ids=shard_ids or None,
        )


def intents() -> discord.Intents:
    """Interactions need no intents; `guilds` keeps discord.py's channel cache sound. Nothing
    privileged."""
    return discord.Intents(guilds=True)


BUCKET_SWEEP_EVERY = 60.0  # seconds


def _sweep_buckets_now_and_then(http: Any) -> None:
    """Let discord.py drop idle rate-limit buckets at most once a minute, not on every new one.

    discord.py keeps a bucket per DM channel and, once it holds 256, scans all of them for idle
    ones (idle = unused for 5 minutes) each time it creates another: in a 10,000-member burst
    that is ~50 million checks, CPU taken from the sends. Idle buckets are still dropped, a
    minute later at most. Without the method (another discord.py) nothing changes.
    """
    sweep = getattr(http, "_try_clear_expired_ratelimits", None)
    if sweep is None:
        return
    loop_time = time.monotonic
    last = [loop_time()]

    def now_and_then() -> None:
        if loop_time() - last[0] >= BUCKET_SWEEP_EVERY:
            last[0] = loop_time()
            sweep()

    http._try_clear_expired_ratelimits = now_and_then


def owners(application: discord.AppInfo | None) -> frozenset[int]:
    """The bot's admins: the application's owner, or its team's members."""
    if application is None:
        return frozenset()
    if application.team is not None:
        return frozenset(member.id for member in application.team.members)
    return frozenset({application.owner.id})


class MentorClient(discord.AutoShardedClient):
    """discord.py's client with the core's commands in its tree and every interaction routed to
    `core.dispatch`; no state of its own beyond who the bot is."""

    def __init__(self, core: CorePort, options: Options | None = None) -> None:
        self.options = options or Options()
        sharding: dict[str, Any] = {"shard_count": self.options.shard_count}
        if self.options.shard_ids:
            sharding["shard_ids"] = list(self.options.shard_ids)
        self.budget = RequestBudget(self.options.requests_per_second)
        super().__init__(
            http_trace=self.budget.trace(),
            intents=intents(),
            **sharding,
            allowed_mentions=render.ALLOWED_MENTIONS,
            guild_ready_timeout=self.options.guild_ready_timeout,
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
        )
        _drop_unreadable_events(self._connection.parsers)
        _sweep_buckets_now_and_then(self.http)
        self.core = core
        self.scope = Scope(workspace_id="")
        self.synced: list[app_commands.AppCommand] = []
        self.tree: app_commands.CommandTree[MentorClient] = app_commands.CommandTree(
            self, allowed_contexts=commands.CONTEXTS, allowed_installs=commands.INSTALLS
        )
        self.tree.error(self._on_tree_error)
        commands.install(
            self.tree,
            core.router.catalogue,
            core.router.message_catalogue,
            run=self._run_command,
            run_message_action=self._run_message_action,
            complete=self._completer,
        )

    async def setup_hook(self) -> None:
        """After login, before the gateway: know who we are, then publish the commands."""
        if self.shard_count is None:
            # Ask for the recommended count ourselves, so discord.py keeps dialling the configured
            # gateway (it would take /gateway/bot's URL and bypass a proxy or a test server).
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        self.scope = Scope(str(self.application_id), owners(self.application))
        guild = discord.Object(self.options.dev_guild) if self.options.dev_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        self.synced = await self.tree.sync(guild=guild)
        where = f"to guild {guild.id}" if guild else "globally"
        log.info("synced %d commands %s", len(self.synced), where)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(self.options.identify_spacing)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Buttons, selects and modals (commands are the tree's)."""
        if interaction.type is discord.InteractionType.component:
            await self._answer(interaction, translate.action(interaction, self.scope))
        elif interaction.type is discord.InteractionType.modal_submit:
            await self._answer(interaction, translate.form(interaction, self.scope))

    async def _run_command(self, interaction: discord.Interaction[Any], name: str) -> None:
        await self._answer(interaction, translate.invocation(interaction, name, self.scope))

    async def _run_message_action(
        self, interaction: discord.Interaction[Any], message: discord.Message, name: str
    ) -> None:
        event = translate.invocation(interaction, name, self.scope, target=message)
        await self._answer(interaction, event)

    def _completer(self, command: str, option: str) -> commands.Complete:
        async def complete(
            interaction: discord.Interaction[Any], current: str
        ) -> list[app_commands.Choice[str]]:
            event = translate.autocomplete(interaction, command, self.scope)
            work: Awaitable[Response] = self.core.dispatch(event)
            try:
                response = await asyncio.wait_for(work, self.options.autocomplete_timeout)
            except TimeoutError:
                log.warning("autocomplete for /%s %s was too slow", command, option)
                return []
            return render.choices(response)

        return complete

    async def _answer(self, interaction: discord.Interaction[Any], event: Event) -> None:
        try:
            await respond.answer(
                interaction, self.core.dispatch(event), defer_after=self.options.defer_after
            )
        except discord.HTTPException as error:
            log.warning("answering interaction %s failed: %s", interaction.id, error)
        except Exception:
            log.exception("answering interaction %s failed", interaction.id)
            await _apologise(interaction)

    async def _on_tree_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        command = discord.InteractionType.application_command
        if isinstance(error, app_commands.CommandNotFound) and interaction.type is command:
            # A command Discord still shows but we no longer have: the core explains.
            event = translate.invocation(interaction, error.name, self.scope)
            await self._answer(interaction, event)
            return
        log.error("command failed", exc_info=error)
        await _apologise(interaction)


def _drop_unreadable_events(parsers: dict[str, Callable[[Any], None]]) -> None:
    """Log and drop a gateway event discord.py cannot read (e.g. an interaction without `data`).

    discord.py parses events inside the shard's receive loop, so a parser's exception would end
    the shard, the client and `mentorbot run`; one malformed event must cost only itself.
    """
    for event, parse in list(parsers.items()):
        parsers[event] = _dropping(event, parse)


def _dropping(event: str, parse: Callable[[Any], None]) -> Callable[[Any], None]:
    def guarded(data: Any) -> None:
        try:
            parse(data)
        except Exception as error:
            log.warning("dropped a %s event that could not be read: %.200r", event, error)

    return guarded


async def _apologise(interaction: discord.Interaction[Any]) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(SORRY, ephemeral=True)
        else:
            await interaction.response.send_message(SORRY, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not apologise for interaction %s", interaction.id)
