"""The core's replies -> Discord messages, modals and autocomplete choices. Pure: no I/O.

Two explicit tables say how everything is shown: `TOKENS` (markup token kind -> Discord markdown)
and `PARTS` (Reply field -> what it adds to the message). Member text is escaped for Discord
markdown, mentions and `<...>` syntax, and `ALLOWED_MENTIONS` is empty, so nothing a member
writes can ping, link-hide or format. Long text moves into an embed (4,096) or is split into
several messages (2,000 each), buttons riding on the last one.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands

from adapters.discord.translate import encode_custom_id
from bot import markup
from bot.chat import (
    Attachment,
    Button,
    ButtonStyle,
    Choice,
    Form,
    FormInput,
    Reply,
    Response,
    Select,
)
from bot.markup import Token, TokenKind, truncate

MAX_CONTENT = 2000
MAX_EMBED_DESCRIPTION = 4096
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_CHOICE = 100
MAX_OPTION_DESCRIPTION = 100
MAX_URL = 512
MAX_CHOICES = 25
MAX_MODAL_TITLE = 45
MAX_INPUT_LABEL = 45
MAX_PLACEHOLDER = 100
MAX_SELECT_PLACEHOLDER = 150
MAX_INPUT_LENGTH = 4000
EMPTY = "\u200b"  # Discord refuses a message with nothing in it
ALLOWED_MENTIONS = discord.AllowedMentions.none()

Item = discord.ui.Item[Any]


def escape(text: str) -> str:
    """Member text shown literally: no markdown, no mentions, no `<@id>`/`<t:...>` syntax."""
    escaped = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    return escaped.replace("<", "\\<")


def _time(token: Token) -> str:
    return f"<t:{token.unix}:F> (<t:{token.unix}:R>)"


TOKENS: dict[TokenKind, Callable[[Token], str]] = {
    "text": lambda token: escape(token.text),
    "bold": lambda token: f"**{escape(token.text)}**",
    "italic": lambda token: f"_{escape(token.text)}_",
    "code": lambda token: f"`{token.text.replace('`', 'ˋ')}`",
    "link": lambda token: f"[{escape(token.text)}](<{token.url}>)",
    "time": _time,
}


def markdown(text: str) -> str:
    """Our markup as Discord markdown."""
    return "".join(TOKENS[token.kind](token) for token in markup.parse(text))


@dataclass(frozen=True)
class Outgoing:
    """One Discord message: what `send_message`, `edit_message` and `channel.send` take."""

    content: str
    embeds: tuple[discord.Embed, ...] = ()
    items: tuple[Item, ...] = ()
    ephemeral: bool = True
    update: bool = False
    files: tuple[Attachment, ...] = ()

    def discord_files(self) -> list[discord.File]:
        """Fresh `discord.File`s for one send (a File is read once, a retry needs new ones)."""
        return [
            discord.File(io.BytesIO(attachment.data), filename=attachment.typed_name)
            for attachment in self.files
        ]


@dataclass
class _Draft:
    text: str = ""
    embed: discord.Embed = field(default_factory=discord.Embed)
    items: list[Item] = field(default_factory=list)
    ephemeral: bool = True
    update: bool = False
    modal: discord.ui.Modal | None = None
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Rendered:
    """A reply as Discord shows it: messages in order, or a modal to open."""

    messages: tuple[Outgoing, ...]
    modal: discord.ui.Modal | None = None


def _text(reply: Reply, draft: _Draft) -> None:
    draft.text = markdown(reply.text)


def _fields(reply: Reply, draft: _Draft) -> None:
    for part in reply.fields:
        draft.embed.add_field(
            name=truncate(markdown(part.name), MAX_FIELD_NAME) or EMPTY,
            value=truncate(markdown(part.value), MAX_FIELD_VALUE) or EMPTY,
            inline=part.inline,
        )


_STYLES = {
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


def button(spec: Button, row: int) -> discord.ui.Button[Any]:
    """An action button, or a link button (Discord's link style: opens the URL, no click)."""
    if spec.url:
        return discord.ui.Button(
            label=spec.label,
            url=spec.url[:MAX_URL],
            style=discord.ButtonStyle.link,
            disabled=spec.disabled,
            row=row,
        )
    return discord.ui.Button(
        label=spec.label,
        custom_id=encode_custom_id(spec.action_id, spec.value),
        style=_STYLES[spec.style],
        disabled=spec.disabled,
        row=row,
    )


def _buttons(reply: Reply, draft: _Draft) -> None:
    for row, buttons in enumerate(reply.buttons):
        draft.items.extend(button(spec, row) for spec in buttons)


def option(choice: Choice, *, default: bool = False) -> discord.SelectOption:
    return discord.SelectOption(
        label=truncate(choice.label, MAX_CHOICE) or choice.value,
        value=choice.value[:MAX_CHOICE],
        description=truncate(choice.description, MAX_OPTION_DESCRIPTION) or None,
        default=default,
    )


def select_menu(spec: Select, row: int | None = None) -> discord.ui.Select[Any]:
    """A select; a multi-select lets the member choose `min`..`max` options at once."""
    low, high = (spec.min, spec.max) if spec.multi else (1, 1)
    return discord.ui.Select(
        custom_id=encode_custom_id(spec.action_id),
        placeholder=truncate(spec.placeholder, MAX_SELECT_PLACEHOLDER),
        options=[option(choice) for choice in spec.choices],
        min_values=low,
        max_values=high,
        row=row,
    )


def _selects(reply: Reply, draft: _Draft) -> None:
    """Each select takes a row of its own, after the button rows."""
    for index, spec in enumerate(reply.selects):
        draft.items.append(select_menu(spec, row=len(reply.buttons) + index))


def _private(reply: Reply, draft: _Draft) -> None:
    draft.ephemeral = reply.private


def _image(reply: Reply, draft: _Draft) -> None:
    if reply.image is not None:
        draft.embed.set_image(url=reply.image.url)  # embeds have no alt text; the text says it


def _form(reply: Reply, draft: _Draft) -> None:
    if reply.form is not None:
        draft.modal = modal(reply.form)


def _update(reply: Reply, draft: _Draft) -> None:
    draft.update = reply.update


def _field_errors(reply: Reply, draft: _Draft) -> None:
    """Discord cannot mark a modal's inputs after submission: the reply's text explains."""


def _attachments(reply: Reply, draft: _Draft) -> None:
    draft.files = reply.attachments


PARTS: dict[str, Callable[[Reply, _Draft], None]] = {
    "text": _text,
    "fields": _fields,
    "buttons": _buttons,
    "selects": _selects,
    "private": _private,
    "image": _image,
    "form": _form,
    "update": _update,
    "field_errors": _field_errors,
    "attachments": _attachments,
}


def render(reply: Reply) -> Rendered:
    """Every part of `reply` through `PARTS`, then fitted into Discord's limits."""
    draft = _Draft()
    for part in dataclasses.fields(reply):
        PARTS[part.name](reply, draft)
    if draft.modal is not None:
        return Rendered(messages=(), modal=draft.modal)
    return Rendered(messages=_fit(draft))


def _fit(draft: _Draft) -> tuple[Outgoing, ...]:
    text, embed = draft.text, draft.embed
    if len(text) > MAX_CONTENT and not embed.description and len(text) <= MAX_EMBED_DESCRIPTION:
        embed.description, text = text, ""
    embeds = (embed,) if embed else ()
    chunks = split(text, MAX_CONTENT) if text else [EMPTY if not embeds else ""]
    last = len(chunks) - 1
    return tuple(
        Outgoing(
            content=chunk,
            embeds=embeds if index == last else (),
            items=tuple(draft.items) if index == last else (),
            ephemeral=draft.ephemeral,
            update=draft.update and index == 0,
            files=draft.files if index == last else (),
        )
        for index, chunk in enumerate(chunks)
    )


def split(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters, cut at line ends where possible."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = limit
            while cut > 0 and text[cut - 1] == "\\":  # never leave an escape dangling
                cut -= 1
        chunks.append(text[:cut])
        text = text[cut:].removeprefix("\n")
    return [*chunks, text] if text else chunks


def modal(form: Form) -> discord.ui.Modal:
    """A form as a modal whose custom id is `form_id:context`, so a submit needs no memory.

    A form with a choice input puts every input in a Label (Discord's current modal layout, the
    only one that holds a select); a text-only form keeps the classic action rows.
    """
    view = discord.ui.Modal(
        title=truncate(form.title, MAX_MODAL_TITLE),
        custom_id=encode_custom_id(form.form_id, form.context),
        timeout=None,
    )
    labelled = any(spec.kind == "choice" for spec in form.inputs)
    for spec in form.inputs:
        label = truncate(spec.label, MAX_INPUT_LABEL)
        if labelled:
            view.add_item(discord.ui.Label(text=label, component=_input(spec)))
        else:
            view.add_item(_input(spec, label))
    return view


def _input(spec: FormInput, label: str | None = None) -> discord.ui.Item[Any]:
    """The input itself; `label` only for a text input outside a Label."""
    if spec.kind == "choice":
        return discord.ui.Select(
            custom_id=spec.input_id,
            placeholder=truncate(spec.placeholder, MAX_SELECT_PLACEHOLDER) or None,
            options=[option(c, default=c.value == spec.default) for c in spec.choices],
            min_values=1 if spec.required else 0,
            max_values=1,
            required=spec.required,
        )
    return discord.ui.TextInput(
        label=label,
        custom_id=spec.input_id,
        placeholder=truncate(spec.placeholder, MAX_PLACEHOLDER) or None,
        default=spec.default[:MAX_INPUT_LENGTH] or None,
        style=discord.TextStyle.paragraph if spec.multiline else discord.TextStyle.short,
        required=spec.required,
        max_length=min(spec.max_length, MAX_INPUT_LENGTH),
    )


def choices(response: Response) -> list[app_commands.Choice[str]]:
    """Autocomplete suggestions within Discord's limits (25, 1-100 characters each)."""
    return [
        app_commands.Choice(
            name=truncate(c.label, MAX_CHOICE) or c.value, value=c.value[:MAX_CHOICE]
        )
        for c in _valid(response.choices)
    ][:MAX_CHOICES]


def _valid(found: Iterable[Choice]) -> Iterable[Choice]:
    return (choice for choice in found if choice.value and choice.label.strip())
