"""Discord interactions -> the core's neutral events (`bot.chat`). Pure: no I/O, no decisions.

A member is the same person in every server and in the bot's DMs (Discord user ids are global),
so `Actor.workspace_id` is the bot's application id, not the guild: reminders and the time zone
follow the member everywhere. The workspace's admins are the application's owners and members
with the Manage Server permission where they act.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import discord

from bot.chat import (
    MAX_VALUE,
    ActionClicked,
    Actor,
    Autocomplete,
    FormSubmitted,
    Invocation,
    MessageRef,
    OptionValue,
    Place,
)

PLATFORM = "discord"
SEPARATOR = ":"
_OPTION_TYPES = {3: str, 4: int, 5: bool, 10: float}


@dataclass(frozen=True)
class Scope:
    """What translation needs to know about this bot: who it is and who administers it."""

    workspace_id: str
    admin_ids: frozenset[int] = frozenset()


def encode_custom_id(action_id: str, value: str = "") -> str:
    """`action_id:value`: all a button carries, so it still works after a restart."""
    custom_id = f"{action_id}{SEPARATOR}{value}"
    if len(custom_id) > MAX_VALUE:
        raise ValueError(f"custom_id longer than {MAX_VALUE} characters: {custom_id!r}")
    return custom_id


def decode_custom_id(custom_id: str) -> tuple[str, str]:
    """The inverse of `encode_custom_id`; an id without a separator is an action without value."""
    action_id, _, value = custom_id.partition(SEPARATOR)
    return action_id, value


def option_values(options: Iterable[Mapping[str, Any]]) -> dict[str, OptionValue]:
    """Typed option values from `data.options`, skipping the focused (autocompleting) one."""
    values: dict[str, OptionValue] = {}
    for option in options:
        cast = _OPTION_TYPES.get(int(option.get("type", 3)))
        if cast is None or option.get("focused") or "value" not in option:
            continue
        values[str(option["name"])] = cast(option["value"])
    return values


def focused_option(options: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """(name, typed text) of the option the member is typing into."""
    for option in options:
        if option.get("focused"):
            return str(option["name"]), str(option.get("value", ""))
    return "", ""


def actor(interaction: discord.Interaction[Any], scope: Scope) -> Actor:
    user = interaction.user
    return Actor(
        platform=PLATFORM,
        workspace_id=scope.workspace_id,
        user_id=str(user.id),
        display_name=user.display_name,
        is_admin=user.id in scope.admin_ids or manages_server(interaction),
        locale=str(interaction.locale),
    )


def manages_server(interaction: discord.Interaction[Any]) -> bool:
    """Members with Manage Server (or Administrator) where they act administer mentorbot too.

    Read from the interaction's own member permissions (Discord resolves them per channel), so
    no member cache or privileged intent is needed; in a DM nobody manages a server.
    """
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    return bool(permissions.manage_guild or permissions.administrator)


def place(interaction: discord.Interaction[Any]) -> Place:
    channel_id = interaction.channel_id or 0
    return Place(channel_id=str(channel_id), is_dm=interaction.guild_id is None)


def excerpt(message: discord.Message) -> str:
    """Plain text that stands for the message: its text, else its embed, else its files."""
    text = message.clean_content.strip()
    if not text and message.embeds:
        embed = message.embeds[0]
        text = (embed.title or embed.description or "").strip()
    if not text and message.attachments:
        text = ", ".join(attachment.filename for attachment in message.attachments)
    return text


def message_ref(message: discord.Message) -> MessageRef:
    return MessageRef(
        message_id=str(message.id),
        channel_id=str(message.channel.id),
        link=message.jump_url,
        excerpt=excerpt(message),
        author_id=str(message.author.id),
    )


def _data(interaction: discord.Interaction[Any]) -> Mapping[str, Any]:
    return interaction.data or {}


def invocation(
    interaction: discord.Interaction[Any], command: str, scope: Scope, *, target: Any = None
) -> Invocation:
    """A slash command, or a message context menu when `target` is the message."""
    options = option_values(_data(interaction).get("options", []))
    ref = message_ref(target) if isinstance(target, discord.Message) else None
    return Invocation(command, options, actor(interaction, scope), place(interaction), ref)


def autocomplete(interaction: discord.Interaction[Any], command: str, scope: Scope) -> Autocomplete:
    raw_options = _data(interaction).get("options", [])
    option, typed = focused_option(raw_options)
    return Autocomplete(
        command=command,
        option=option,
        typed=typed,
        actor=actor(interaction, scope),
        options=option_values(raw_options),
    )


def action(interaction: discord.Interaction[Any], scope: Scope) -> ActionClicked:
    """A button (value from the custom id) or a select (every chosen option; `value` is the
    first)."""
    data = _data(interaction)
    action_id, value = decode_custom_id(str(data.get("custom_id", "")))
    chosen = tuple(str(item) for item in data.get("values") or ())
    if data.get("component_type") == 3 or chosen:
        value = chosen[0] if chosen else ""
    message = interaction.message
    return ActionClicked(
        action_id=action_id,
        value=value,
        actor=actor(interaction, scope),
        place=place(interaction),
        message=message_ref(message) if message is not None else None,
        values=chosen or ((value,) if value else ()),
    )


def _inputs(components: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, str]]:
    """(input id, value) of every text input and select in a submitted modal; a select's value
    is its chosen option ("" when none was chosen)."""
    for component in components:
        if "custom_id" in component and "value" in component:
            yield str(component["custom_id"]), str(component["value"] or "")
        elif "custom_id" in component and "values" in component:
            chosen = component["values"] or [""]
            yield str(component["custom_id"]), str(chosen[0])
        yield from _inputs(component.get("components", []))
        if "component" in component:  # label wrappers (newer modal layout)
            yield from _inputs([component["component"]])


def form(interaction: discord.Interaction[Any], scope: Scope) -> FormSubmitted:
    """A modal submit; the modal's custom id is `form_id:context`, like a button's."""
    data = _data(interaction)
    form_id, context = decode_custom_id(str(data.get("custom_id", "")))
    return FormSubmitted(
        form_id=form_id,
        values=dict(_inputs(data.get("components", []))),
        actor=actor(interaction, scope),
        place=place(interaction),
        context=context,
    )
