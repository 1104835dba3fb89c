"""Command names in replies are code spans, so Slack can show them as `/mentor <name>`."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.console.chat import ConsoleChat
from adapters.slack.render import Renderer
from bot.app import Core
from bot.clock import FakeClock
from bot.reminders.firing import Fired, message
from tests.support.conversation import command_mentions_outside_code

CORE = Path(__file__).resolve().parents[2] / "bot"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal as markup would see it (f-string holes become `X`), with its line."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "usage":
            skip.add(id(node.value))  # raw command lines; `/help` wraps them in code spans
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
        if isinstance(node, ast.Call) and _name(node.func) == "code":
            skip.update(id(arg) for arg in node.args)  # markup.code("/reminders") is the fix
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "X" for part in node.values
            )
            found.append((node.lineno, text))
    return found


@pytest.fixture
def commands(core: Core) -> tuple[str, ...]:
    """Every name in the catalogue: a new feature's commands are checked without a list here."""
    names = (
        *(s.name for s in core.router.catalogue),
        *(s.name for s in core.router.message_catalogue),
    )
    assert {"remind", "reminders", "help"} <= set(names)
    return names


def test_core_source_never_names_a_command_outside_a_code_span(commands: tuple[str, ...]) -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _literals(tree):
            if command_mentions_outside_code(text, commands):
                offenders.append(f"{path.relative_to(CORE.parent)}:{line}: {text!r}")
    assert offenders == []


def test_the_check_itself_catches_plain_mentions(commands: tuple[str, ...]) -> None:
    assert command_mentions_outside_code("manage it with /reminders.", commands) == ["/reminders"]
    assert command_mentions_outside_code("__use /timezone berlin__", commands) == ["/timezone"]
    assert command_mentions_outside_code("use `/timezone berlin`", commands) == []
    assert command_mentions_outside_code("see docs/help.md or /remindme", commands) == []


async def test_every_reply_in_a_conversation_uses_code_spans(
    chat: ConsoleChat, clock: FakeClock, commands: tuple[str, ...]
) -> None:
    await chat.say("/remind every monday 9am review goals")
    await chat.say("/help")
    await chat.say("/foo")
    await chat.say("/timezone")
    await chat.say("/timezone Nowhereville")
    await chat.say("/remind whenever")
    listed = await chat.say("/reminders")
    await chat.say(listed.button("Pause 1"))
    await chat.say((await chat.say("/reminders")).button("Resume 1"))
    await chat.say("/remind in 1 hour stretch", as_user="newcomer")
    await chat.say("/reminders", as_user="someone-with-nothing")
    clock.advance(timedelta(days=7))
    dms = [*(await chat.next_dm()).replies, *(await chat.next_dm()).replies]  # both are due

    assert any("/reminders" in reply.text for reply in dms)  # the repeating DM names the command
    replies = [reply.text for reply in chat.replies]  # the markup of every answer and DM
    assert len(replies) >= 14
    offenders = [text for text in replies if command_mentions_outside_code(text, commands)]
    assert offenders == []


def test_repeating_dm_shows_the_slack_subcommand(core: Core) -> None:
    fired = Fired(
        delivery_id=7,
        text="review goals",
        rule="FREQ=WEEKLY;BYDAY=MO",
        source_link=None,
        source_excerpt=None,
    )
    text = message(fired).text
    assert "`/mentor reminders`" in Renderer.for_catalogue(core.router.catalogue).mrkdwn(text)
