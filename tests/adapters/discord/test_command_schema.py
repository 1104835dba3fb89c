"""Every kind of option the catalogue can describe becomes the matching Discord option."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord import commands
from bot.router import CommandSpec, MessageActionSpec, OptionSpec

SPEC = CommandSpec(
    "plan",
    "Plan something " + "long " * 40,
    options=(
        OptionSpec("topic", "What about", required=True, max_length=80),
        OptionSpec("level", "How deep", choices=("basic", "advanced")),
        OptionSpec("weeks", "How many weeks", kind="integer", choices=("2", "4")),
        OptionSpec("public", "Show it to the channel", kind="boolean"),
        OptionSpec("city", "Where", autocomplete=True),
    ),
)


async def _run(interaction: discord.Interaction[Any], name: str) -> None:
    raise AssertionError("not invoked here")


async def _complete(interaction: discord.Interaction[Any], current: str) -> list[Any]:
    return []


async def test_every_option_feature_is_published() -> None:
    client = discord.Client(intents=discord.Intents.none())
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    command = commands.slash_command(SPEC, _run, lambda option: _complete)
    payload = command.to_dict(tree)
    assert payload["name"] == "plan" and len(payload["description"]) <= 100
    assert payload["contexts"] == [0, 1] and payload["integration_types"] == [0]
    options = {option["name"]: option for option in payload["options"]}
    assert list(options) == ["topic", "level", "weeks", "public", "city"]
    assert options["topic"] == options["topic"] | {"type": 3, "required": True, "max_length": 80}
    assert [c["value"] for c in options["level"]["choices"]] == ["basic", "advanced"]
    assert options["weeks"]["type"] == 4
    assert [c["value"] for c in options["weeks"]["choices"]] == [2, 4]
    assert options["public"]["type"] == 5 and not options["public"]["required"]
    assert options["city"]["autocomplete"] is True


async def test_a_message_action_is_a_message_context_menu() -> None:
    async def run(interaction: Any, message: Any, name: str) -> None:
        raise AssertionError("not invoked here")

    spec = MessageActionSpec("remind-message", "Remind me about this")
    menu = commands.message_command(spec, run)
    client = discord.Client(intents=discord.Intents.none())
    payload = menu.to_dict(app_commands.CommandTree(client))
    assert payload["type"] == 3 and payload["name"] == "Remind me about this"
    assert payload["contexts"] == [0, 1]
