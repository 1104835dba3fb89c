"""The console chat: a terminal conversation with the core, and the test harness.

    chat = ConsoleChat(core)
    lines = await chat.say("/remind in 5 days stretch")
    await chat.say("1")              # press button [1]

Buttons show as numbered choices, forms ask field by field, DMs appear as they are delivered.
Meta commands: `/as NAME` acts as another local member, `/channel` and `/dm` switch between a
shared channel and a DM with the bot, `/quit` leaves.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.console.render import render
from bot.app import Core
from bot.chat import (
    ActionClicked,
    Actor,
    Button,
    Event,
    Form,
    FormSubmitted,
    Invocation,
    MessageRef,
    Place,
    Recipient,
    Reply,
)
from bot.router import options_from_text

WORKSPACE = "local"
TRIGGERS = ("remindme!", "!remindme", "remindmerepeat!")
META_HELP = (
    "Console: type `/help` for commands, a number to press a button, "
    "`/as NAME` to act as someone else, `/channel` or `/dm` to switch, `/quit` to leave."
)


@dataclass
class PendingForm:
    form: Form
    place: Place
    actor: Actor
    values: dict[str, str] = field(default_factory=dict)

    @property
    def next_input(self) -> int:
        return len(self.values)


class ConsoleMessenger:
    """Delivers DMs into the console transcript."""

    platform = "console"

    def __init__(self, chat: ConsoleChat) -> None:
        self.chat = chat
        self._ids = itertools.count(1)

    async def send_direct(self, recipient: Recipient, reply: Reply, *, key: str) -> str:
        header = f"📬 DM to {recipient.user_id}:"
        self.chat.emit([header, *self.chat.show(reply, owner=recipient.user_id)])
        return f"dm{next(self._ids)}"


class ConsoleChat:
    def __init__(
        self,
        core: Core,
        *,
        user: str = "you",
        in_channel: bool = False,
        output: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.core = core
        self.user = user
        self.place = _place(in_channel)
        self.output = output
        self.transcript: list[str] = []
        self.dms: asyncio.Queue[list[str]] = asyncio.Queue()
        self.buttons: dict[int, tuple[Button, str]] = {}
        self._numbers = itertools.count(1)
        self.messages: list[MessageRef] = []
        self.form: PendingForm | None = None
        self.messenger = ConsoleMessenger(self)
        core.attach(self.messenger)

    def actor(self, user: str | None = None) -> Actor:
        name = user or self.user
        return Actor("console", WORKSPACE, name, display_name=name, is_admin=True)

    def emit(self, lines: list[str]) -> None:
        self.transcript.extend(lines)
        if lines and lines[0].startswith("📬"):
            self.dms.put_nowait(lines)
        if self.output is not None:
            self.output(lines)

    def show(self, reply: Reply, owner: str) -> list[str]:
        def number(button: Button) -> int:
            value = next(self._numbers)
            self.buttons[value] = (button, owner)
            return value

        lines = render(reply, number)
        if reply.update:
            lines = ["(updated)", *lines]
        if reply.private and not self.place.is_dm:
            lines = ["(only you can see this)", *lines]
        return lines

    async def say(self, line: str, *, as_user: str | None = None) -> list[str]:
        """Type one line; returns what the bot answered (DMs arrive separately in `dms`)."""
        actor = self.actor(as_user)
        text = line.strip()
        if self.form is not None:
            return await self._fill_form(text)
        event = self._event(text, actor)
        if isinstance(event, list):
            self.emit(event)
            return event
        return await self._send(event)

    async def next_dm(self, timeout: float = 10.0) -> list[str]:
        """Wait for the next DM (tests: awaited, never slept for)."""
        return await asyncio.wait_for(self.dms.get(), timeout)

    async def _send(self, event: Event) -> list[str]:
        response = await self.core.dispatch(event)
        lines: list[str] = []
        for reply in response.replies:
            if reply.form is not None:
                self.form = PendingForm(reply.form, self.place, event.actor)
                lines.append(f"📝 {reply.form.title}")
                lines.append(self._prompt(self.form))
            else:
                lines.extend(self.show(reply, owner=event.actor.user_id))
        for choice in response.choices:
            lines.append(f"  {choice.label}")
        self.emit(lines)
        return lines

    def _prompt(self, pending: PendingForm) -> str:
        field_spec = pending.form.inputs[pending.next_input]
        optional = "" if field_spec.required else " (optional, Enter to skip)"
        default = f" [{field_spec.default[:60]}]" if field_spec.default else ""
        return f"  {field_spec.label}{optional}{default}:"

    async def _fill_form(self, text: str) -> list[str]:
        pending = self.form
        assert pending is not None
        spec = pending.form.inputs[pending.next_input]
        if text == "/cancel":
            self.form = None
            self.emit(["Form cancelled."])
            return ["Form cancelled."]
        value = text or spec.default
        if spec.required and not value:
            lines = [f"  {spec.label} is needed (or /cancel)."]
            self.emit(lines)
            return lines
        pending.values[spec.input_id] = value[: spec.max_length]
        if pending.next_input < len(pending.form.inputs):
            lines = [self._prompt(pending)]
            self.emit(lines)
            return lines
        self.form = None
        return await self._send(
            FormSubmitted(
                pending.form.form_id,
                dict(pending.values),
                pending.actor,
                pending.place,
                pending.form.context,
            )
        )

    def _event(self, text: str, actor: Actor) -> Event | list[str]:
        if text.lstrip("#").isdigit():
            return self._press(int(text.lstrip("#")), actor)
        lowered = text.lower()
        if lowered.startswith(TRIGGERS):
            return Invocation("remind", {"when": text}, actor, self.place)
        if not text.startswith("/"):
            ref = MessageRef(
                f"m{len(self.messages) + 1}",
                self.place.channel_id,
                excerpt=text[:300],
                author_id=actor.user_id,
            )
            self.messages.append(ref)
            return [f"({actor.user_id} said it as message {ref.message_id})"]
        name, _, rest = text[1:].partition(" ")
        name = name.lower()
        rest = rest.strip()
        meta = self._meta(name, rest)
        if meta is not None:
            return meta
        if name in self.core.router.message_actions:
            message = self._message(rest)
            if message is None:
                return ["Say something first (or name a message, e.g. `/remind-message m1`)."]
            return Invocation(name, {}, actor, self.place, message=message)
        spec = self.core.router.spec(name)
        return Invocation(name, options_from_text(spec, rest), actor, self.place)

    def _meta(self, name: str, rest: str) -> list[str] | None:
        if name == "as" and rest:
            self.user = rest.split()[0]
            return [f"You are now {self.user}."]
        if name == "channel":
            self.place = _place(True)
            return ["You are in #general now (others can see your reminders)."]
        if name == "dm":
            self.place = _place(False)
            return ["You are in a DM with mentorbot now."]
        if name == "console":
            return [META_HELP]
        return None

    def _message(self, rest: str) -> MessageRef | None:
        if rest:
            return next((m for m in self.messages if m.message_id == rest), None)
        return self.messages[-1] if self.messages else None

    def _press(self, number: int, actor: Actor) -> Event | list[str]:
        found = self.buttons.get(number)
        if found is None:
            return [f"There is no button [{number}]."]
        button, _owner = found
        return ActionClicked(button.action_id, button.value, actor, self.place)


def _place(in_channel: bool) -> Place:
    return Place("general", is_dm=False) if in_channel else Place("dm", is_dm=True)
