"""The ranking stays honest: every labelled query finds its resources in the top 3."""

from __future__ import annotations

import pytest

from bot.content.loader import load_content
from bot.resources.search import SearchIndex
from tests.unit.resource_queries import LABELLED


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    content = load_content()
    return SearchIndex(content.resources, content.topics, content.roles)


def test_the_labelled_set_is_big_enough_and_names_real_resources() -> None:
    ids = {r.id for r in load_content().resources}
    assert len(LABELLED) >= 40
    assert all(set(expected) <= ids for _, expected in LABELLED)


@pytest.mark.parametrize(("query", "expected"), LABELLED, ids=[q for q, _ in LABELLED])
def test_labelled_query_finds_its_resources_in_the_top_three(
    index: SearchIndex, query: str, expected: tuple[str, ...]
) -> None:
    top = [hit.resource.id for hit in index.search(query, limit=3)]
    assert set(expected) <= set(top), f"{query!r} gave {top}"
