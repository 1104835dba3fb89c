"""The console chat with the newer parts: files saved and their paths printed, link and
disabled buttons, a multi-select answered with `1,3`, a choice input answered by number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import ActionClicked, Channel, FormSubmitted, Recipient, Reply
from tests.fakes.showcase import CHART, EXPORT, Showcase


@pytest.fixture
def showcase(core: Core) -> Showcase:
    shown = Showcase()
    shown.register(core.router)
    return shown


async def said(chat: ConsoleChat, line: str) -> list[str]:
    """What the console printed in answer to `line` (read from the transcript)."""
    before = len(chat.transcript)
    await chat.say(line)
    return chat.transcript[before:]


def saved_paths(lines: list[str]) -> dict[str, Path]:
    return {
        match.group(1): Path(match.group(2))
        for line in lines
        if (match := re.search(r"📎 (\S+) \(.*\): (.+)$", line))
    }


def number_of(lines: list[str], label: str) -> str:
    for line in lines:
        found = re.search(rf"\[(\d+)\] {re.escape(label)}", line)
        if found:
            return found.group(1)
    raise AssertionError(f"no [n] {label} in {lines}")


async def test_a_reply_with_files_saves_them_and_prints_where(
    chat: ConsoleChat, showcase: Showcase
) -> None:
    lines = await said(chat, "/report")

    paths = saved_paths(lines)
    assert paths["chart.png"].read_bytes() == CHART.data
    assert paths["reminders.csv"].read_bytes() == EXPORT.data
    assert paths["chart.png"].parent == Path("mentorbot-files")
    assert any("(image/png, " in line for line in lines)
    assert any("🔗 Docs <https://example.org/docs>" in line for line in lines)
    assert any("[-] (Sent)" in line for line in lines)

    again = saved_paths(await said(chat, "/report"))
    assert again["chart.png"] == Path("mentorbot-files/chart-2.png")  # never overwritten


async def test_a_dm_and_a_channel_post_carry_files(chat: ConsoleChat, core: Core) -> None:
    recipient = Recipient("console", "local", "you")
    await chat.messenger.send_direct(recipient, Reply("Export", attachments=(EXPORT,)), key="k")
    dm = await chat.next_dm()
    posted = await chat.messenger.post(
        Channel("console", "local", "general"), Reply("Weekly", attachments=(CHART,)), key="p"
    )

    assert dm[0] == "📬 DM to you:"
    assert saved_paths(dm)["reminders.csv"].read_bytes() == EXPORT.data
    post = chat.transcript[chat.transcript.index("📣 #general:") :]
    assert post[1] == "Weekly" and posted.startswith("post")
    assert saved_paths(post)["chart.png"].read_bytes() == CHART.data


async def test_several_choices_at_once(chat: ConsoleChat, showcase: Showcase) -> None:
    lines = await said(chat, "/pick")
    assert any("(choose 1 to 2, e.g. `1,3`)" in line for line in lines)
    assert any("MLOps — Pipelines, serving, monitoring" in line for line in lines)

    answer = await said(chat, f"{number_of(lines, 'MLOps')},{number_of(lines, 'Data engineering')}")

    clicked = showcase.last(ActionClicked)
    assert isinstance(clicked, ActionClicked)
    assert (clicked.value, clicked.values) == ("mlops", ("mlops", "data"))
    assert "You chose mlops, data." in answer[-1]
    mixed = await said(chat, f"{number_of(lines, 'MLOps')},{number_of(lines, 'Senior')}")
    assert mixed == ["Type numbers of one menu's choices, e.g. `1,3`."]


async def test_a_choice_input_is_answered_by_number(chat: ConsoleChat, showcase: Showcase) -> None:
    opened = await said(chat, "/survey")
    assert opened[:2] == ["📝 Weekly check-in", "  Your level [some] (type a number):"]
    assert "    [3] Senior" in opened

    assert (await said(chat, "9"))[0].startswith("  Please type one of the numbers")
    await said(chat, "3")
    await said(chat, "shipped it")

    form = showcase.last(FormSubmitted)
    assert isinstance(form, FormSubmitted)
    assert dict(form.values) == {"level": "senior", "wins": "shipped it"}


async def test_field_errors_are_shown(chat: ConsoleChat) -> None:
    await said(chat, "/remind in 1 hour stretch")
    listing = await said(chat, "/reminders")
    await said(chat, number_of(listing, "Edit 1"))
    await said(chat, "whenever pigs fly")

    answer = await said(chat, "")

    assert any(line.startswith("  ⚠ when: ") for line in answer), answer
