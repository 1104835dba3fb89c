"""`/mentor resources` on Slack: results with link, Save, Remind and More buttons, paging, the
external select standing in for autocomplete, saved, and suggestions with moderation."""

from __future__ import annotations

from tests.support.slack import CHANNEL, MEMBER, SlackDriver, _who, button, buttons

ADMIN = "U0BOSS"


async def test_results_carry_a_link_and_the_three_buttons(slack: SlackDriver) -> None:
    exchange = await slack.command("resources statistical learnin")
    [message] = exchange.posts
    assert "An Introduction to Statistical Learning" in exchange.text
    links = [b for b in buttons(message) if b.get("url")]
    assert links[0]["url"] == "https://www.statlearning.com/"
    actions = {b["action_id"].split("~")[0] for b in buttons(message) if not b.get("url")}
    assert {"rs.save", "rs.remind", "rs.more", "rs.page"} <= actions
    ids = [b["action_id"] for b in buttons(message)]
    assert len(ids) == len(set(ids)), "Slack needs distinct action ids in one message"


async def test_next_page_replaces_the_results(slack: SlackDriver) -> None:
    first = (await slack.command("resources deep learning")).posts[0]
    second = await slack.click(button(first, "rs.page"))
    assert second.posts[0]["replace_original"] is True
    assert "page 2 of" in second.text


async def test_save_then_saved_pages_and_remove(slack: SlackDriver) -> None:
    for query in ("polars", "pyspark", "dbt", "duckdb"):
        found = (await slack.command(f"resources {query}")).posts[0]
        saved = await slack.click(button(found, "rs.save"))
        assert "Saved" in saved.text
    listing = (await slack.command("resources saved")).posts[0]
    assert "(4, page 1 of 2)" in str(listing["blocks"])
    second = await slack.click(button(listing, "rs.savedpage"))
    assert "page 2 of 2" in second.text
    removed = await slack.click(button(listing, "rs.unsave"))
    assert "Removed" in removed.text
    assert "(3, page 1 of 1)" in (await slack.command("resources saved")).text


async def test_more_like_this(slack: SlackDriver) -> None:
    found = (await slack.command("resources designing machine learning systems")).posts[0]
    more = await slack.click(button(found, "rs.more"))
    assert "More like" in more.text and "Designing Machine Learning Systems" in more.text


async def test_remind_me_to_read_opens_a_modal_and_sets_a_reminder(slack: SlackDriver) -> None:
    found = (await slack.command("resources attention is all you need")).posts[0]
    opened = await slack.click(button(found, "rs.remind"))
    modal = slack.last_view()
    assert modal["callback_id"] == "rs.remind"
    bad = await slack.submit(modal, {"when": "when pigs fly"})
    assert bad.body["response_action"] == "errors" and set(bad.body["errors"]) == {"when"}
    ack = await slack.submit(modal, {"when": "tomorrow 9am"})
    assert ack.body.get("response_action") is None
    assert "Attention Is All You Need" in opened.text
    assert "Read: Attention Is All You Need" in (await slack.command("reminders")).text


async def test_without_a_query_an_external_select_completes_titles(slack: SlackDriver) -> None:
    asked = await slack.command("resources")
    [message] = asked.posts
    block_id = "mentorbot.complete:resources:query"
    [block] = [b for b in message["blocks"] if b.get("block_id") == block_id]
    [menu] = block["elements"]
    where = {
        "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
        "channel": {"id": CHANNEL, "name": "general"},
    }
    suggested = await slack.send(
        "interactive",
        {
            "type": "block_suggestion",
            "action_id": menu["action_id"],
            "block_id": block_id,
            "value": "desig",
            **_who(MEMBER),
            **where,
        },
    )
    options = suggested.body["options"]
    assert 1 <= len(options) <= 25
    assert options[0]["value"] == "Designing Machine Learning Systems"
    await slack.send(
        "interactive",
        {
            "type": "block_actions",
            "trigger_id": "trigger-r",
            **_who(MEMBER),
            **where,
            "actions": [
                {
                    "action_id": menu["action_id"],
                    "block_id": block_id,
                    "type": "external_select",
                    "selected_option": {"value": options[0]["value"]},
                }
            ],
            "message": {"type": "message", "ts": "1.0", "text": ""},
            "response_url": slack.fake.response_url("picked-resource"),
        },
    )
    [results] = [post.body for post in slack.fake.posted_to("picked-resource")]
    assert "1. Designing Machine Learning Systems" in str(results["blocks"])


async def test_a_suggestion_is_approved_by_an_admin_and_becomes_searchable(
    slack: SlackDriver,
) -> None:
    slack.fake.user(ADMIN, is_admin=True)
    sent = await slack.command("resources suggest https://example.org/rag-guide retrieval, clearly")
    assert "moderators" in sent.text
    review = (await slack.command("resources review", user=ADMIN)).posts[0]
    assert "example.org/rag-guide" in str(review["blocks"])
    await slack.click(button(review, "rs.approve"), user=ADMIN)
    modal = slack.last_view()
    assert modal["callback_id"] == "rs.approve"
    ack = await slack.submit(
        modal,
        {
            "title": "A RAG field guide",
            "kind": "article",
            "level": "intermediate",
            "topic": "rag",
            "cost": "free",
        },
        user=ADMIN,
    )
    assert ack.body.get("response_action") is None
    found = await slack.command("resources rag field guide")
    assert "A RAG field guide" in found.text


async def test_reject_and_non_admins_are_refused(slack: SlackDriver) -> None:
    slack.fake.user(ADMIN, is_admin=True)
    await slack.command("resources suggest https://example.org/spam buy now")
    review = (await slack.command("resources review", user=ADMIN)).posts[0]
    refused = await slack.click(button(review, "rs.reject"))  # the member, not an admin
    assert "Only this community's admins" in refused.text
    rejected = await slack.click(button(review, "rs.reject"), user=ADMIN)
    assert "Rejected https://example.org/spam" in rejected.text
