"""The console chat: a terminal conversation with the core, and the test harness.

    chat = ConsoleChat(core)
    said = await chat.say("/remind in 5 days stretch")   # the lines shown, as a list
    await chat.say(said.button("Cancel"))                # types the number of [n] Cancel
    dm = await chat.next_dm()                            # awaited, never slept for

Buttons show as numbered choices, forms ask field by field, DMs appear as they are delivered.
Numbers are never reused. With `latest_only` (the terminal, `adapters.console.run`) only the
latest screen's numbers press (an answer with buttons starts a screen; DMs that arrive join it):
a number from further up is refused with where it was, and `3!` presses it anyway. Without it
(the default, for tests of the core) any number shown presses its button, as on the platforms,
where old messages keep their buttons.
Meta commands: `/as NAME` acts as another local member, `/channel` and `/dm` switch between a
shared channel and a DM with the bot, `/quit` leaves.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adapters.console.render import form_prompt, form_value, multi_numbers, render, visible
from bot import markup
from bot.app import Core
from bot.chat import (
    ActionClicked,
    Actor,
    Attachment,
    Button,
    Channel,
    Event,
    Form,
    FormSubmitted,
    Invocation,
    MessageRef,
    Place,
    Recipient,
    Reply,
    Response,
)
from bot.router import CommandSpec, options_from_text

WORKSPACE = "local"
META_HELP = (
    "Console: type `/help` for commands, a number to press a button, "
    "`/as NAME` to act as someone else, `/channel` or `/dm` to switch, `/quit` to leave."
)
CONSOLE_HELP = [
    "Console commands:",
    "• a number, e.g. `3`: press button [3] of the latest answer (`3!` presses one further up)",
    "• `/as NAME`: act as another local member (to try “Remind me too”)",
    "• `/channel`, `/dm`: talk in the shared #general or in a DM with mentorbot",
    "• in a form: Enter skips an optional field, `/cancel` leaves the form",
    "• `/quit` (or Ctrl-D, Ctrl-C): leave",
]
META = ("as", "channel", "dm", "console", "quit", "exit", "cancel")
# "remind me in 5 minutes to stretch": what people type to a bot, read as `/remind ...`.
PLAIN_REMIND = re.compile(r"(?:please\s+)?remind\s*me\b[\s,:]*(?P<rest>.*)", re.I | re.S)
ABOUT_THIS = frozenset({"about this", "about that", "about it"})  # the message just said
PLAIN_HELP = frozenset({"help", "help me", "?", "commands", "menu", "what can you do"})


class Said(list[str]):
    """What the bot answered to one line (or one DM), as the member saw it.

    A list of the lines shown, so it prints and compares like one, plus what a test or a script
    wants to read from it without parsing: the whole `text`, the number `button(label)` to type,
    and the neutral `replies` the lines were rendered from (their markup).
    """

    def __init__(
        self,
        lines: Iterable[str] = (),
        buttons: Mapping[str, int] | None = None,
        replies: Iterable[Reply] = (),
    ) -> None:
        super().__init__(lines)
        self.buttons: dict[str, int] = dict(buttons or {})
        self.replies: list[Reply] = list(replies)

    def add(self, other: Iterable[str]) -> None:
        """Append `other`'s lines, and its buttons and replies when it is a `Said` too."""
        self.extend(other)
        if isinstance(other, Said):
            self.buttons.update(other.buttons)
            self.replies.extend(other.replies)

    @property
    def text(self) -> str:
        return "\n".join(self)

    def button(self, label: str) -> str:
        """The number to type to press the button labelled exactly `label` (the last shown)."""
        if label not in self.buttons:
            raise LookupError(f"no button {label!r} in {sorted(self.buttons)}")
        return str(self.buttons[label])


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
        dm = Said([visible(f"📬 DM to {recipient.user_id}:")])
        dm.add(self.chat.show(reply, owner=recipient.user_id))
        self.chat.emit(dm)
        self.chat.dms.put_nowait(dm)
        return f"dm{next(self._ids)}"

    async def post(self, channel: Channel, reply: Reply, *, key: str) -> str:
        """A post in a shared channel: anyone at the console may press its buttons."""
        header = visible(f"📣 #{channel.channel_id}:")
        self.chat.emit([header, *self.chat.show(reply, owner="", shared=True)])
        return f"post{next(self._ids)}"


class ConsoleChat:
    def __init__(
        self,
        core: Core,
        *,
        user: str = "you",
        in_channel: bool = False,
        output: Callable[[list[str]], None] | None = None,
        latest_only: bool = False,
    ) -> None:
        self.core = core
        self.latest_only = latest_only  # refuse numbers from earlier screens (the terminal)
        self.user = user
        self.place = _place(in_channel)
        self.output = output
        self.transcript: list[str] = []
        self.replies: list[Reply] = []  # every reply shown (answers and DMs), in order
        self.dms: asyncio.Queue[Said] = asyncio.Queue()
        self.buttons: dict[int, tuple[Button, str]] = {}  # every number ever shown
        self.live: set[int] = set()  # the numbers on the latest screen: pressed when typed
        self.shown_on: dict[int, str] = {}  # number -> the first line of its message
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
        if self.output is not None:
            self.output(lines)

    def show(self, reply: Reply, owner: str, *, shared: bool = False) -> Said:
        """Render `reply`; its buttons join the screen (`live`) under numbers never used before."""
        shown: dict[str, int] = {}
        numbers: list[int] = []

        def number(button: Button) -> int:
            value = next(self._numbers)
            self.buttons[value] = (button, owner)
            shown[button.label] = value
            numbers.append(value)
            return value

        lines = render(reply, number, self.save)
        message = markup.truncate(next((line for line in lines if line.strip()), ""), 60)
        for value in numbers:
            self.live.add(value)
            self.shown_on[value] = message
        if reply.update:
            lines = ["(updated)", *lines]
        if reply.private and not self.place.is_dm and not shared:
            lines = ["(only you can see this)", *lines]
        self.replies.append(reply)
        return Said(lines, shown, (reply,))

    def save(self, attachment: Attachment) -> Path:
        """Write a file the bot sent into the files folder (never over an earlier one)."""
        folder = Path(self.core.settings.console_files_dir)
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(attachment.filename).name
        path = folder / name
        for n in itertools.count(2):
            if not path.exists():
                break
            path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_bytes(attachment.data)
        return path

    async def say(self, line: str, *, as_user: str | None = None) -> Said:
        """Type one line; returns what the bot answered (DMs arrive separately: `next_dm`)."""
        actor = self.actor(as_user)
        text = line.strip()
        if self.form is not None:
            return await self._fill_form(text)
        event = self._event(text, actor)
        if isinstance(event, list):
            return self._note(event)
        return await self._send(event)

    async def next_dm(self, timeout: float = 10.0) -> Said:
        """Wait for the next DM (tests: awaited, never slept for)."""
        return await asyncio.wait_for(self.dms.get(), timeout)

    def _note(self, lines: list[str]) -> Said:
        """A line of the console's own (not the bot's): shown, and returned like an answer."""
        said = Said(visible(line) for line in lines)  # it may quote what was typed
        self.emit(said)
        return said

    async def _send(self, event: Event) -> Said:
        response = await self.core.dispatch(event)
        if isinstance(event, Invocation) and event.command == "help":
            private = all(reply.private for reply in response.replies)
            console = Reply("\n".join(CONSOLE_HELP), private=private)
            response = Response(replies=(*response.replies, console), choices=response.choices)
        if any(_new_screen(reply) for reply in response.replies):
            self.live.clear()  # what was on screen before is further up now: see `_press`
        said = Said()
        for reply in response.replies:
            if reply.form is not None:
                self.form = PendingForm(reply.form, self.place, event.actor)
                self.replies.append(reply)
                said.add(Said([f"📝 {reply.form.title}", *self._prompt(self.form)], {}, (reply,)))
            else:
                said.add(self.show(reply, owner=event.actor.user_id))
        for choice in response.choices:
            said.append(visible(f"  {choice.label}"))
        self.emit(said)
        return said

    def _prompt(self, pending: PendingForm) -> list[str]:
        return form_prompt(pending.form.inputs[pending.next_input])

    async def _fill_form(self, text: str) -> Said:
        pending = self.form
        assert pending is not None
        spec = pending.form.inputs[pending.next_input]
        if text == "/cancel":
            self.form = None
            return self._note(["Form cancelled."])
        value = form_value(spec, text)
        if value is None:
            return self._note([f"  Please type one of the numbers for {spec.label} (or /cancel)."])
        if spec.required and not value:
            return self._note([f"  {spec.label} is needed (or /cancel)."])
        pending.values[spec.input_id] = value
        if pending.next_input < len(pending.form.inputs):
            return self._note(self._prompt(pending))
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
        insist = text.endswith("!") and text[:-1].lstrip("#").isdigit()
        if insist or text.lstrip("#").isdigit():
            return self._press(int(text.rstrip("!").lstrip("#")), actor, insist=insist)
        numbers = multi_numbers(text)
        if numbers is not None:
            return self._choose(numbers, actor)
        triggered = self._triggered(text)
        if triggered is not None and triggered.rest is not None:
            return Invocation(triggered.name, {triggered.rest: text}, actor, self.place)
        if not text.startswith("/"):
            understood = self._plain_command(text, actor)
            if understood is not None:
                return understood
            ref = MessageRef(
                f"m{len(self.messages) + 1}",
                self.place.channel_id,
                excerpt=text,
                author_id=actor.user_id,
            )
            self.messages.append(ref)
            said = f"({actor.user_id} said it as message {ref.message_id})"
            hint = self._command_hint(text)
            return [said, hint] if hint else [said]
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

    def _plain_command(self, text: str, actor: Actor) -> Event | list[str] | None:
        """Plain text that reads like a command: `remind me ...` and `help` are understood."""
        wanted = PLAIN_REMIND.fullmatch(text)
        remind = self.core.router.spec("remind")
        if wanted is not None and remind is not None and remind.rest is not None:
            rest = wanted["rest"].strip()
            if not rest:
                return ["Tell me when and what, e.g. `remind me in 5 minutes to stretch`."]
            if rest.lower().rstrip(".!") in ABOUT_THIS and self.messages:
                return Invocation("remind-message", {}, actor, self.place, self.messages[-1])
            return Invocation(remind.name, {remind.rest: rest}, actor, self.place)
        if text.lower().strip(" ?!.") in PLAIN_HELP or text.strip() == "?":
            return Invocation("help", {}, actor, self.place)
        return None

    def _command_hint(self, text: str) -> str | None:
        """For a message that starts like a command without its `/`: the command to type."""
        first, _, rest = text.partition(" ")
        name = first.lower().rstrip(":,.!?")
        if name in ("quit", "exit"):
            return "To leave, type `/quit`."
        if self.core.router.spec(name) is None and name not in META:
            return None
        typed = f"/{name} {rest.strip()}".strip()
        return f"To run it as a command, type `{markup.truncate(typed, 80)}` (with the /)."

    def _triggered(self, text: str) -> CommandSpec | None:
        """The command a plain message starts with a trigger of (`RemindMe! 2 weeks ...`)."""
        lowered = text.lower()
        for spec in self.core.router.catalogue:
            if any(lowered.startswith(trigger.lower()) for trigger in spec.triggers):
                return spec
        return None

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

    def _press(self, number: int, actor: Actor, *, insist: bool = False) -> Event | list[str]:
        """Press button `number` if it is on the latest screen (or the member insists: `3!`).

        Numbers are never reused, so a number always means the button it was shown on; one
        from further up is refused with where it was, since a terminal user reads the latest
        answer and a stale number (a `#3` from half an hour ago) is most likely a slip.
        """
        found = self.buttons.get(number)
        if found is None:
            return [f"There is no button [{number}]."]
        button, _owner = found
        if self.latest_only and number not in self.live and not insist:
            return [self._stale(number)]
        return ActionClicked(button.action_id, button.value, actor, self.place)

    def _stale(self, number: int) -> str:
        button = self.buttons[number][0]
        return (
            f"[{number}] {button.label} is on an earlier message ({self.shown_on[number]}), "
            f"not the latest one. Type `{number}!` to press it anyway, or show it again "
            "(e.g. `/reminders`)."
        )

    def _choose(self, numbers: list[int], actor: Actor) -> Event | list[str]:
        """Several choices of one multi-select at once (`1,3`), from the latest screen."""
        stale = [number for number in numbers if number in self.buttons and number not in self.live]
        if self.latest_only and stale:
            return [self._stale(stale[0])]
        found = [self.buttons.get(number) for number in numbers]
        chosen = [entry[0] for entry in found if entry is not None]
        if len(chosen) < len(numbers) or len({button.action_id for button in chosen}) != 1:
            return ["Type numbers of one menu's choices, e.g. `1,3`."]
        values = tuple(button.value for button in chosen)
        return ActionClicked(chosen[0].action_id, values[0], actor, self.place, values=values)


def _new_screen(reply: Reply) -> bool:
    """An answer that shows something to press, or redraws a message, replaces the screen."""
    pressable = any(not b.url and not b.disabled for row in reply.buttons for b in row)
    return pressable or bool(reply.selects) or reply.update


def _place(in_channel: bool) -> Place:
    return Place("general", is_dm=False) if in_channel else Place("dm", is_dm=True)
