"""Replies as plain terminal text. Pure: a Reply in, lines out.

Like the Discord and Slack renderers, two explicit tables say how everything is shown: `TOKENS`
(markup token kind -> text) and `PARTS` (Reply field -> the lines it adds); tests check both
cover everything. What needs the terminal's state comes in as callbacks: `number` gives a
pressable button (or select choice) the number a member types, `save` writes an attachment
into the console's files folder and returns where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot import markup
from bot.chat import Attachment, Button, Choice, FormInput, Reply, Select
from bot.markup import Token, TokenKind

TOKENS: dict[TokenKind, Callable[[Token], str]] = {
    "text": lambda token: token.text,
    "bold": lambda token: token.text,
    "italic": lambda token: token.text,
    "code": lambda token: token.text,
    "link": lambda token: f"{token.text} <{token.url}>",
    "time": lambda token: token.text,
}

Number = Callable[[Button], int]
Save = Callable[[Attachment], Path]

# Characters a terminal would act on instead of showing: C0 controls (ESC starts colour, cursor
# and title sequences; CR overwrites the line; BEL rings), DEL, C1 controls (0x9B is a one-byte
# CSI on some terminals) and the bidirectional overrides that reorder what is shown. Each is
# shown as a symbol (ESC as ␛) or as <U+XXXX>; tab and newline stay what they are.
VISIBLE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{code: f"<U+{code:04X}>" for code in range(0x80, 0xA0)},
    **{code: f"<U+{code:04X}>" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


def visible(shown: str) -> str:
    """Text as the terminal shows it: control characters and escape sequences made visible,
    never executed (member text reaches the terminal only through this)."""
    return shown.translate(VISIBLE)


def text(markup_text: str) -> str:
    return visible("".join(TOKENS[token.kind](token) for token in markup.parse(markup_text)))


@dataclass(frozen=True)
class Surface:
    """The terminal's side of rendering: numbering pressable things, saving files."""

    number: Number
    save: Save


def _text(reply: Reply, surface: Surface) -> list[str]:
    return text(reply.text).splitlines() if reply.text else []


def _fields(reply: Reply, surface: Surface) -> list[str]:
    return [f"  {text(field.name)}: {text(field.value)}" for field in reply.fields]


def _image(reply: Reply, surface: Surface) -> list[str]:
    if reply.image is None:
        return []
    return [f"  [image: {reply.image.alt} <{reply.image.url}>]"]


def button_label(button: Button, surface: Surface) -> str:
    """`[3] Cancel`, a link as `Docs <https://…>`, a disabled button as `(Done)`."""
    if button.url:
        return f"🔗 {button.label} <{button.url}>"
    if button.disabled:
        return f"[-] ({button.label})"
    return f"[{surface.number(button)}] {button.label}"


def _buttons(reply: Reply, surface: Surface) -> list[str]:
    return [
        "  " + "  ".join(button_label(button, surface) for button in row) for row in reply.buttons
    ]


def _choice_line(number: int, choice: Choice) -> str:
    described = f" — {choice.description}" if choice.description else ""
    return f"    [{number}] {choice.label}{described}"


def select_lines(select: Select, surface: Surface) -> list[str]:
    """A select as numbered choices; a multi-select says how to pick several ("1,3")."""
    if select.multi:
        how = f"choose {select.min} to {select.max}, e.g. `1,3`"
        lines = [f"  {select.placeholder} ({how}):"]
    else:
        lines = [f"  {select.placeholder}:"]
    for choice in select.choices:
        pseudo = Button(choice.label, select.action_id, choice.value)
        lines.append(_choice_line(surface.number(pseudo), choice))
    return lines


def _selects(reply: Reply, surface: Surface) -> list[str]:
    return [line for select in reply.selects for line in select_lines(select, surface)]


def _attachments(reply: Reply, surface: Surface) -> list[str]:
    lines = []
    for attachment in reply.attachments:
        where = surface.save(attachment)
        size = len(attachment.data)
        lines.append(f"  📎 {attachment.filename} ({attachment.media_type}, {size} bytes): {where}")
    return lines


def _field_errors(reply: Reply, surface: Surface) -> list[str]:
    return [f"  ⚠ {input_id}: {message}" for input_id, message in reply.field_errors]


def _nothing(reply: Reply, surface: Surface) -> list[str]:
    """Parts that say how to deliver (handled by the chat), not what to show."""
    return []


PARTS: dict[str, Callable[[Reply, Surface], list[str]]] = {
    "text": _text,
    "fields": _fields,
    "image": _image,
    "buttons": _buttons,
    "selects": _selects,
    "attachments": _attachments,
    "field_errors": _field_errors,
    "private": _nothing,  # the chat prefixes "(only you can see this)" in a channel
    "update": _nothing,  # the chat prefixes "(updated)"
    "form": _nothing,  # the chat asks field by field (`form_prompt`, `form_value`)
}


def render(reply: Reply, number: Number, save: Save) -> list[str]:
    """Lines for one reply, every part through `PARTS`."""
    surface = Surface(number, save)
    lines: list[str] = []
    for show in PARTS.values():
        lines.extend(show(reply, surface))
    return [visible(line) for line in lines]


# -- forms, field by field -----------------------------------------------------------------------


def form_prompt(spec: FormInput) -> list[str]:
    """The question for one input; a choice input lists its choices by number."""
    optional = "" if spec.required else " (optional, Enter to skip)"
    default = f" [{markup.truncate(spec.default, 60)}]" if spec.default else ""
    if spec.kind != "choice":
        return [visible(f"  {spec.label}{optional}{default}:")]
    lines = [f"  {spec.label}{optional}{default} (type a number):"]
    lines.extend(_choice_line(n, choice) for n, choice in enumerate(spec.choices, start=1))
    return [visible(line) for line in lines]


def form_value(spec: FormInput, typed: str) -> str | None:
    """What a member typed for `spec` as the value submitted, or None when it is no answer.

    A choice input takes the choice's number, its value or its label.
    """
    value = typed or spec.default
    if spec.kind != "choice" or not value:
        return value[: spec.max_length]
    if value.isdigit() and 1 <= int(value) <= len(spec.choices):
        return spec.choices[int(value) - 1].value
    for choice in spec.choices:
        if value in (choice.value, choice.label) or value.lower() == choice.label.lower():
            return choice.value
    return None


def multi_numbers(typed: str) -> list[int] | None:
    """`1,3` or `1, 3` as [1, 3]; None when it is not a list of numbers."""
    parts = [part.strip().lstrip("#") for part in typed.split(",")]
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        return None
    return [int(part) for part in parts]
