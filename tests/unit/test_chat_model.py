"""The chat model refuses what a platform could not show, so a valid reply renders everywhere."""

from __future__ import annotations

import pytest

from bot import markup
from bot.chat import (
    MAX_ATTACHMENT_BYTES,
    MAX_FIELD_TEXT,
    MAX_TEXT,
    ActionClicked,
    Actor,
    Attachment,
    Button,
    Choice,
    Field,
    Form,
    FormInput,
    Place,
    Reply,
    Select,
    link_button,
    reply,
)

WHO = Actor("console", "local", "you")
HERE = Place("dm", is_dm=True)
CHOICES = (Choice("A", "a"), Choice("B", "b"), Choice("C", "c"))


@pytest.mark.parametrize(
    "parts",
    [
        {"text": "x" * (MAX_TEXT + 1)},
        {"fields": (Field("Due", "x" * (MAX_FIELD_TEXT + 1)),)},
        {"form": Form("f", "A title longer than Slack's", (FormInput("a", "A"),))},
        {"form": Form("f", "T", (FormInput("a", "A", kind="choice"),))},
        {"form": Form("f", "T", (FormInput("a", "A", choices=CHOICES),))},
        {"buttons": ((Button("Docs", "x", url="https://example.org"),),)},
        {"buttons": ((Button("Docs", url="javascript:alert(1)"),),)},
        {"buttons": ((Button("Nothing"),),)},
        {"selects": (Select("s", "S", CHOICES, multi=True, min=2, max=4),)},
        {"selects": (Select("s", "S", (Choice("A", "a", "d" * 76),)),)},
        {
            "selects": tuple(Select(f"s{n}", "S", CHOICES) for n in range(4)),
            "buttons": ((Button("Ok", "ok"),), (Button("Ok", "ok"),)),
        },
        {"attachments": (Attachment("big.bin", b"x" * (MAX_ATTACHMENT_BYTES + 1)),)},
        {"attachments": (Attachment("../etc/passwd", b"x"),)},
        {"attachments": (Attachment("a.csv", b"x", "csv"),)},
        {"attachments": tuple(Attachment(f"{n}.txt", b"x", "text/plain") for n in range(11))},
    ],
)
def test_a_reply_no_platform_could_show_is_refused(parts: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Reply(**parts)  # type: ignore[arg-type]


def test_the_newer_parts_within_limits_are_accepted() -> None:
    row = (link_button("Docs", "https://example.org/d"), Button("Sent", "x", disabled=True))
    shown = reply(
        "Report",
        buttons=(row,),
        selects=(Select("s", "S", CHOICES, multi=True, min=1, max=3), Select("t", "T", CHOICES)),
        form=Form("f", "Check-in", (FormInput("a", "A", kind="choice", choices=CHOICES),)),
        attachments=(Attachment("chart.png", b"png", "image/png"),),
    )
    [only] = shown.replies
    assert only.attachments[0].typed_name == "chart.png"
    assert Attachment("chart", b"", "image/png").typed_name == "chart.png"


def test_a_click_carries_all_chosen_values_and_the_first_as_value() -> None:
    several = ActionClicked("s", "a", WHO, HERE, values=("a", "c"))
    single = ActionClicked("b", "7", WHO, HERE)
    assert (several.value, several.values) == ("a", ("a", "c"))
    assert single.values == ("7",)
    assert ActionClicked("b", "", WHO, HERE).values == ()


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("a longer text", 8, "a longe…"),
        ("abcdef\\*x", 8, "abcdef…"),  # never a dangling escape
        ("abcde\\\\xyz", 8, "abcde\\\\…"),  # an escaped backslash stays whole
    ],
)
def test_truncate(text: str, limit: int, cut: str) -> None:
    assert markup.truncate(text, limit) == cut
    assert len(markup.truncate(text, limit)) <= limit
