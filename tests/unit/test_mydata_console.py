"""`/mydata` on the console: the export is a DM whose JSON file is saved where the console keeps
files, and the erasure asks first, refuses another member's press, and leaves only the audit."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.privacy import service
from bot.privacy.tables import PrivacyAudit
from bot.storage.tables import Member, Reminder
from tests.support.conversation import count


def saved_file(text: str) -> Path:
    """The path the console printed for a file it saved."""
    [line] = [line for line in text.splitlines() if ".json" in line]
    path = Path(line.split()[-1].strip("<>()"))
    assert path.exists(), line
    return path


async def test_export_is_a_dm_with_the_json_file(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/remind in 1 hour water the plants")

    said = await chat.say("/mydata export")

    assert "Sent here: your data as JSON" in said.text
    dm = await chat.next_dm()
    assert "📬 DM to you:" in dm.text
    async with core.context.transaction(chat.actor()) as (session, member):
        document = await service.member_document(
            session, member, core.context.member_data, core.clock.now()
        )
    data = saved_file(dm.text).read_bytes()
    assert data == service.to_json(document)
    assert json.loads(data)["data"]["reminders"]["reminders"][0]["text"] == "water the plants"


async def test_an_unknown_action_is_explained(chat: ConsoleChat) -> None:
    said = await chat.say("/mydata @everyone")
    assert "/mydata takes export or delete, not" in said.text


async def test_delete_asks_refuses_others_and_erases_once(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/remind in 1 hour water the plants")
    await chat.say("/remind in 1 hour bob's plants", as_user="bob")
    asked = await chat.say("/mydata delete")
    assert "Delete everything mentorbot holds about you?" in asked.text

    refused = await chat.say(asked.button("Delete everything") + "!", as_user="bob")
    assert "not yours" in refused.text
    assert await count(core, Reminder) == 2

    done = await chat.say(asked.button("Delete everything") + "!")
    assert "everything mentorbot held about you is erased" in done.text
    assert await count(core, Reminder) == 1  # bob's
    assert await count(core, Member, user_id="you") == 0
    assert await count(core, PrivacyAudit) == 1

    again = await chat.say(asked.button("Delete everything") + "!")
    assert "nothing was deleted" in again.text
    assert await count(core, PrivacyAudit) == 1


async def test_a_confirmation_expires_after_ten_minutes(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    await chat.say("/remind in 1 hour water the plants")
    asked = await chat.say("/mydata delete")
    clock.advance(timedelta(minutes=11))

    late = await chat.say(asked.button("Delete everything") + "!")

    assert "has expired: nothing was deleted" in late.text
    assert await count(core, Reminder) == 1 and await count(core, PrivacyAudit) == 0
