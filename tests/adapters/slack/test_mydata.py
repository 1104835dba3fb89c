"""`/mentor mydata export` and `/mentor mydata delete` through the real Bolt app and the fake
Slack: the JSON file lands in the member's DM with the document's exact bytes, and the erasure's
confirmation refuses another member and is stale once used."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.app import Core
from bot.chat import Actor
from bot.privacy import service
from bot.privacy.tables import PrivacyAudit
from bot.storage.tables import Member, Reminder
from tests.fakes.slack_server import TEAM_ID, FakeSlack
from tests.support.conversation import count
from tests.support.slack import MEMBER, SlackDriver, button, running

MALLORY = "U0MALLORY"


@pytest.fixture(params=["http", "socket"])
async def slack(
    core: Core, fake_slack: FakeSlack, request: pytest.FixtureRequest
) -> AsyncIterator[SlackDriver]:
    async with running(core, fake_slack, str(request.param)) as driver:
        yield driver


async def test_export_lands_in_the_dm_as_json(slack: SlackDriver, core: Core) -> None:
    await slack.command("remind in 1 hour alice's plan")

    exchange = await slack.command("mydata export")

    [answer] = exchange.posts
    assert answer["response_type"] == "ephemeral" and "Sent in your DMs" in exchange.text
    [upload] = slack.fake.shared_files(f"D{MEMBER}")
    async with core.context.transaction(Actor("slack", TEAM_ID, MEMBER)) as (session, member):
        document = await service.member_document(
            session, member, core.context.member_data, core.clock.now()
        )
    assert upload.filename.endswith(".json")
    assert upload.data == service.to_json(document)
    reminders = json.loads(upload.data)["data"]["reminders"]["reminders"]
    assert [r["text"] for r in reminders] == ["alice's plan"]
    assert slack.fake.shared_files("C0GENERAL") == []  # never in the channel


async def test_delete_is_confirmed_only_by_the_member_who_asked(
    slack: SlackDriver, core: Core
) -> None:
    await slack.command("remind in 1 hour alice's plan")
    asked = await slack.command("mydata delete")
    [question] = asked.posts
    assert "Delete everything mentorbot holds about you?" in asked.text

    refused = await slack.click(button(question, "mydata.delete"), user=MALLORY)
    assert "not yours" in refused.text
    assert await count(core, Reminder) == 1 and await count(core, PrivacyAudit) == 0

    confirmed = await slack.click(button(question, "mydata.delete"))
    assert "erased" in confirmed.text
    assert confirmed.posts[-1].get("replace_original") is True
    assert await count(core, Reminder) == 0 and await count(core, Member, user_id=MEMBER) == 0
    assert await count(core, PrivacyAudit) == 1

    again = await slack.click(button(question, "mydata.delete"))
    assert "nothing was deleted" in again.text and await count(core, PrivacyAudit) == 1


async def test_the_menu_buttons_export_ask_and_keep(slack: SlackDriver, core: Core) -> None:
    await slack.command("remind in 1 hour alice's plan")
    [menu] = (await slack.command("mydata")).posts

    exported = await slack.click(button(menu, "mydata.export"))
    assert "Sent in your DMs" in exported.text
    assert [f.filename.endswith(".json") for f in slack.fake.shared_files(f"D{MEMBER}")] == [True]

    asked = await slack.click(button(menu, "mydata.ask"))
    [question] = asked.posts
    kept = await slack.click(button(question, "mydata.keep"))
    assert "Nothing was deleted" in kept.text
    assert await count(core, Reminder) == 1 and await count(core, PrivacyAudit) == 0
    late = await slack.click(button(question, "mydata.delete"))  # the question was answered
    assert "nothing was deleted" in late.text and await count(core, Reminder) == 1
