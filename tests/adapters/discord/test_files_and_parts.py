"""Files, link and disabled buttons, multi-selects and choice inputs through the real client.

A test feature (`tests/fakes/showcase.py`) on the real core answers with each part; the fake
Discord keeps every uploaded file, so the tests see the bytes, names and types that arrived.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.discord.messenger import DiscordMessenger
from bot.app import Core
from bot.chat import ActionClicked, Channel, FormSubmitted, Recipient, Reply
from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.showcase import CHART, DOCS, EXPORT, Showcase
from tests.support.discord import FAST, DiscordHarness


@pytest.fixture
async def shown(fake: FakeDiscord, core: Core) -> AsyncIterator[tuple[DiscordHarness, Showcase]]:
    showcase = Showcase()
    showcase.register(core.router)
    harness = DiscordHarness(fake, core)
    await harness.start()
    try:
        yield harness, showcase
    finally:
        await harness.stop()


@pytest.fixture
async def deferred(fake: FakeDiscord, core: Core) -> AsyncIterator[tuple[DiscordHarness, Showcase]]:
    """A core slower than `defer_after`: the answer is deferred, its files follow later."""
    showcase = Showcase()
    showcase.register(core.router)
    harness = DiscordHarness(fake, core, replace(FAST, defer_after=0.05))
    await harness.start()
    try:
        yield harness, showcase
    finally:
        showcase.gate.set()
        await harness.stop()


def components(message: p.Json) -> list[p.Json]:
    return [item for row in message["components"] for item in row["components"]]


async def test_a_reply_to_a_command_uploads_its_files(
    shown: tuple[DiscordHarness, Showcase],
) -> None:
    discord_, _ = shown
    record = await discord_.slash("report", discord_.member("ann"))

    [message] = record.messages
    files = discord_.fake.files_of(message)
    assert [(f.filename, f.content_type, f.data) for f in files] == [
        ("chart.png", "image/png", CHART.data),
        ("reminders.csv", "text/csv", EXPORT.data),
    ]
    link, sent = components(message)
    assert (link["style"], link["url"], link.get("custom_id")) == (5, DOCS, None)
    assert sent["disabled"] is True and sent["label"] == "Sent"


@pytest.mark.parametrize("private", [False, True])
async def test_a_deferred_answer_still_uploads_its_files(
    deferred: tuple[DiscordHarness, Showcase], private: bool
) -> None:
    harness, showcase = deferred
    showcase.gate.clear()
    record = await harness.slash("report", harness.member("ann"), private=private)
    assert record.callback_type == p.DEFERRED_MESSAGE
    showcase.gate.set()

    [message] = await harness.settled(record)

    assert [(f.filename, f.data) for f in harness.fake.files_of(message)] == [
        ("chart.png", CHART.data),
        ("reminders.csv", EXPORT.data),
    ]


async def test_a_dm_and_a_channel_post_carry_files(
    shown: tuple[DiscordHarness, Showcase],
) -> None:
    discord_, _ = shown
    assert discord_.client is not None
    messenger = DiscordMessenger(discord_.client)
    ann = discord_.member("ann")
    reply = Reply("Your export", attachments=(EXPORT,))
    workspace = discord_.client.scope.workspace_id

    await messenger.send_direct(Recipient("discord", workspace, ann.id), reply, key="dm-1")
    channel = Channel("discord", workspace, discord_.fake.channel_id)
    posted_id = await messenger.post(channel, Reply("Weekly chart", attachments=(CHART,)), key="p1")

    [dm] = await discord_.dms(ann)
    [upload] = discord_.fake.files_of(dm)
    assert (upload.filename, upload.content_type, upload.data) == (
        "reminders.csv",
        "text/csv",
        EXPORT.data,
    )
    [post] = discord_.fake.channel_messages[discord_.fake.channel_id]
    assert post["id"] == posted_id and post["content"] == "Weekly chart"
    assert [(f.filename, f.data) for f in discord_.fake.files_of(post)] == [
        ("chart.png", CHART.data)
    ]
    [sent] = discord_.fake.calls_to("POST", rf"/channels/{discord_.fake.channel_id}/messages")
    assert sent.body["enforce_nonce"] is True


async def test_two_selects_one_multi_with_descriptions(
    shown: tuple[DiscordHarness, Showcase],
) -> None:
    discord_, showcase = shown
    ann = discord_.member("ann")
    message = (await discord_.slash("pick", ann)).messages[0]

    tracks, level = components(message)
    assert (tracks["min_values"], tracks["max_values"]) == (1, 2)
    assert tracks["options"][0]["description"] == "Pipelines, serving, monitoring"
    assert (level["min_values"], level["max_values"]) == (1, 1)
    chosen = await discord_.fake.interact(
        p.MESSAGE_COMPONENT,
        p.select_data(tracks["custom_id"], ["mlops", "data"]),
        ann,
        message=message,
    )
    await discord_.fake.answered(chosen)

    clicked = showcase.last(ActionClicked)
    assert isinstance(clicked, ActionClicked)
    assert (clicked.action_id, clicked.value, clicked.values) == (
        "show.tracks",
        "mlops",
        ("mlops", "data"),
    )
    assert message["content"] == "You chose mlops, data."


async def test_a_choice_input_is_a_select_inside_the_modal(
    shown: tuple[DiscordHarness, Showcase],
) -> None:
    discord_, showcase = shown
    ann = discord_.member("ann")
    opened = await discord_.slash("survey", ann)

    assert opened.callback_type == p.MODAL and opened.callback is not None
    level, wins = opened.callback["data"]["components"]
    assert (level["type"], level["label"]) == (18, "Your level")
    menu = level["component"]
    assert menu["type"] == 3 and menu["custom_id"] == "level"
    assert [o["value"] for o in menu["options"]] == ["new", "some", "senior"]
    assert [o["value"] for o in menu["options"] if o["default"]] == ["some"]
    assert wins["component"]["type"] == 4

    data = p.label_modal_data(
        opened.callback["data"]["custom_id"], {"level": ["senior"], "wins": "shipped it"}
    )
    submitted = await discord_.fake.interact(p.MODAL_SUBMIT, data, ann)
    await discord_.fake.answered(submitted)

    form = showcase.last(FormSubmitted)
    assert isinstance(form, FormSubmitted)
    assert (form.form_id, form.context) == ("show.survey", "week-48")
    assert dict(form.values) == {"level": "senior", "wins": "shipped it"}
