"""`/mydata export` and `/mydata delete` through the real discord.py client and the fake Discord:
the JSON file arrives by DM with exactly the bytes of the member's document, and the erasure's
confirmation refuses anyone but the member who asked."""

from __future__ import annotations

import copy
import json

from bot.app import Core
from bot.chat import Actor
from bot.privacy import service
from bot.privacy.tables import PrivacyAudit
from bot.storage.tables import Member, Reminder
from tests.fakes import discord_payloads as p
from tests.support.conversation import count
from tests.support.discord import DiscordHarness, buttons_of, is_ephemeral, text_of


async def expected_export(core: Core, actor: Actor) -> bytes:
    async with core.context.transaction(actor) as (session, member):
        document = await service.member_document(
            session, member, core.context.member_data, core.clock.now()
        )
    return service.to_json(document)


async def test_export_arrives_by_dm_as_json(discord_: DiscordHarness, core: Core) -> None:
    ann = discord_.member("ann")
    await discord_.slash("remind", ann, when="in 1 hour", what="ann's plan")

    record = await discord_.slash("mydata", ann, action="export")

    [answer] = await discord_.settled(record)
    assert is_ephemeral(answer) and "Sent in your DMs" in text_of(answer)
    [dm] = await discord_.dms(ann)
    [upload] = discord_.fake.files_of(dm)
    assert upload.filename.endswith(".json") and upload.content_type == "application/json"
    assert discord_.client is not None
    actor = Actor("discord", discord_.client.scope.workspace_id, ann.id)
    assert upload.data == await expected_export(core, actor)
    document = json.loads(upload.data)
    assert [r["text"] for r in document["data"]["reminders"]["reminders"]] == ["ann's plan"]


async def test_delete_asks_and_only_the_member_who_asked_can_confirm(
    discord_: DiscordHarness, core: Core
) -> None:
    ann, mallory = discord_.member("ann"), discord_.member("mallory")
    await discord_.slash("remind", ann, when="in 1 hour", what="ann's plan")
    asked = await discord_.slash("mydata", ann, action="delete")
    [question] = await discord_.settled(asked)
    assert "Delete everything mentorbot holds about you?" in text_of(question)
    assert set(buttons_of(question)) == {"Delete everything", "Keep my data"}
    as_asked = copy.deepcopy(question)  # the message is updated in place once confirmed

    refused = await discord_.click(question, "Delete everything", mallory)
    [answer] = await discord_.settled(refused)
    assert is_ephemeral(answer) and "not yours" in text_of(answer)
    assert await count(core, Reminder) == 1 and await count(core, PrivacyAudit) == 0

    confirmed = await discord_.click(question, "Delete everything", ann)
    assert confirmed.callback_type == p.UPDATE_MESSAGE
    assert "erased" in text_of(confirmed.callback["data"])  # type: ignore[index]
    assert await count(core, Reminder) == 0
    assert await count(core, Member, user_id=ann.id) == 0
    assert await count(core, PrivacyAudit) == 1

    again = await discord_.click(as_asked, "Delete everything", ann)  # a stale confirmation
    [stale] = await discord_.settled(again)
    assert "nothing was deleted" in text_of(stale)
    assert await count(core, PrivacyAudit) == 1


async def test_closed_dms_are_explained_and_the_file_goes_nowhere_else(
    discord_: DiscordHarness,
) -> None:
    ann = discord_.member("ann")
    discord_.fake.closed_dms.add(ann.id)

    record = await discord_.slash("mydata", ann, action="export")

    [answer] = await discord_.settled(record)
    assert is_ephemeral(answer) and "I couldn't DM you your data" in text_of(answer)
    assert discord_.fake.files_of(answer) == [] and discord_.fake.dms(ann.id) == []
    shown = discord_.fake.channel_messages.get(discord_.fake.channel_id, [])
    assert all(discord_.fake.files_of(message) == [] for message in shown)
