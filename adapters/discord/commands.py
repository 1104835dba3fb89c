"""The core's catalogue -> discord.py application commands (slash commands and context menus).

discord.py reads a command's options from its callback's signature, so each command gets a
generated signature: one typed parameter per `OptionSpec` (named `option_N`, renamed to the
spec's name), with descriptions, choices, length limits and autocomplete attached through
discord.py's own decorators. The callbacks do not use the parsed values: translation reads the
raw interaction, so one code path serves every command.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

import discord
from discord import app_commands

from bot.markup import truncate
from bot.router import CommandSpec, MessageActionSpec, OptionSpec

RunCommand = Callable[[discord.Interaction[Any], str], Awaitable[None]]
RunMessageAction = Callable[[discord.Interaction[Any], discord.Message, str], Awaitable[None]]
Complete = Callable[
    [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]
CompleteFor = Callable[[str], Complete]

MAX_DESCRIPTION = 100
MAX_CONTEXT_MENU_NAME = 32
_TYPES: dict[str, type] = {"string": str, "integer": int, "boolean": bool}
_RANGE: Any = app_commands.Range  # subscripted at run time; its static type is an alias

# Every command works in servers and in DMs with the bot (not in other people's group DMs).
CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=False)
INSTALLS = app_commands.AppInstallationType(guild=True, user=False)


def _describe(text: str) -> str:
    return truncate(text.strip() or "…", MAX_DESCRIPTION)


def _annotation(option: OptionSpec) -> Any:
    if option.kind == "string" and option.max_length:
        return _RANGE[str, None, option.max_length]
    return _TYPES[option.kind]


def _choice(option: OptionSpec, value: str) -> app_commands.Choice[Any]:
    return app_commands.Choice(
        name=value[:MAX_DESCRIPTION], value=int(value) if option.kind == "integer" else value
    )


def slash_command(
    spec: CommandSpec, run: RunCommand, complete: CompleteFor
) -> app_commands.Command[Any, ..., None]:
    """One slash command for `spec`; `complete(option)` answers its autocompleting options."""

    async def callback(interaction: discord.Interaction[Any], **_: Any) -> None:
        await run(interaction, spec.name)

    parameters = [
        inspect.Parameter(
            "interaction",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=discord.Interaction,
        )
    ]
    names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[Any]]] = {}
    completers: dict[str, Complete] = {}
    for index, option in enumerate(spec.options):
        name = f"option_{index}"
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=_annotation(option),
                default=inspect.Parameter.empty if option.required else None,
            )
        )
        names[name] = option.name
        descriptions[name] = _describe(option.description)
        if option.choices:
            choices[name] = [_choice(option, value) for value in option.choices]
        if option.autocomplete:
            completers[name] = complete(option.name)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    decorated: Any = callback
    if names:
        decorated = app_commands.rename(**names)(decorated)
        decorated = app_commands.describe(**descriptions)(decorated)
    if choices:
        decorated = app_commands.choices(**choices)(decorated)
    if completers:
        decorated = app_commands.autocomplete(**completers)(decorated)
    return app_commands.Command(
        name=spec.name,
        description=_describe(spec.description),
        callback=decorated,
        allowed_contexts=CONTEXTS,
        allowed_installs=INSTALLS,
    )


def message_command(spec: MessageActionSpec, run: RunMessageAction) -> app_commands.ContextMenu:
    """A message context menu entry ("Remind me about this") for `spec`."""

    async def callback(interaction: discord.Interaction[Any], message: discord.Message) -> None:
        await run(interaction, message, spec.name)

    menu = app_commands.ContextMenu(name=spec.label[:MAX_CONTEXT_MENU_NAME], callback=callback)
    menu.allowed_contexts = CONTEXTS
    menu.allowed_installs = INSTALLS
    return menu


def install(
    tree: app_commands.CommandTree[Any],
    catalogue: Iterable[CommandSpec],
    message_catalogue: Iterable[MessageActionSpec],
    *,
    run: RunCommand,
    run_message_action: RunMessageAction,
    complete: Callable[[str, str], Complete],
) -> None:
    """Add every catalogue entry to `tree` (globally; `copy_global_to` serves a dev guild)."""
    for spec in catalogue:
        tree.add_command(slash_command(spec, run, _for_command(complete, spec.name)))
    for action in message_catalogue:
        tree.add_command(message_command(action, run_message_action))


def _for_command(complete: Callable[[str, str], Complete], command: str) -> CompleteFor:
    return lambda option: complete(command, option)
