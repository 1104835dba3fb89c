"""Files, link and disabled buttons, multi-selects, choice inputs and autocomplete on Slack.

A test feature (`tests/fakes/showcase.py`) on the real core answers with each part; the real
Bolt app talks to the fake Slack in both modes, which keeps every uploaded file's bytes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Core
from bot.chat import ActionClicked, Autocomplete, Channel, FormSubmitted, Invocation, Recipient
from bot.chat import Reply as ChatReply
from tests.fakes.showcase import CHART, DOCS, EXPORT, Showcase
from tests.fakes.slack_server import TEAM_ID, FakeSlack
from tests.support.slack import CHANNEL, MEMBER, SlackDriver, _who, running

Shown = tuple[SlackDriver, Showcase]


@pytest.fixture(params=["http", "socket"])
async def shown(
    core: Core, fake_slack: FakeSlack, request: pytest.FixtureRequest
) -> AsyncIterator[Shown]:
    showcase = Showcase()
    showcase.register(core.router)
    async with running(core, fake_slack, str(request.param)) as driver:
        yield driver, showcase


def elements(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == kind
    ]


def files(fake: FakeSlack, channel: str) -> list[tuple[str, str, bytes]]:
    return [(f.filename, f.mimetype, f.data) for f in fake.shared_files(channel)]


async def test_a_public_reply_shares_its_files_in_the_channel(shown: Shown) -> None:
    slack, _ = shown
    exchange = await slack.command("report")

    [message] = exchange.posts
    assert message["response_type"] == "in_channel"
    assert files(slack.fake, CHANNEL) == [
        ("chart.png", "image/png", CHART.data),
        ("reminders.csv", "text/csv", EXPORT.data),
    ]
    [link] = elements(message, "button")
    assert link["url"] == DOCS and link["text"]["text"] == "Docs"
    [greyed] = [block for block in message["blocks"] if block["type"] == "context"]
    assert greyed["elements"][0]["text"] == "Sent"  # Slack has no disabled button


async def test_a_private_reply_in_a_channel_sends_its_files_to_the_dm(shown: Shown) -> None:
    slack, _ = shown
    exchange = await slack.command("report private:true")

    assert exchange.posts[0]["response_type"] == "ephemeral"
    assert files(slack.fake, CHANNEL) == []
    assert [name for name, _, _ in files(slack.fake, f"D{MEMBER}")] == [
        "chart.png",
        "reminders.csv",
    ]


async def test_a_link_click_is_acknowledged_and_goes_no_further(shown: Shown) -> None:
    slack, showcase = shown
    message = (await slack.command("report")).posts[0]
    before = len(showcase.events)

    clicked = await slack.click(elements(message, "button")[0])

    assert clicked.ack.status == 200 and clicked.posts == []
    assert len(showcase.events) == before


async def test_a_dm_and_a_channel_post_carry_files(shown: Shown) -> None:
    slack, _ = shown
    messenger = slack.runtime.app.messenger
    recipient = Recipient("slack", TEAM_ID, MEMBER)

    await messenger.send_direct(recipient, ChatReply("Export", attachments=(EXPORT,)), key="k1")
    posted = await messenger.post(
        Channel("slack", TEAM_ID, "C0REPORTS"), ChatReply("Weekly", attachments=(CHART,)), key="k2"
    )

    assert files(slack.fake, f"D{MEMBER}") == [("reminders.csv", "text/csv", EXPORT.data)]
    assert files(slack.fake, "C0REPORTS") == [("chart.png", "image/png", CHART.data)]
    assert posted.startswith("C0REPORTS:")
    texts = [call.params["text"] for call in slack.fake.calls_to("chat.postMessage")]
    assert texts == ["Export", "Weekly"]


async def test_two_selects_one_multi_with_descriptions(shown: Shown) -> None:
    slack, showcase = shown
    message = (await slack.command("pick")).posts[0]

    [tracks] = elements(message, "multi_static_select")
    [level] = elements(message, "static_select")
    assert tracks["max_selected_items"] == 2
    assert tracks["options"][0]["description"]["text"] == "Pipelines, serving, monitoring"
    assert "description" not in level["options"][0]
    chosen = [{"value": "mlops"}, {"value": "data"}]
    payload = {
        "type": "block_actions",
        "trigger_id": "trigger-x",
        **_who(MEMBER),
        "actions": [
            {
                "action_id": tracks["action_id"],
                "block_id": "b",
                "type": "multi_static_select",
                "selected_options": chosen,
            }
        ],
        "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
        "channel": {"id": CHANNEL, "name": "general"},
        "message": {"type": "message", "ts": "1.0", "text": ""},
        "response_url": slack.fake.response_url("multi"),
    }
    await slack.send("interactive", payload)

    clicked = showcase.last(ActionClicked)
    assert isinstance(clicked, ActionClicked)
    assert (clicked.action_id, clicked.value, clicked.values) == (
        "show.tracks",
        "mlops",
        ("mlops", "data"),
    )
    [answer] = [post.body for post in slack.fake.posted_to("multi")]
    assert answer["replace_original"] is True


async def test_a_choice_input_is_a_select_in_the_modal(shown: Shown) -> None:
    slack, showcase = shown
    await slack.command("survey")

    modal = slack.last_view()
    level = next(block for block in modal["blocks"] if block["block_id"] == "level")
    assert level["element"]["type"] == "static_select"
    assert [o["value"] for o in level["element"]["options"]] == ["new", "some", "senior"]
    assert level["element"]["initial_option"]["value"] == "some"
    ack = await slack.submit(modal, {"level": "senior", "wins": "shipped it"})

    assert ack.status == 200
    form = showcase.last(FormSubmitted)
    assert isinstance(form, FormSubmitted)
    assert form.context == "week-48"
    assert dict(form.values) == {"level": "senior", "wins": "shipped it"}


async def test_an_autocompleting_option_left_out_is_offered_as_an_external_select(
    shown: Shown,
) -> None:
    slack, showcase = shown
    exchange = await slack.command("find")

    [message] = exchange.posts
    [block] = [b for b in message["blocks"] if b.get("block_id", "").endswith(":find:topic")]
    [menu] = block["elements"]
    assert menu["type"] == "external_select"

    suggested = await slack.send(
        "interactive",
        {
            "type": "block_suggestion",
            "action_id": menu["action_id"],
            "block_id": block["block_id"],
            "value": "torch",
            **_who(MEMBER),
            "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
            "channel": {"id": CHANNEL, "name": "general"},
        },
    )

    assert [o["value"] for o in suggested.body["options"]] == ["pytorch basics"]
    assert suggested.body["options"][0]["text"]["text"] == "Pytorch Basics"
    typed = showcase.last(Autocomplete)
    assert isinstance(typed, Autocomplete) and (typed.command, typed.typed) == ("find", "torch")

    picked = await slack.send(
        "interactive",
        {
            "type": "block_actions",
            "trigger_id": "trigger-y",
            **_who(MEMBER),
            "actions": [
                {
                    "action_id": menu["action_id"],
                    "block_id": block["block_id"],
                    "type": "external_select",
                    "selected_option": {"value": "pytorch basics"},
                }
            ],
            "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
            "channel": {"id": CHANNEL, "name": "general"},
            "message": {"type": "message", "ts": "1.0", "text": ""},
            "response_url": slack.fake.response_url("found"),
        },
    )

    assert picked.status == 200
    invoked = showcase.last(Invocation)
    assert isinstance(invoked, Invocation)
    assert (invoked.command, dict(invoked.options)) == ("find", {"topic": "pytorch basics"})
    [answer] = [post.body for post in slack.fake.posted_to("found")]
    assert "pytorch basics" in str(answer["blocks"])
