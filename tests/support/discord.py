"""The real mentorbot Discord client against the fake Discord, driven like a member would.

record = await discord_.slash("remind", ann, when="in 5 days", what="stretch")
assert "stretch" in text_of(record.messages[0])
await discord_.click(record.messages[0], "Cancel", ann)
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from adapters.discord.client import MentorClient, Options
from adapters.discord.messenger import DiscordMessenger
from bot.app import CorePort
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Json, Member
from tests.fakes.discord_server import FakeDiscord, InteractionRecord

FAST = Options(identify_spacing=0.0, guild_ready_timeout=0.01)


def text_of(message: Json) -> str:
    """What a member reads: the content and every embed's text."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.append(embed.get("description") or "")
        parts.extend(f"{f['name']}: {f['value']}" for f in embed.get("fields") or [])
    return "\n".join(part for part in parts if part)


def buttons_of(message: Json) -> dict[str, str]:
    """Button label -> custom_id, over every action row (link buttons carry a url, not an id)."""
    return {
        component["label"]: component["custom_id"]
        for row in message.get("components") or []
        for component in row.get("components", [])
        if component.get("type") == 2 and "custom_id" in component
    }


def is_ephemeral(message: Json) -> bool:
    return bool(int(message.get("flags", 0)) & p.EPHEMERAL)


@dataclass
class DiscordHarness:
    fake: FakeDiscord
    core: CorePort
    options: Options = FAST
    client: MentorClient | None = None
    _task: asyncio.Task[None] | None = None
    _members: dict[str, Member] = field(default_factory=dict)

    async def start(self, core: CorePort | None = None, options: Options | None = None) -> None:
        """What `run_discord` does, but in a task the test can stop and restart."""
        self.core = core or self.core
        client = MentorClient(self.core, options or self.options)
        self.client = client
        sessions_before = len(self.fake.gateway.identifies)
        await client.__aenter__()
        try:
            await client.login(self.fake.token)
        except BaseException:
            await client.close()
            raise
        attach = getattr(self.core, "attach", None)
        if attach is not None:
            attach(DiscordMessenger(client, backoff=0.01))
        self._task = asyncio.create_task(client.connect(reconnect=True))
        ready = asyncio.ensure_future(client.wait_until_ready())
        await asyncio.wait({ready, self._task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if self._task.done():
            self._task.result()
        assert client.is_ready(), "the client did not get ready within 5 s"
        assert len(self.fake.gateway.identifies) > sessions_before

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.client, self._task = None, None

    def member(self, name: str) -> Member:
        if name not in self._members:
            self._members[name] = Member(self.fake.ids(), name)
        return self._members[name]

    # -- what a member does ------------------------------------------------------------------

    async def slash(
        self, command: str, member: Member, *, in_dm: bool = False, **options: Any
    ) -> InteractionRecord:
        spec = self.fake.command(command, guild_id=None if in_dm else self.fake.guild_id)
        record = await self.fake.interact(
            p.APPLICATION_COMMAND, p.slash_data(spec, options), member, in_dm=in_dm
        )
        await self.fake.answered(record)
        return record

    async def autocomplete(
        self, command: str, member: Member, focused: str, typed: str, **options: Any
    ) -> list[Json]:
        spec = self.fake.command(command, guild_id=self.fake.guild_id)
        data = p.slash_data(spec, {**options, focused: typed}, focused=focused)
        record = await self.fake.interact(p.AUTOCOMPLETE, data, member)
        callback = await self.fake.answered(record)
        assert callback["type"] == p.AUTOCOMPLETE_RESULT
        choices: list[Json] = callback["data"]["choices"]
        return choices

    async def message_action(self, label: str, target: Json, member: Member) -> InteractionRecord:
        spec = self.fake.command(label, guild_id=self.fake.guild_id, kind=3)
        record = await self.fake.interact(
            p.APPLICATION_COMMAND, p.message_command_data(spec, target), member
        )
        await self.fake.answered(record)
        return record

    async def click(self, message: Json, label: str, member: Member) -> InteractionRecord:
        custom_id = buttons_of(message)[label]
        record = await self.fake.interact(
            p.MESSAGE_COMPONENT,
            p.button_data(custom_id),
            member,
            in_dm="guild_id" not in message,
            message=message,
        )
        await self.fake.answered(record)
        return record

    async def submit(
        self, opened: InteractionRecord, member: Member, **values: str
    ) -> InteractionRecord:
        """Fill in and submit the modal that `opened` answered with."""
        assert opened.callback_type == p.MODAL, opened.callback
        assert opened.callback is not None
        custom_id = opened.callback["data"]["custom_id"]
        message = opened.payload.get("message")
        record = await self.fake.interact(
            p.MODAL_SUBMIT,
            p.modal_data(custom_id, values),
            member,
            in_dm="guild_id" not in opened.payload,
            message=message,
        )
        await self.fake.answered(record)
        return record

    def member_message(self, author: Member, content: str) -> Json:
        """A message a member posted in the guild channel (a context-menu target)."""
        return p.message_payload(
            self.fake.ids(),
            self.fake.channel_id,
            p.user_payload(author.id, author.name),
            {"content": content},
            guild_id=self.fake.guild_id,
        )

    async def dms(self, member: Member, count: int = 1) -> list[Json]:
        """Wait until the bot has sent `member` at least `count` DMs; returns them all."""
        await self.fake.wait_until(lambda: len(self.fake.dms(member.id)) >= count)
        return self.fake.dms(member.id)

    async def settled(self, record: InteractionRecord, messages: int = 1) -> list[Json]:
        """Wait until `record` shows `messages` messages with content (no placeholders)."""

        def ready() -> bool:
            shown = record.messages
            return len(shown) >= messages and not any(
                int(m.get("flags", 0)) & p.LOADING for m in shown
            )

        await self.fake.wait_until(ready)
        return record.messages
