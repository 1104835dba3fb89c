"""Rendering for the terminal (pure): every token kind and reply part has a renderer."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import get_args

from adapters.console import render
from bot.chat import (
    Attachment,
    Button,
    Choice,
    Field,
    FormInput,
    Image,
    Reply,
    Select,
    link_button,
)
from bot.markup import TokenKind

EVERY_PART = Reply(
    text="**Hi** [docs](https://example.org/x) <t:1795870800|Sat 28 Nov>",
    fields=(Field("Due", "tomorrow"),),
    buttons=(
        (
            Button("Done", "rem.done", "7"),
            link_button("Docs", "https://example.org/docs"),
            Button("Sent", "x.sent", disabled=True),
        ),
    ),
    selects=(
        Select(
            "show.tracks",
            "Tracks",
            (Choice("MLOps", "mlops", "Serving"), Choice("Data", "data")),
            multi=True,
            max=2,
        ),
    ),
    private=False,
    image=Image("https://example.org/chart.png", "a chart"),
    field_errors=(("when", "I couldn't read that time."),),
    attachments=(Attachment("data.csv", b"a,b\n", "text/csv"),),
)


class Terminal:
    """Numbers pressable things from 1 and keeps saved files in memory."""

    def __init__(self) -> None:
        self.pressable: list[Button] = []
        self.saved: list[Attachment] = []

    def number(self, button: Button) -> int:
        self.pressable.append(button)
        return len(self.pressable)

    def save(self, attachment: Attachment) -> Path:
        self.saved.append(attachment)
        return Path("files") / attachment.filename


def test_every_token_kind_has_a_renderer() -> None:
    assert set(render.TOKENS) == set(get_args(TokenKind))


def test_every_reply_part_has_a_renderer() -> None:
    assert set(render.PARTS) == {part.name for part in dataclasses.fields(Reply)}


def test_every_part_shows_up() -> None:
    terminal = Terminal()

    lines = render.render(EVERY_PART, terminal.number, terminal.save)

    assert lines == [
        "Hi docs <https://example.org/x> Sat 28 Nov",
        "  Due: tomorrow",
        "  [image: a chart <https://example.org/chart.png>]",
        "  [1] Done  🔗 Docs <https://example.org/docs>  [-] (Sent)",
        "  Tracks (choose 1 to 2, e.g. `1,3`):",
        "    [2] MLOps — Serving",
        "    [3] Data",
        "  📎 data.csv (text/csv, 4 bytes): files/data.csv",
        "  ⚠ when: I couldn't read that time.",
    ]
    assert [b.value for b in terminal.pressable] == ["7", "mlops", "data"]  # no link, no disabled
    assert terminal.saved == list(EVERY_PART.attachments)


def test_a_choice_input_is_asked_with_numbers() -> None:
    spec = FormInput(
        "level", "Level", kind="choice", choices=(Choice("New", "new"), Choice("Senior", "senior"))
    )

    assert render.form_prompt(spec) == [
        "  Level (type a number):",
        "    [1] New",
        "    [2] Senior",
    ]
    assert render.form_value(spec, "2") == "senior"
    assert render.form_value(spec, "senior") == "senior"
    assert render.form_value(spec, "New") == "new"
    assert render.form_value(spec, "7") is None


def test_several_numbers_are_read_as_one_multiple_choice() -> None:
    assert render.multi_numbers("1,3") == [1, 3]
    assert render.multi_numbers("#2, 4") == [2, 4]
    assert render.multi_numbers("3") is None
    assert render.multi_numbers("1,x") is None
