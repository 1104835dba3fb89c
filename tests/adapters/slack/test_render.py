"""Rendering: every markup token and Reply part has a renderer; member text never pings."""

from __future__ import annotations

import dataclasses
import typing

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack import render
from adapters.slack.render import PARTS, TOKENS, Renderer
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
    Select,
    link_button,
)
from bot.markup import TokenKind
from bot.router import OptionSpec
from tests.support.slack import all_text

R = Renderer(frozenset({"remind", "help"}))


def test_every_markup_token_kind_has_a_renderer() -> None:
    assert set(TOKENS) == set(typing.get_args(TokenKind))


def test_every_reply_part_renders() -> None:
    shown = {f.name for f in dataclasses.fields(Reply)} - render.DELIVERY_PARTS
    assert set(PARTS) == shown
    reply = Reply(
        "**Hi** __there__ `code` [docs](https://example.org/a?b=1&c=2) <t:1795442400|Mon 15:00>",
        fields=(Field("Zone", "Europe/Berlin"),),
        buttons=((Button("Cancel", "rem.cancel", "7", ButtonStyle.DANGER),),),
        selects=(Select("pick", "Choose", (Choice("One", "1"),)),),
        image=Image("https://example.org/i.png", "chart"),
    )
    blocks = R.blocks(reply)
    kinds = [block["type"] for block in blocks]
    assert kinds == ["section", "section", "image", "actions", "actions"]
    text = blocks[0]["text"]["text"]
    assert text == (
        "*Hi* _there_ `code` <https://example.org/a?b=1&amp;c=2|docs> "
        "<!date^1795442400^{date_long_pretty} at {time}|Mon 15:00>"
    )
    assert blocks[0]["text"]["verbatim"] is True
    assert blocks[1]["fields"][0]["text"] == "*Zone*\nEurope/Berlin"
    assert blocks[3]["elements"][0]["options"] == [
        {"text": {"type": "plain_text", "text": "One", "emoji": True}, "value": "1"}
    ]
    assert blocks[4]["elements"][0] == {
        "type": "button",
        "text": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "action_id": "rem.cancel~0",
        "value": "7",
        "style": "danger",
    }


def test_pings_and_links_in_member_text_are_shown_literally() -> None:
    hostile = "<!channel> <!here> <@U123> <https://evil.example|click> & more"

    shown = R.mrkdwn(f"Reminder: {markup.escape(hostile)}")

    assert shown == (
        "Reminder: &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; "
        "&lt;https://evil.example|click&gt; &amp; more"
    )


@given(st.text())
def test_no_member_text_can_open_a_slack_control_sequence(text: str) -> None:
    shown = R.mrkdwn(markup.escape(text))

    assert "<" not in shown and ">" not in shown
    assert render.escape(text) == shown


def test_link_labels_and_urls_are_escaped() -> None:
    shown = R.mrkdwn(markup.link("a <b> & c", "https://example.org/x?a=1&b=<2>|3"))

    assert shown == "<https://example.org/x?a=1&amp;b=&lt;2&gt;%7C3|a &lt;b&gt; &amp; c>"


def test_commands_are_written_as_mentor_subcommands() -> None:
    assert R.mrkdwn("Try `/remind in 5 days` or `/help`.") == (
        "Try `/mentor remind in 5 days` or `/mentor help`."
    )
    assert R.mrkdwn("`/unknown` and `a/remind`") == "`/unknown` and `a/remind`"


def test_long_text_is_split_into_sections_within_slacks_limit() -> None:
    long = "\n".join(f"line {n} " + "&" * 300 for n in range(40))  # escaping grows it 5x

    blocks = R.text_blocks(Reply(long[:2000]))

    assert len(blocks) > 1
    assert all(len(block["text"]["text"]) <= render.SECTION_TEXT for block in blocks)
    for block in blocks:
        text = block["text"]["text"]
        assert text.count("&") == text.count("&amp;")  # no entity was cut in half


def test_an_overlong_line_is_cut_between_entities() -> None:
    blocks = R.text_blocks(Reply("<" * 1999))

    assert all(len(block["text"]["text"]) <= render.SECTION_TEXT for block in blocks)
    joined = "".join(block["text"]["text"] for block in blocks)
    assert joined.count("&lt;") == 1999


def test_block_count_stays_within_slacks_cap() -> None:
    reply = Reply(("&" * 1000 + "\n") * 2, fields=(Field("f", "v"),))  # 4 sections of text

    blocks = R.blocks(reply, limit=3)

    assert [block["type"] for block in blocks] == ["section", "context", "section"]
    assert "fields" in blocks[-1]  # text is shortened, other parts are kept


def test_a_form_becomes_a_modal_within_limits() -> None:
    form = Form(
        "rem.edit",
        "A title that is far too long for Slack",
        (
            FormInput("when", "When?", placeholder="p" * 200, default="d", max_length=5000),
            FormInput("what", "What?", multiline=True, required=False),
        ),
        submit_label="Save",
        context="42",
    )

    modal = R.modal(form, '{"c":"42"}', intro="Pick a **time**")

    assert modal["callback_id"] == "rem.edit"
    assert len(modal["title"]["text"]) <= render.VIEW_TITLE
    assert modal["private_metadata"] == '{"c":"42"}'
    intro, when, what = modal["blocks"]
    assert intro["text"]["text"] == "Pick a *time*"
    assert len(when["element"]["placeholder"]["text"]) <= render.PLACEHOLDER
    assert when["element"]["max_length"] == render.INPUT_MAX
    assert when["element"]["initial_value"] == "d"
    assert what["optional"] is True and what["element"]["multiline"] is True


def test_an_empty_reply_still_has_notification_text() -> None:
    message = R.message(Reply(buttons=((Button("OK", "ok"),),)))

    assert message["text"] == render.FALLBACK
    assert "value" not in message["blocks"][0]["elements"][0]
    assert all_text(message) == "OK"


def test_link_and_disabled_buttons() -> None:
    row = (
        Button("Open", "x.open", "1"),
        link_button("Docs", "https://example.org/d"),
        Button("Sent", "x.sent", disabled=True),
    )
    actions, greyed = R.blocks(Reply(buttons=(row,)))
    opened, link = actions["elements"]
    assert opened["action_id"] == "x.open~0"
    assert link["url"] == "https://example.org/d" and link["action_id"] == "mentorbot.link~1"
    assert greyed["type"] == "context" and greyed["elements"][0]["text"] == "Sent"


def test_several_selects_one_multi_with_descriptions() -> None:
    many = Select("t", "Tracks", (Choice("A", "a", "first"), Choice("B", "b")), multi=True, max=2)
    one = Select("l", "Level", (Choice("New", "new"),))
    first, second = R.select_blocks(Reply(selects=(many, one)))
    [multi] = first["elements"]
    assert multi["type"] == "multi_static_select" and multi["max_selected_items"] == 2
    assert multi["options"][0]["description"]["text"] == "first"
    assert "description" not in multi["options"][1]
    assert second["elements"][0]["type"] == "static_select"
    assert multi["action_id"] != second["elements"][0]["action_id"]


def test_a_choice_input_is_a_static_select_in_the_modal() -> None:
    levels = (Choice("New", "new"), Choice("Senior", "senior", "10+ years"))
    form = Form(
        "f",
        "Check-in",
        (FormInput("level", "Level", kind="choice", choices=levels, default="senior"),),
    )
    [level] = R.modal(form, "{}")["blocks"]
    element = level["element"]
    assert element["type"] == "static_select" and element["action_id"] == "level"
    assert element["initial_option"]["value"] == "senior"
    assert element["options"][1]["description"]["text"] == "10+ years"


def test_files_become_upload_items_with_typed_names() -> None:
    reply = Reply(attachments=(Attachment("weekly", b"png", "image/png"),))
    assert R.file_uploads(reply) == [
        {"content": b"png", "filename": "weekly.png", "title": "weekly"}
    ]


def test_a_missing_autocompleting_option_becomes_an_external_select() -> None:
    [block] = R.completion_blocks("find", [OptionSpec("topic", "What about", autocomplete=True)])
    [menu] = block["elements"]
    assert block["block_id"] == "mentorbot.complete:find:topic"
    assert menu["type"] == "external_select" and menu["placeholder"]["text"] == "What about"
