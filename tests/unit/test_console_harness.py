"""The console harness itself: what `say()` returns, and commands started by a trigger word."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import MAX_EXCERPT, Invocation, Response, reply
from bot.router import CommandSpec, OptionSpec
from bot.storage.tables import Reminder


async def test_said_is_the_lines_with_text_buttons_and_replies(chat: ConsoleChat) -> None:
    said = await chat.say("/remind in 1 hour stretch")
    assert isinstance(said, list) and said[0].startswith("✅")
    assert said.text == "\n".join(said)
    assert said.button("Cancel") == next(
        line.split("]")[0].split("[")[1] for line in said if "] Cancel" in line
    )
    assert said.replies[0].text.startswith("✅") and said.replies[0] in chat.replies
    with pytest.raises(LookupError, match=r"no button 'Snooze' in \['Cancel'\]"):
        said.button("Snooze")
    cancelled = await chat.say(said.button("Cancel"))
    assert cancelled.text.startswith("🗑 Cancelled")
    assert cancelled.buttons == {}


async def test_console_notes_are_said_too(chat: ConsoleChat) -> None:
    note = await chat.say("just chatting")
    assert note == ["(you said it as message m1)"] and note.replies == []
    assert (await chat.say("/as bob")).text == "You are now bob."
    assert (await chat.say("99")).text == "There is no button [99]."


async def test_a_trigger_word_starts_its_command_with_the_whole_message(
    core: Core, chat: ConsoleChat
) -> None:
    heard: list[Invocation] = []

    async def echo(event: Invocation) -> Response:
        heard.append(event)
        return reply(f"echo: {event.options['words']}")

    spec = CommandSpec(
        "echo",
        "Say it back",
        options=(OptionSpec("words", "What"),),
        rest="words",
        triggers=("Echo!",),
    )
    core.router.command(spec, echo)

    said = await chat.say("ECHO! hello there")
    assert said.text == "echo: ECHO! hello there"
    assert [(event.command, dict(event.options)) for event in heard] == [
        ("echo", {"words": "ECHO! hello there"})
    ]
    assert (await chat.say("echo hello")) == [  # no trigger: a message, and the command to type
        "(you said it as message m1)",
        "To run it as a command, type `/echo hello` (with the /).",
    ]


async def test_remindme_comes_from_the_catalogue(core: Core, chat: ConsoleChat) -> None:
    remind = next(spec for spec in core.router.catalogue if spec.name == "remind")
    assert "RemindMe!" in remind.triggers
    said = await chat.say("remindmerepeat! 1 week water the plants")
    assert "water the plants" in said.text and "every week" in said.text.lower()


async def test_a_long_message_is_cut_once_by_the_core(chat: ConsoleChat, core: Core) -> None:
    await chat.say("word " * 200)  # adapters pass the whole text: the excerpt policy is the core's
    await chat.say("/remind-message")
    await chat.say("in 1 hour")
    done = await chat.say("")
    assert done[0].startswith("✅"), done.text
    async with core.sessions() as session:
        excerpt = await session.scalar(select(Reminder.source_excerpt))
    assert excerpt is not None and len(excerpt) == MAX_EXCERPT and excerpt.endswith("…")
