"""A member's bookmarks and suggestions are in their data export and go with their deletion;
nobody else's do."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Core
from bot.chat import ActionClicked, Actor, Invocation, Place
from bot.resources.tables import ResourceBookmark, ResourceSuggestion

PLACE = Place("c1", is_dm=False)


def actor(name: str) -> Actor:
    return Actor("console", "local", name, display_name=name)


async def test_export_and_delete_cover_bookmarks_and_suggestions(core: Core) -> None:
    you, bob = actor("you"), actor("bob")
    for who in (you, bob):
        await core.dispatch(ActionClicked("rs.save", "islp", who, PLACE))
        await core.dispatch(
            Invocation(
                "resources", {"query": f"suggest https://example.org/{who.user_id}"}, who, PLACE
            )
        )

    mine = await core.export_member(you)
    part = mine["resources"]
    assert [b["resource_id"] for b in part["saved"]] == ["islp"]
    assert [(s["url"], s["status"]) for s in part["suggested"]] == [
        ("https://example.org/you", "pending")
    ]

    removed = await core.delete_member(you)
    assert removed["resources"] == 2
    async with core.context.sessions() as session:
        left = (await session.scalars(select(ResourceSuggestion.url))).all()
        saved = (await session.scalars(select(ResourceBookmark.resource_id))).all()
    assert left == ["https://example.org/bob"]
    assert saved == ["islp"]


async def test_the_home_mentions_saved_resources_only_when_there_are_some(core: Core) -> None:
    you = actor("you")
    assert "saved resource" not in (await core.home(you)).text
    for resource_id in ("islp", "ddia"):
        await core.dispatch(ActionClicked("rs.save", resource_id, you, PLACE))
    assert "2 saved resource(s)" in (await core.home(you)).text
    assert "saved resource" not in (await core.home(actor("bob"))).text
