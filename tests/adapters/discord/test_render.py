"""Rendering the core's replies for Discord (pure): every token kind, every reply part, limits."""

from __future__ import annotations

import dataclasses
import re
from typing import get_args

import discord
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord import render
from bot import markup
from bot.chat import (
    Attachment,
    Button,
    ButtonStyle,
    Choice,
    Field,
    Form,
    FormInput,
    Image,
    Reply,
    Response,
    Select,
    link_button,
)
from bot.markup import TokenKind

EVERY_PART = Reply(
    text="**Hi** __there__ `code` [docs](https://example.org/x) <t:1795870800|Sat 28 Nov>",
    fields=(Field("Due", "tomorrow"),),
    buttons=((Button("Done", "rem.done", "7", ButtonStyle.PRIMARY),),),
    selects=(Select("rem.page", "Pick a page", (Choice("Page 2", "2"),)),),
    private=False,
    image=Image("https://example.org/chart.png", "a chart"),
    update=True,
)


def test_every_token_kind_has_a_renderer() -> None:
    assert set(render.TOKENS) == set(get_args(TokenKind))


def test_every_reply_part_has_a_renderer() -> None:
    assert set(render.PARTS) == {part.name for part in dataclasses.fields(Reply)}


def test_every_part_shows_up_in_the_message() -> None:
    [message] = render.render(EVERY_PART).messages
    assert message.content == (
        "**Hi** _there_ `code` [docs](<https://example.org/x>) <t:1795870800:F> (<t:1795870800:R>)"
    )
    [embed] = message.embeds
    assert embed.fields[0].name == "Due" and embed.fields[0].value == "tomorrow"
    assert embed.image.url == "https://example.org/chart.png"
    button, select = message.items
    assert isinstance(button, discord.ui.Button) and button.custom_id == "rem.done:7"
    assert button.style is discord.ButtonStyle.primary
    assert isinstance(select, discord.ui.Select) and select.custom_id == "rem.page:"
    assert select.options[0].value == "2"
    assert (message.ephemeral, message.update) == (False, True)


def test_a_form_becomes_a_modal_that_carries_its_context() -> None:
    form = Form(
        "rem.snooze",
        "Snooze until",
        (FormInput("when", "When?", placeholder="in 2 hours"),),
        context="15",
    )
    rendered = render.render(Reply(form=form))
    assert rendered.messages == () and rendered.modal is not None
    payload = rendered.modal.to_dict()
    assert payload["custom_id"] == "rem.snooze:15" and payload["title"] == "Snooze until"


def test_member_text_is_shown_literally() -> None:
    text = markup.escape("@here <@&1> *x* <t:0:R> [a](https://e.org) ||s|| `c`")
    content = render.render(Reply(text)).messages[0].content
    for live in ("@here", "*x*", "||s||", "`c`"):
        assert live not in content
    assert re.findall(r"(?<!\\)<", content) == []  # no live <@&1> or <t:0:R>
    assert render.ALLOWED_MENTIONS.to_dict()["parse"] == []


def test_text_too_long_for_a_message_moves_into_an_embed() -> None:
    [message] = render.render(Reply("word " * 700)).messages
    assert message.content == ""
    assert message.embeds[0].description is not None
    assert len(message.embeds[0].description) <= render.MAX_EMBED_DESCRIPTION


def test_text_too_long_for_an_embed_is_split_with_buttons_on_the_last_part() -> None:
    line = "a line of a very long list of reminders, each one shown on its own line\n"
    reply = Reply(line * 100, buttons=((Button("Next", "rem.page", "2"),),))
    messages = render.render(reply).messages
    assert len(messages) == 4
    assert all(len(m.content) <= render.MAX_CONTENT for m in messages)
    assert [len(m.items) for m in messages] == [0, 0, 0, 1]
    assert "\n".join(m.content for m in messages) == line * 100  # cut at line ends only


def test_an_empty_reply_is_still_a_valid_message() -> None:
    [message] = render.render(Reply(buttons=((Button("Ok", "x.ok"),),))).messages
    assert message.content


def test_choices_fit_discords_limits() -> None:
    found = Response(choices=tuple(Choice("x" * 150, f"v{n}") for n in range(30)))
    shown = render.choices(found)
    assert len(shown) == 25
    assert all(len(choice.name) <= 100 for choice in shown)


@given(st.text(max_size=5000))
def test_any_text_renders_within_limits(text: str) -> None:
    for message in render.render(Reply(markup.escape(text))).messages:
        assert len(message.content) <= render.MAX_CONTENT
        for embed in message.embeds:
            assert len(embed) <= 6000


def test_link_and_disabled_buttons() -> None:
    row = (link_button("Docs", "https://example.org/d"), Button("Sent", "x", disabled=True))
    reply = Reply(buttons=(row,))
    link, sent = render.render(reply).messages[0].items
    assert isinstance(link, discord.ui.Button) and isinstance(sent, discord.ui.Button)
    assert (link.style, link.url, link.custom_id) == (
        discord.ButtonStyle.link,
        "https://example.org/d",
        None,
    )
    assert sent.disabled and not link.disabled


def test_several_selects_each_on_its_own_row_one_multi() -> None:
    many = Select(
        "t", "Tracks", (Choice("A", "a", "first"), Choice("B", "b"), Choice("C", "c")), True, 1, 3
    )
    one = Select("l", "Level", (Choice("New", "new"),))
    reply = Reply(buttons=((Button("Ok", "ok"),),), selects=(many, one))
    _, first, second = render.render(reply).messages[0].items
    assert isinstance(first, discord.ui.Select) and isinstance(second, discord.ui.Select)
    assert (first.row, second.row) == (1, 2)
    assert (first.min_values, first.max_values, second.max_values) == (1, 3, 1)
    assert first.options[0].description == "first" and first.options[1].description is None


def test_a_choice_input_puts_every_input_in_a_label() -> None:
    levels = (Choice("New", "new"), Choice("Senior", "senior"))
    form = Form(
        "f",
        "Check-in",
        (FormInput("level", "Level", kind="choice", choices=levels), FormInput("w", "Wins")),
    )
    modal = render.render(Reply(form=form)).modal
    assert modal is not None
    level, wins = modal.to_dict()["components"]
    assert level["type"] == 18 and level["component"]["type"] == 3
    assert [o["value"] for o in level["component"]["options"]] == ["new", "senior"]
    assert wins["type"] == 18 and wins["component"]["type"] == 4


def test_files_ride_on_the_last_message_and_their_names_carry_the_type() -> None:
    chart = Attachment("weekly", b"\x89PNG", "image/png")
    messages = render.render(Reply("line\n" * 1000, attachments=(chart,))).messages
    assert [len(m.files) for m in messages] == [0, 0, 1]
    [file] = messages[-1].discord_files()
    assert file.filename == "weekly.png" and file.fp.read() == b"\x89PNG"
