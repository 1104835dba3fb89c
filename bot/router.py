"""Command, action, form and autocomplete names mapped to handlers, and the routing of events.

Built explicitly from the feature list (`bot.features`; nothing registers itself on import), and
it is also the command catalogue the adapters read to publish slash commands, options and help.
`Router.handle` routes one event and enforces `CommandSpec.admin_only` (and `admin_only` on
buttons and forms), so no handler has to remember the check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from bot import markup
from bot.chat import (
    ActionClicked,
    Actor,
    Autocomplete,
    Event,
    FormSubmitted,
    Invocation,
    OptionValue,
    Response,
    reply,
)

OptionKind = Literal["string", "integer", "boolean"]

CommandHandler = Callable[[Invocation], Awaitable[Response]]
ActionHandler = Callable[[ActionClicked], Awaitable[Response]]
FormHandler = Callable[[FormSubmitted], Awaitable[Response]]
AutocompleteHandler = Callable[[Autocomplete], Awaitable[Response]]


@dataclass(frozen=True)
class OptionSpec:
    name: str
    description: str
    kind: OptionKind = "string"
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class CommandSpec:
    """One slash command as every platform publishes it.

    `rest` names the option that receives the free text after the command name on text-only
    surfaces (the console, Slack's `/mentor <sub> ...`), so `/remind in 5 days stretch` fills it.
    `triggers` are words that start a plain message meaning this command (`RemindMe!`, any case):
    a surface that reads messages passes the whole message, trigger included, to `rest`.
    """

    name: str
    description: str
    options: tuple[OptionSpec, ...] = ()
    rest: str | None = None
    usage: str = ""
    admin_only: bool = False
    triggers: tuple[str, ...] = ()

    def option(self, name: str) -> OptionSpec | None:
        return next((option for option in self.options if option.name == name), None)


@dataclass(frozen=True)
class MessageActionSpec:
    """A "do something with this message" entry (Discord context menu, Slack message shortcut)."""

    name: str
    label: str


ADMINS_ONLY = "⚠️ Only community admins can do that."
_TRUE = frozenset({"1", "true", "yes", "y", "on"})


def typed(value: str, kind: OptionKind | str) -> OptionValue:
    """Text typed for an option, as the option's kind (left as text when it doesn't fit)."""
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return value.lower() in _TRUE
    return value


def options_from_text(spec: CommandSpec | None, rest: str) -> dict[str, OptionValue]:
    """Options from the text after a command name, for surfaces without typed options.

    `when:tomorrow what:stretch` names every option; otherwise trailing `name:value` words name
    options and the free text before them goes to the command's `rest` option, so
    `/remind every monday at 9:30 review goals` stays one phrase.
    """
    if spec is None or not rest:
        return {}
    words = rest.split()
    pairs = [word.partition(":") for word in words]
    if all(colon and value and spec.option(key.lower()) for key, colon, value in pairs):
        return {
            key.lower(): typed(value, spec.option(key.lower()).kind)  # type: ignore[union-attr]
            for key, _, value in pairs
        }
    options: dict[str, OptionValue] = {}
    while words:
        key, colon, value = words[-1].partition(":")
        option = spec.option(key.lower())
        if not colon or not value or option is None or option.name == spec.rest:
            break
        options[option.name] = typed(value, option.kind)
        words.pop()
    if words:
        target = spec.option(spec.rest) if spec.rest else None
        if target is None and len(spec.options) == 1:
            target = spec.options[0]
        if target is not None:
            options[target.name] = typed(" ".join(words), target.kind)
    return options


@dataclass
class Router:
    """Every name a feature registered, refused when registered twice, and the event router."""

    commands: dict[str, tuple[CommandSpec, CommandHandler]] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    forms: dict[str, FormHandler] = field(default_factory=dict)
    completions: dict[tuple[str, str], AutocompleteHandler] = field(default_factory=dict)
    message_actions: dict[str, tuple[MessageActionSpec, CommandHandler]] = field(
        default_factory=dict
    )
    # Buttons and forms only admins may use: refused here, so a forged value or a form submitted
    # by someone else never reaches the handler.
    admin_only: set[str] = field(default_factory=set)

    def command(self, spec: CommandSpec, handler: CommandHandler) -> None:
        if spec.name in self.commands or spec.name in self.message_actions:
            raise ValueError(f"command {spec.name!r} is registered twice")
        self.commands[spec.name] = (spec, handler)

    def action(self, action_id: str, handler: ActionHandler, *, admin_only: bool = False) -> None:
        if action_id in self.actions:
            raise ValueError(f"action {action_id!r} is registered twice")
        self.actions[action_id] = handler
        if admin_only:
            self.admin_only.add(f"action:{action_id}")

    def form(self, form_id: str, handler: FormHandler, *, admin_only: bool = False) -> None:
        if form_id in self.forms:
            raise ValueError(f"form {form_id!r} is registered twice")
        self.forms[form_id] = handler
        if admin_only:
            self.admin_only.add(f"form:{form_id}")

    def autocomplete(self, command: str, option: str, handler: AutocompleteHandler) -> None:
        if (command, option) in self.completions:
            raise ValueError(f"autocomplete {command!r}/{option!r} is registered twice")
        self.completions[(command, option)] = handler

    def message_action(self, spec: MessageActionSpec, handler: CommandHandler) -> None:
        if spec.name in self.message_actions or spec.name in self.commands:
            raise ValueError(f"message action {spec.name!r} is registered twice")
        self.message_actions[spec.name] = (spec, handler)

    def spec(self, name: str) -> CommandSpec | None:
        """The command called `name`, if there is one."""
        found = self.commands.get(name)
        return found[0] if found else None

    @property
    def catalogue(self) -> Iterable[CommandSpec]:
        return (spec for spec, _ in self.commands.values())

    @property
    def message_catalogue(self) -> Iterable[MessageActionSpec]:
        return (spec for spec, _ in self.message_actions.values())

    def visible_to(self, actor: Actor) -> list[CommandSpec]:
        """The commands `actor` may use: admin-only ones only for admins (help, menus)."""
        return [spec for spec in self.catalogue if actor.is_admin or not spec.admin_only]

    async def handle(self, event: Event) -> Response:
        """Route one event to its handler; unknown names and non-admins get a friendly reply."""
        match event:
            case Invocation(command=name):
                if name in self.commands:
                    spec, handler = self.commands[name]
                    if spec.admin_only and not event.actor.is_admin:
                        return reply(f"⚠️ Only community admins can use {markup.code('/' + name)}.")
                    return await handler(event)
                if name in self.message_actions:
                    return await self.message_actions[name][1](event)
                return reply(f"⚠️ I don't know {markup.code('/' + name[:40])}. Try `/help`.")
            case ActionClicked(action_id=action_id):
                action = self.actions.get(action_id)
                if action is None:
                    return reply("⚠️ That button no longer does anything; try `/help`.")
                if f"action:{action_id}" in self.admin_only and not event.actor.is_admin:
                    return reply(ADMINS_ONLY)
                return await action(event)
            case FormSubmitted(form_id=form_id):
                form = self.forms.get(form_id)
                if form is None:
                    return reply("⚠️ That form has expired; please start again.")
                if f"form:{form_id}" in self.admin_only and not event.actor.is_admin:
                    return reply(ADMINS_ONLY)
                return await form(event)
            case Autocomplete(command=command, option=option):
                completer = self.completions.get((command, option))
                return await completer(event) if completer else Response()
        raise TypeError(f"not an event: {event!r}")
