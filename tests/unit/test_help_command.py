"""`/help`: every command from the catalogue, the message action, and a pointer for unknown ones."""

from __future__ import annotations

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import Actor, Invocation, Place


async def test_help_lists_every_command_in_the_catalogue(chat: ConsoleChat, core: Core) -> None:
    text = (await chat.say("/help")).text
    specs = list(core.router.catalogue)
    assert {spec.name for spec in specs} >= {"remind", "reminders", "timezone", "help"}
    for spec in specs:
        assert f"• /{spec.name}: {spec.description}" in text
        assert spec.usage.split(" · ")[0] in text


async def test_help_lists_the_message_action(chat: ConsoleChat, core: Core) -> None:
    text = (await chat.say("/help")).text
    actions = list(core.router.message_catalogue)
    assert actions
    for action in actions:
        assert f"On any message: “{action.label}”" in text


async def test_help_is_private_in_a_channel(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    lines = await chat.say("/help")
    assert lines[0] == "(only you can see this)"


async def test_unknown_command_points_to_help(chat: ConsoleChat) -> None:
    lines = await chat.say("/foo bar")
    assert lines == ["⚠️ I don't know /foo. Try /help."]


async def test_unknown_command_from_a_platform_is_answered_not_raised(core: Core) -> None:
    actor = Actor("console", "local", "you", is_admin=True)
    response = await core.dispatch(Invocation("x" * 200, {}, actor, Place("dm", True)))
    assert response.replies[0].private
    assert response.text == f"⚠️ I don't know `/{'x' * 40}`. Try `/help`."
