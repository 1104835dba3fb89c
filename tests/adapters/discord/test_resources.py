"""`/resources` on Discord: autocomplete as you type, results with link and action buttons,
paging that edits the message, the reminder modal, and an owner approving a suggestion."""

from __future__ import annotations

from typing import Any

from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import InteractionRecord
from tests.support.discord import DiscordHarness, is_ephemeral, text_of

Json = dict[str, Any]


def buttons_of(message: Json) -> dict[str, str]:
    """Label -> custom_id of the action buttons (link buttons carry a url, no custom_id)."""
    return {
        c["label"]: c["custom_id"]
        for row in message.get("components") or []
        for c in row.get("components", [])
        if c.get("type") == 2 and "custom_id" in c
    }


async def click(
    discord_: DiscordHarness, message: Json, label: str, member: p.Member
) -> InteractionRecord:
    record = await discord_.fake.interact(
        p.MESSAGE_COMPONENT,
        p.button_data(buttons_of(message)[label]),
        member,
        in_dm="guild_id" not in message,
        message=message,
    )
    await discord_.fake.answered(record)
    return record


async def test_the_query_autocompletes_titles_as_you_type(discord_: DiscordHarness) -> None:
    choices = await discord_.autocomplete("resources", discord_.member("ann"), "query", "desig")
    assert 1 <= len(choices) <= 25
    assert choices[0]["value"] == "Designing Machine Learning Systems"
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


async def test_results_page_and_save(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    record = await discord_.slash("resources", ann, query="deep learning", level="advanced")
    [message] = record.messages
    assert is_ephemeral(message)
    assert "level `advanced`" in text_of(message) or "level advanced" in text_of(message)
    links = [
        c["url"] for row in message["components"] for c in row["components"] if c.get("style") == 5
    ]
    assert links and all(url.startswith("https://") for url in links)
    assert {"Save 1", "Remind me to read 1", "More like 1", "Next ▶"} <= set(buttons_of(message))
    paged = await click(discord_, message, "Next ▶", ann)
    assert paged.callback_type == p.UPDATE_MESSAGE
    assert "page 2 of" in text_of(message)
    saved = await click(discord_, message, "Save 4", ann)
    assert "Saved" in text_of(saved.messages[0])
    listing = (await discord_.slash("resources", ann, query="saved")).messages[0]
    assert "Your saved resources (1, page 1 of 1)" in text_of(listing).replace("**", "")


async def test_remind_me_to_read_opens_a_modal(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    message = (await discord_.slash("resources", ann, query="attention is all you need")).messages[
        0
    ]
    opened = await click(discord_, message, "Remind me to read 1", ann)
    assert opened.callback_type == p.MODAL
    submitted = await discord_.submit(opened, ann, when="in 3 days")
    assert "Attention Is All You Need" in text_of(submitted.messages[0])
    listing = (await discord_.slash("reminders", ann)).messages[0]
    assert "Read: Attention Is All You Need" in text_of(listing)


async def test_the_owner_approves_a_suggestion(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    owner = p.Member(discord_.fake.owner_id, "owner")
    sent = await discord_.slash(
        "resources", ann, query="suggest https://example.org/evals-101 solid"
    )
    assert "moderators" in text_of(sent.messages[0])
    refused = await discord_.slash("resources", ann, query="review")
    assert "Only this community's admins" in text_of(refused.messages[0])
    review = (await discord_.slash("resources", owner, query="review")).messages[0]
    opened = await click(discord_, review, "Approve 1", owner)
    assert opened.callback_type == p.MODAL and opened.callback is not None
    data = p.label_modal_data(
        opened.callback["data"]["custom_id"],
        {
            "title": "Evals 101",
            "kind": ["article"],
            "level": ["beginner"],
            "topic": "evals",
            "cost": ["free"],
        },
    )
    submitted = await discord_.fake.interact(p.MODAL_SUBMIT, data, owner)
    await discord_.fake.answered(submitted)
    found = (await discord_.slash("resources", ann, query="evals 101")).messages[0]
    assert "Evals 101" in text_of(found)
