"""Answering one interaction with the core's Response, inside Discord's 3-second window.

The core gets `defer_after` seconds; if it is slower the interaction is deferred (a "thinking"
placeholder for commands, a silent acknowledgement for buttons and modals opened from a
message), and the replies follow as edits and followups. The first reply decides the response
type: a form opens a modal, `update` edits the clicked message, anything else is a new message,
ephemeral when the reply is private.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord import render
from adapters.discord.render import ALLOWED_MENTIONS, Outgoing
from bot.chat import Response

log = logging.getLogger(__name__)

TOO_SLOW_FOR_FORM = "That took me too long to open the form: please try again."


def view_of(items: tuple[render.Item, ...]) -> discord.ui.View | None:
    """Components as a view discord.py never stores: clicks reach `on_interaction` instead, the
    same before and after a restart."""
    if not items:
        return None
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def _content(message: Outgoing) -> dict[str, Any]:
    return {
        "content": message.content,
        "embeds": list(message.embeds),
        "allowed_mentions": ALLOWED_MENTIONS,
    }


def send_kwargs(message: Outgoing) -> dict[str, Any]:
    """What `channel.send` takes for `message` (interaction sends add `ephemeral`): the one
    place a message's content, components and files become discord.py arguments."""
    kwargs = _content(message)
    view = view_of(message.items)
    if view is not None:
        kwargs["view"] = view
    if message.files:
        kwargs["files"] = message.discord_files()
    return kwargs


def _send(message: Outgoing) -> dict[str, Any]:
    return send_kwargs(message) | {"ephemeral": message.ephemeral}


def _edit(message: Outgoing) -> dict[str, Any]:
    kwargs = _content(message) | {"view": view_of(message.items)}
    if message.files:  # an edit replaces the message's files with these
        kwargs["attachments"] = message.discord_files()
    return kwargs


@dataclass
class _State:
    thinking: bool = False  # a deferred command's placeholder is waiting for its content
    update_deferred: bool = False  # a deferred click: the clicked message can still be edited


def _on_message(interaction: discord.Interaction[Any]) -> bool:
    kinds = (discord.InteractionType.component, discord.InteractionType.modal_submit)
    return interaction.type in kinds and interaction.message is not None


async def _defer(interaction: discord.Interaction[Any]) -> _State:
    if _on_message(interaction):
        await interaction.response.defer()
        return _State(update_deferred=True)
    await interaction.response.defer(ephemeral=True, thinking=True)
    return _State(thinking=True)


async def answer(
    interaction: discord.Interaction[Any], work: Awaitable[Response], *, defer_after: float
) -> None:
    """Wait for the core (deferring if it is slow) and show its replies."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    state = _State() if done else await _defer(interaction)
    response = await task
    await show(interaction, response, state)


async def show(interaction: discord.Interaction[Any], response: Response, state: _State) -> None:
    if not response.replies and not interaction.response.is_done():
        await interaction.response.defer()  # nothing to say: acknowledge silently
        return
    for reply in response.replies:
        rendered = render.render(reply)
        if rendered.modal is not None:
            await _open(interaction, rendered.modal)
        for message in rendered.messages:
            await _post(interaction, message, state)


async def _open(interaction: discord.Interaction[Any], modal: discord.ui.Modal) -> None:
    if interaction.response.is_done():  # a modal must be the first response
        await interaction.followup.send(TOO_SLOW_FOR_FORM, ephemeral=True)
        return
    modal.stop()  # never stored: the submit reaches `on_interaction`, even after a restart
    await interaction.response.send_modal(modal)


async def _post(interaction: discord.Interaction[Any], message: Outgoing, state: _State) -> None:
    if not interaction.response.is_done():
        if message.update and _on_message(interaction):
            await interaction.response.edit_message(**_edit(message))
        else:
            await interaction.response.send_message(**_send(message))
        return
    if state.thinking:
        state.thinking = False
        if message.ephemeral:  # the placeholder is ephemeral too: fill it in
            await interaction.edit_original_response(**_edit(message))
            return
        await interaction.followup.send(**_send(message), wait=True)
        await interaction.delete_original_response()
        return
    if message.update and state.update_deferred:
        state.update_deferred = False
        await interaction.edit_original_response(**_edit(message))
        return
    await interaction.followup.send(**_send(message), wait=True)
