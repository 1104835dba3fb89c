"""Replies out as Block Kit: pure functions from `bot.chat` to Slack JSON, within Slack's limits.

Every markup token kind has one entry in `TOKENS` and every part of a `Reply` one entry in
`PARTS`; tests check both tables cover everything. Member text is escaped (`&`, `<`, `>`) and all
mrkdwn is sent `verbatim`, so nothing a member writes can become `<!channel>`, `<@U…>` or a link.
Times become `<!date^…>` so each viewer sees their own local time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from adapters.slack.translate import COMPLETE_ACTION, LINK_ACTION, encode_action, encode_complete
from bot import markup
from bot.chat import Button, ButtonStyle, Choice, Form, FormInput, Reply, Select
from bot.markup import Token, TokenKind, truncate
from bot.router import CommandSpec, OptionSpec

Block = dict[str, Any]

# Slack's Block Kit limits.
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
SECTION_FIELDS = 10
BUTTON_TEXT = 75
OPTION_TEXT = 75
OPTION_DESCRIPTION = 75
OPTION_VALUE = 150
URL = 3000
PLACEHOLDER = 150
VIEW_TITLE = 24
INPUT_LABEL = 2000
INPUT_HINT = 2000
INPUT_MAX = 3000
INPUT_ERROR = 150  # kept short: it shows under the input
ALT_TEXT = 2000
FALLBACK_TEXT = 3000
FALLBACK = "mentorbot"

_SLASH = re.compile(r"/([a-z][\w-]*)")


def escape(text: str) -> str:
    """Slack's three control characters; this is what stops `<!here>` and `<@U1>` pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _url(url: str) -> str:
    return escape(url).replace("|", "%7C")


TOKENS: dict[TokenKind, Callable[[Token], str]] = {
    "text": lambda token: escape(token.text),
    "bold": lambda token: f"*{escape(token.text)}*",
    "italic": lambda token: f"_{escape(token.text)}_",
    "code": lambda token: f"`{escape(token.text)}`",
    "link": lambda token: f"<{_url(token.url)}|{escape(token.text)}>",
    "time": lambda token: (
        f"<!date^{token.unix}^{{date_long_pretty}} at {{time}}|{escape(token.text)}>"
    ),
}


def safe_cut(mrkdwn: str, limit: int) -> str:
    """Cut rendered mrkdwn to `limit` without splitting a `<…>` or an `&…;` entity."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    cut = mrkdwn[: limit - 1]
    opened, ampersand = cut.rfind("<"), cut.rfind("&")
    if opened > cut.rfind(">"):
        cut = cut[:opened] or cut
    if ampersand > cut.rfind(";") and ampersand >= len(cut) - 5:
        cut = cut[:ampersand]
    return cut + "…"


def _split(mrkdwn: str, limit: int) -> list[str]:
    """Whole lines per chunk where possible; over-long lines are cut safely."""
    chunks: list[str] = []
    current = ""
    for line in mrkdwn.split("\n"):
        while len(line) > limit:
            head = safe_cut(line, limit)[:-1]
            chunks.extend([current] if current else [])
            current = ""
            chunks.append(head)
            line = line[len(head) :]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current.strip():
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


@dataclass(frozen=True)
class Renderer:
    """Renders for one workspace's vocabulary: `commands` are the core's command names.

    The core writes commands as `/remind …`; on Slack they are subcommands of `/mentor`, so code
    spans naming a known command are shown as `/mentor remind …`.
    """

    commands: frozenset[str] = frozenset()
    slash: str = "/mentor"

    @classmethod
    def for_catalogue(cls, catalogue: Iterable[CommandSpec], slash: str = "/mentor") -> Renderer:
        return cls(frozenset(spec.name for spec in catalogue), slash)

    # -- text ------------------------------------------------------------------------------------

    def slash_command(self, text: str) -> str:
        """`/remind in 5 days` -> `/mentor remind in 5 days` (also after a `·` or a space)."""

        def swap(match: re.Match[str]) -> str:
            start = match.start()
            at_word = start == 0 or not text[start - 1].isalnum()
            if at_word and match.group(1) in self.commands:
                return f"{self.slash} {match.group(1)}"
            return match.group(0)

        return _SLASH.sub(swap, text)

    def mrkdwn(self, text: str) -> str:
        parts: list[str] = []
        for token in markup.parse(text):
            if token.kind == "code":
                token = Token("code", self.slash_command(token.text))
            parts.append(TOKENS[token.kind](token))
        return "".join(parts)

    def fallback(self, reply: Reply) -> str:
        """The notification text that goes with blocks."""
        return safe_cut(self.mrkdwn(reply.text), FALLBACK_TEXT) if reply.text else FALLBACK

    # -- message parts ---------------------------------------------------------------------------

    def text_blocks(self, reply: Reply) -> list[Block]:
        return [
            {"type": "section", "text": {"type": "mrkdwn", "text": chunk, "verbatim": True}}
            for chunk in _split(self.mrkdwn(reply.text), SECTION_TEXT)
        ]

    def field_blocks(self, reply: Reply) -> list[Block]:
        fields = [
            {
                "type": "mrkdwn",
                "verbatim": True,
                "text": safe_cut(f"*{escape(field.name)}*\n{self.mrkdwn(field.value)}", FIELD_TEXT),
            }
            for field in reply.fields
        ]
        return [
            {"type": "section", "fields": fields[start : start + SECTION_FIELDS]}
            for start in range(0, len(fields), SECTION_FIELDS)
        ]

    def image_blocks(self, reply: Reply) -> list[Block]:
        if reply.image is None:
            return []
        alt = reply.image.alt[:ALT_TEXT] or "image"
        return [{"type": "image", "image_url": reply.image.url, "alt_text": alt}]

    def select_blocks(self, reply: Reply) -> list[Block]:
        return [
            {"type": "actions", "elements": [_select(select, index)]}
            for index, select in enumerate(reply.selects)
        ]

    def button_blocks(self, reply: Reply) -> list[Block]:
        """A row of buttons per actions block; Slack has no disabled button, so disabled ones
        are shown as grey context text under their row."""
        index = 0
        blocks: list[Block] = []
        for row in reply.buttons:
            elements = []
            for button in (b for b in row if not b.disabled):
                elements.append(_button(button, index))
                index += 1
            if elements:
                blocks.append({"type": "actions", "elements": elements})
            greyed = " · ".join(button.label for button in row if button.disabled)
            if greyed:
                text = {"type": "plain_text", "text": greyed, "emoji": True}
                blocks.append({"type": "context", "elements": [text]})
        return blocks

    def completion_blocks(self, command: str, options: Iterable[OptionSpec]) -> list[Block]:
        """Slack cannot autocomplete a slash command: each autocompleting option the member left
        out is offered as an external-data select whose choices the core suggests as they type."""
        return [
            {
                "type": "actions",
                "block_id": encode_complete(command, option.name),
                "elements": [
                    {
                        "type": "external_select",
                        "action_id": encode_action(COMPLETE_ACTION, index),
                        "placeholder": _plain(option.description or option.name, PLACEHOLDER),
                        "min_query_length": 1,
                    }
                ],
            }
            for index, option in enumerate(options)
        ]

    def file_uploads(self, reply: Reply) -> list[dict[str, Any]]:
        """The reply's attachments as `files_upload_v2(file_uploads=...)` items."""
        return [
            {"content": file.data, "filename": file.typed_name, "title": file.filename}
            for file in reply.attachments
        ]

    def blocks(self, reply: Reply, limit: int = MESSAGE_BLOCKS) -> list[Block]:
        """All parts in order; if Slack's block cap is hit, text is shortened, never buttons."""
        rendered = {name: part(self, reply) for name, part in PARTS.items()}
        others = sum(len(blocks) for name, blocks in rendered.items() if name != "text")
        room = max(0, limit - others)
        if len(rendered["text"]) > room:
            kept = rendered["text"][: max(0, room - 1)]
            kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "…"}]})
            rendered["text"] = kept[:room]
        return [block for blocks in rendered.values() for block in blocks][:limit]

    def message(self, reply: Reply) -> dict[str, Any]:
        """Arguments for chat.postMessage / chat.postEphemeral / a response_url."""
        return {"text": self.fallback(reply), "blocks": self.blocks(reply)}

    # -- views -----------------------------------------------------------------------------------

    def modal(self, form: Form, metadata: str, intro: str = "") -> dict[str, Any]:
        blocks: list[Block] = []
        if intro:
            blocks.extend(self.text_blocks(Reply(intro)))
        blocks.extend(_input(spec) for spec in form.inputs)
        return {
            "type": "modal",
            "callback_id": form.form_id,
            "title": _plain(form.title, VIEW_TITLE),
            "submit": _plain(form.submit_label, VIEW_TITLE),
            "close": _plain("Cancel", VIEW_TITLE),
            "private_metadata": metadata,
            "blocks": blocks[:VIEW_BLOCKS],
        }

    def home(self, reply: Reply) -> dict[str, Any]:
        return {"type": "home", "blocks": self.blocks(reply, VIEW_BLOCKS)}

    def menu(
        self,
        specs: Iterable[CommandSpec],
        *,
        metadata: str,
        form_id: str,
        command_input: str,
        details_input: str,
    ) -> dict[str, Any]:
        """The global shortcut's modal: the commands the member may use, plus its free text."""
        specs = list(specs)
        options = [
            {
                "text": _plain(f"{spec.name}: {spec.description}", OPTION_TEXT),
                "value": spec.name[:OPTION_VALUE],
            }
            for spec in specs
        ][:100]
        examples = " · ".join(self.slash_command(spec.usage) for spec in specs if spec.usage)
        details: Block = {
            "type": "input",
            "block_id": details_input,
            "optional": True,
            "label": _plain("Details", INPUT_LABEL),
            "element": {
                "type": "plain_text_input",
                "action_id": details_input,
                "max_length": INPUT_MAX,
            },
        }
        if examples:
            details["hint"] = _plain(
                f"As you would type it after the command: {examples}", INPUT_HINT
            )
        return {
            "type": "modal",
            "callback_id": form_id,
            "title": _plain("mentorbot", VIEW_TITLE),
            "submit": _plain("Go", VIEW_TITLE),
            "close": _plain("Cancel", VIEW_TITLE),
            "private_metadata": metadata,
            "blocks": [
                {
                    "type": "input",
                    "block_id": command_input,
                    "label": _plain("What to do", 2000),
                    "element": {
                        "type": "static_select",
                        "action_id": command_input,
                        "placeholder": _plain("Choose", PLACEHOLDER),
                        "options": options,
                    },
                },
                details,
            ],
        }


def _button(button: Button, index: int) -> Block:
    """A button; a link button opens its `url` (Slack still reports the click, which the app
    acknowledges and drops)."""
    element: Block = {
        "type": "button",
        "text": _plain(button.label, BUTTON_TEXT),
        "action_id": encode_action(button.action_id or LINK_ACTION, index),
    }
    if button.url:
        element["url"] = button.url[:URL]
    if button.value:
        element["value"] = button.value
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def option(choice: Choice) -> Block:
    """A select option; its description shows under the label."""
    shown: Block = {"text": _plain(choice.label, OPTION_TEXT), "value": choice.value[:OPTION_VALUE]}
    if choice.description:
        shown["description"] = _plain(choice.description, OPTION_DESCRIPTION)
    return shown


def _select(select: Select, index: int) -> Block:
    """A static select, or a multi-select (Slack caps the count; the minimum is the core's to
    check, as Slack has none for messages)."""
    element: Block = {
        "type": "multi_static_select" if select.multi else "static_select",
        "action_id": encode_action(select.action_id, index),
        "placeholder": _plain(select.placeholder, PLACEHOLDER),
        "options": [option(choice) for choice in select.choices],
    }
    if select.multi:
        element["max_selected_items"] = select.max
    return element


def _input(spec: FormInput) -> Block:
    element: Block
    if spec.kind == "choice":
        element = {
            "type": "static_select",
            "action_id": spec.input_id,
            "options": [option(choice) for choice in spec.choices],
        }
        chosen = next((c for c in spec.choices if c.value == spec.default), None)
        if chosen is not None:
            element["initial_option"] = option(chosen)
    else:
        element = {
            "type": "plain_text_input",
            "action_id": spec.input_id,
            "multiline": spec.multiline,
            "max_length": max(1, min(spec.max_length, INPUT_MAX)),
        }
        if spec.default:
            element["initial_value"] = spec.default[:INPUT_MAX]
    if spec.placeholder:
        element["placeholder"] = _plain(spec.placeholder, PLACEHOLDER)
    return {
        "type": "input",
        "block_id": spec.input_id,
        "optional": not spec.required,
        "label": _plain(spec.label, INPUT_LABEL),
        "element": element,
    }


def form_errors(errors: tuple[tuple[str, str], ...], view: Block) -> dict[str, str]:
    """A view_submission ack's `errors`: each wrong input's block (as `_input` names it), kept
    only if the submitted modal has that input, since Slack rejects unknown block_ids."""
    shown = {
        block.get("block_id") for block in view.get("blocks", []) if block.get("type") == "input"
    }
    return {input_id: _cut_error(message) for input_id, message in errors if input_id in shown}


def _cut_error(message: str) -> str:
    return truncate(message.strip() or "Please check this.", INPUT_ERROR)


PARTS: dict[str, Callable[[Renderer, Reply], list[Block]]] = {
    "text": Renderer.text_blocks,
    "fields": Renderer.field_blocks,
    "image": Renderer.image_blocks,
    "selects": Renderer.select_blocks,
    "buttons": Renderer.button_blocks,
}
# Reply attributes that say how to deliver rather than what to show: `attachments` are uploaded
# after the message (`Renderer.file_uploads`, Slack's external upload flow).
DELIVERY_PARTS = frozenset({"private", "update", "form", "field_errors", "attachments"})


def response_payload(message: dict[str, Any], *, private: bool, replace: bool) -> dict[str, Any]:
    """A `response_url` body: ephemeral or in channel, new or replacing the clicked message."""
    return {
        **message,
        "response_type": "ephemeral" if private else "in_channel",
        "replace_original": replace,
    }
