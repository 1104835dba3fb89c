"""The tiny markup replies are written in, and the one parser every renderer shares.

Syntax: `**bold**`, `__italic__`, `` `code` ``, `[label](https://url)`, `<t:UNIX|fallback>` for a
moment in time (Discord and Slack show it in each viewer's zone; the fallback is the member's
local rendering), and a backslash escapes the next character. Lines are kept as they are, so a
list is lines starting with "• ". Member-written text goes through `escape()` so that it is
always shown literally; renderers then escape it for their platform (Slack `& < >`, Discord
markdown), which is why no user text can ever turn into a ping or a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

TokenKind = Literal["text", "bold", "italic", "code", "link", "time"]

_SPECIAL = re.compile(r"([\\*_`\[\]<>])")
_TOKEN = re.compile(
    r"\\(?P<escaped>.)"
    r"|\*\*(?P<bold>(?:\\.|[^*\\])+)\*\*"
    r"|__(?P<italic>(?:\\.|[^_\\])+)__"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<label>(?:\\.|[^\]\\])+)\]\((?P<url>https?://[^\s)]+)\)"
    r"|<t:(?P<unix>-?\d+)\|(?P<fallback>(?:\\.|[^>\\])*)>",
    re.DOTALL,
)
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    url: str = ""
    unix: int = 0


def escape(text: str) -> str:
    """Make member-written text literal inside markup."""
    return _SPECIAL.sub(r"\\\1", text)


def bold(text: str) -> str:
    return f"**{escape(text)}**"


def code(text: str) -> str:
    return f"`{text.replace('`', 'ˋ')}`"


def link(label: str, url: str) -> str:
    return f"[{escape(label)}]({url})"


def moment(at: datetime, fallback: str) -> str:
    """A point in time that platforms can localise per viewer; `fallback` is the member's view."""
    return f"<t:{int(at.timestamp())}|{escape(fallback)}>"


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def parse(markup: str) -> list[Token]:
    """Split markup into tokens; adjacent plain text is merged into one text token."""
    tokens: list[Token] = []
    plain: list[str] = []
    position = 0

    def flush() -> None:
        if plain:
            tokens.append(Token("text", "".join(plain)))
            plain.clear()

    for match in _TOKEN.finditer(markup):
        plain.append(markup[position : match.start()])
        position = match.end()
        groups = match.groupdict()
        if groups["escaped"] is not None:
            plain.append(groups["escaped"])
            continue
        flush()
        if groups["bold"] is not None:
            tokens.append(Token("bold", _unescape(groups["bold"])))
        elif groups["italic"] is not None:
            tokens.append(Token("italic", _unescape(groups["italic"])))
        elif groups["code"] is not None:
            tokens.append(Token("code", groups["code"]))
        elif groups["label"] is not None:
            tokens.append(Token("link", _unescape(groups["label"]), url=groups["url"]))
        else:
            tokens.append(Token("time", _unescape(groups["fallback"]), unix=int(groups["unix"])))
    plain.append(markup[position:])
    flush()
    return [token for token in tokens if token.text or token.kind != "text"]


def to_plain(markup: str) -> str:
    """The text without markup: for the console, logs and notification previews."""
    parts: list[str] = []
    for token in parse(markup):
        if token.kind == "link":
            parts.append(f"{token.text} <{token.url}>")
        else:
            parts.append(token.text)
    return "".join(parts)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut.

    The one cutter for every surface: member text in markup, plain labels, placeholders. A cut
    never leaves a dangling markup escape (a lone trailing backslash).
    """
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    return cut + "…"
