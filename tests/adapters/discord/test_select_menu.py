"""A select menu (the core has none yet; a stub core shows the adapter carries it both ways)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.chat import ActionClicked, Choice, Event, Response, Select, reply
from bot.router import CommandSpec, Router
from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import DiscordHarness


class PickerCore:
    """Answers `/pick` with a select and records what comes back."""

    def __init__(self) -> None:
        self.router = Router()
        self.router.command(CommandSpec("pick", "Pick a track"), self.pick)
        self.events: list[Event] = []

    async def pick(self, event: Event) -> Response:
        raise AssertionError("dispatch handles it")

    async def dispatch(self, event: Event) -> Response:
        self.events.append(event)
        if isinstance(event, ActionClicked):
            return reply(f"You chose {event.value}.", update=True)
        tracks = (Choice("MLOps", "mlops"), Choice("Research engineering", "research"))
        return reply("Which track?", selects=(Select("track.pick", "Choose a track", tracks),))


@pytest.fixture
async def picker(fake: FakeDiscord) -> AsyncIterator[tuple[DiscordHarness, PickerCore]]:
    core = PickerCore()
    harness = DiscordHarness(fake, core)
    await harness.start()
    try:
        yield harness, core
    finally:
        await harness.stop()


async def test_choosing_an_option_reaches_the_core_as_a_click(
    picker: tuple[DiscordHarness, PickerCore],
) -> None:
    harness, core = picker
    ann = harness.member("ann")
    record = await harness.slash("pick", ann)
    message = record.messages[0]
    [row] = message["components"]
    [menu] = row["components"]
    assert menu["custom_id"] == "track.pick:" and menu["type"] == 3
    assert [option["value"] for option in menu["options"]] == ["mlops", "research"]
    chosen = await harness.fake.interact(
        p.MESSAGE_COMPONENT, p.select_data(menu["custom_id"], ["research"]), ann, message=message
    )
    await harness.fake.answered(chosen)
    assert message["content"] == "You chose research."
    clicked = core.events[-1]
    assert isinstance(clicked, ActionClicked)
    assert (clicked.action_id, clicked.value, clicked.actor.user_id) == (
        "track.pick",
        "research",
        ann.id,
    )
