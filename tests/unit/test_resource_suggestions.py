"""`/resources suggest`: members suggest, admins approve or reject, approved links are found in
that workspace only, credited to the member."""

from __future__ import annotations

from bot.app import Core
from bot.chat import ActionClicked, Actor, FormSubmitted, Invocation, Place, Response

PLACE = Place("c1", is_dm=False)
URL = "https://example.org/guides/embeddings"


def member(user: str, workspace: str = "w1", *, admin: bool = False) -> Actor:
    return Actor("discord", workspace, user, display_name=user.title(), is_admin=admin)


async def say(core: Core, actor: Actor, query: str) -> Response:
    return await core.dispatch(Invocation("resources", {"query": query}, actor, PLACE))


def button_value(response: Response, label: str) -> str:
    for row in response.replies[0].buttons:
        for button in row:
            if button.label == label:
                return button.value
    raise AssertionError(f"no {label!r} in {response.replies[0].buttons}")


async def suggest_and_open_review(core: Core) -> tuple[Actor, Response]:
    ada, boss = member("ada"), member("boss", admin=True)
    sent = await say(core, ada, f"suggest {URL} a clear intro to vector embeddings")
    assert "sent https://example.org/guides/embeddings to this community's moderators" in sent.text
    review = await say(core, boss, "review")
    assert "1 suggestion(s) to review" in review.text
    assert "from Ada — a clear intro to vector embeddings" in review.text
    return boss, review


async def test_an_approved_suggestion_is_searchable_here_credited_and_nowhere_else(
    core: Core,
) -> None:
    boss, review = await suggest_and_open_review(core)
    suggestion = button_value(review, "Approve 1")
    form = await core.dispatch(ActionClicked("rs.approve", suggestion, boss, PLACE))
    opened = form.replies[0].form
    assert opened is not None and [i.input_id for i in opened.inputs] == [
        "title",
        "kind",
        "level",
        "topic",
        "cost",
    ]
    bad = await core.dispatch(
        FormSubmitted(
            "rs.approve",
            {
                "title": "Embeddings, explained",
                "kind": "article",
                "level": "beginner",
                "topic": "underwater basket weaving",
                "cost": "free",
            },
            boss,
            PLACE,
            suggestion,
        )
    )
    assert bad.replies[0].field_errors and bad.replies[0].field_errors[0][0] == "topic"
    approved = await core.dispatch(
        FormSubmitted(
            "rs.approve",
            {
                "title": "Embeddings, explained",
                "kind": "article",
                "level": "beginner",
                "topic": "embeddings",
                "cost": "free",
            },
            boss,
            PLACE,
            suggestion,
        )
    )
    assert "Approved" in approved.text and "Embeddings, explained" in approved.text

    found = await say(core, member("cy"), "embeddings explained")
    assert "1. Embeddings, explained" in found.text
    assert "Suggested by Ada for this community." in found.text
    elsewhere = await say(core, member("cy", workspace="w2"), "embeddings explained")
    assert "Embeddings, explained" not in elsewhere.text
    again = await core.dispatch(ActionClicked("rs.reject", suggestion, boss, PLACE))
    assert "already approved" in again.text


async def test_rejecting_keeps_it_out_of_search(core: Core) -> None:
    boss, review = await suggest_and_open_review(core)
    rejected = await core.dispatch(
        ActionClicked("rs.reject", button_value(review, "Reject 1"), boss, PLACE)
    )
    assert f"Rejected {URL}" in rejected.text
    assert "No suggestions are waiting" in (await say(core, boss, "review")).text
    assert "example.org" not in (await say(core, member("cy"), "vector embeddings")).text


async def test_only_admins_review_approve_and_reject(core: Core) -> None:
    _, review = await suggest_and_open_review(core)
    suggestion = button_value(review, "Approve 1")
    ada = member("ada")
    assert "Only this community's admins" in (await say(core, ada, "review")).text
    for action in ("rs.approve", "rs.reject"):
        refused = await core.dispatch(ActionClicked(action, suggestion, ada, PLACE))
        assert "Only this community's admins" in refused.text
    forged = await core.dispatch(
        FormSubmitted("rs.approve", {"topic": "llm"}, ada, PLACE, suggestion)
    )
    assert "Only this community's admins" in forged.text


async def test_an_admin_of_another_workspace_cannot_decide(core: Core) -> None:
    _, review = await suggest_and_open_review(core)
    stranger = member("eve", workspace="w2", admin=True)
    answer = await core.dispatch(
        ActionClicked("rs.reject", button_value(review, "Reject 1"), stranger, PLACE)
    )
    assert "can't find that suggestion" in answer.text


async def test_admins_hear_about_waiting_suggestions_after_their_commands(core: Core) -> None:
    await say(core, member("ada"), f"suggest {URL}")
    boss = member("boss", admin=True)
    after = await say(core, boss, "statistics")
    assert "1 resource suggestion(s) wait for review" in after.text
    assert "wait for review" not in (await say(core, member("cy"), "statistics")).text


async def test_a_bad_link_is_explained(core: Core) -> None:
    ada = member("ada")
    for link in (
        "example.org",
        "http://example.org/x",
        "https://exa mple.org",
        "javascript:alert(1)",
    ):
        answer = await say(core, ada, f"suggest {link} because")
        assert "doesn't look right" in answer.text, link
    assert "Tell me the link" in (await say(core, ada, "suggest")).text
