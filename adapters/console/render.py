"""Replies as plain terminal text. Pure: a Reply in, lines out."""

from __future__ import annotations

from collections.abc import Callable

from bot import markup
from bot.chat import Button, Reply
from bot.markup import Token

TOKENS: dict[str, Callable[[Token], str]] = {
    "text": lambda token: token.text,
    "bold": lambda token: token.text,
    "italic": lambda token: token.text,
    "code": lambda token: token.text,
    "link": lambda token: f"{token.text} <{token.url}>",
    "time": lambda token: token.text,
}


def text(markup_text: str) -> str:
    return "".join(TOKENS[token.kind](token) for token in markup.parse(markup_text))


def render(reply: Reply, number: Callable[[Button], int]) -> list[str]:
    """Lines for one reply; `number` assigns each button the number a member types to press it."""
    lines = text(reply.text).splitlines() if reply.text else []
    for field in reply.fields:
        lines.append(f"  {text(field.name)}: {text(field.value)}")
    if reply.image is not None:
        lines.append(f"  [image: {reply.image.alt} <{reply.image.url}>]")
    for row in reply.buttons:
        lines.append("  " + "  ".join(f"[{number(button)}] {button.label}" for button in row))
    if reply.select is not None:
        choices = reply.select.choices
        lines.append(f"  {reply.select.placeholder}:")
        for choice in choices:
            pseudo = Button(choice.label, reply.select.action_id, choice.value)
            lines.append(f"    [{number(pseudo)}] {choice.label}")
    return lines
