"""Search forgives and never fails: hostile input, filters that narrow, more like this."""

from __future__ import annotations

import pytest

from bot.content.loader import load_content
from bot.content.schema import Resource
from bot.resources.search import Filters, SearchIndex


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    content = load_content()
    return SearchIndex(content.resources, content.topics, content.roles)


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "mlops AND OR NOT",
        "-x:* NEAR/3 (deploy)",
        "title:pytorch^2 ~fuzzy",
        "'; DROP TABLE resources; --",
        "🤖🚀 pytorch",
        "x" * 5000,
        "ml " * 2000,
        "\x00\x1b[31mred",
        "%_%",
    ],
)
def test_any_input_returns_results_or_nothing_never_an_error(
    index: SearchIndex, query: str
) -> None:
    hits = index.search(query, limit=10)
    assert len(hits) <= 10
    assert all(h.score > 0 for h in hits)


@pytest.mark.parametrize("query", ["!!!", "🤖🤖", "   ...   ", "—"])
def test_only_punctuation_or_emoji_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_an_empty_query_lists_what_the_filters_admit_beginner_first(index: SearchIndex) -> None:
    hits = index.search("", Filters(role="data-engineer"))
    assert hits and all("data-engineer" in h.resource.roles for h in hits)
    levels = [h.resource.level for h in hits]
    assert levels == sorted(levels, key=["beginner", "intermediate", "advanced"].index)


def test_filters_narrow_and_combine(index: SearchIndex) -> None:
    everything = index.search("deep learning")
    narrowed = index.search("deep learning", Filters(kind="book", level="advanced", free=True))
    assert 0 < len(narrowed) < len(everything)
    for hit in narrowed:
        assert (hit.resource.kind, hit.resource.level, hit.resource.cost) == (
            "book",
            "advanced",
            "free",
        )


def test_filter_values_are_understood_forgivingly(index: SearchIndex) -> None:
    resolved = index.resolve(role="MLE", topic="large language model", level="adv", kind="certs")
    assert resolved.filters == Filters(
        role="ml-engineer", topic="llm", level="advanced", kind="certification"
    )
    assert resolved.notes == ()
    assert index.resolve(role="ml ops").filters.role == "mlops-engineer"
    assert index.resolve(topic="statistcs").filters.topic == "statistics"


def test_a_filter_that_means_nothing_is_noted_and_ignored(index: SearchIndex) -> None:
    resolved = index.resolve(role="astronaut", kind="book")
    assert resolved.filters == Filters(kind="book")
    assert resolved.notes == ("role “astronaut”",)


@pytest.mark.parametrize("query", ["llm", "LLMs", "large language models", "genai"])
def test_topic_synonyms_find_what_is_filed_under_the_topic(index: SearchIndex, query: str) -> None:
    top = index.search(query, limit=5)
    assert len(top) == 5
    assert all("llm" in hit.resource.topics for hit in top), [h.resource.id for h in top]


def test_spacing_and_hyphens_do_not_matter(index: SearchIndex) -> None:
    for query in ("ml-ops", "ML Ops", "mlops"):
        assert "mlops" in index.search(query, limit=1)[0].resource.topics
    assert index.search("scikitlearn", limit=1)[0].resource.id == "scikit-learn-user-guide"


def test_autocomplete_is_capped_at_25(index: SearchIndex) -> None:
    assert len(index.complete("a", limit=25)) <= 25
    assert index.complete("desig", limit=25)[0].resource.id == "designing-ml-systems"


def test_more_like_this_shares_topics_and_skips_itself(index: SearchIndex) -> None:
    similar = index.similar("designing-ml-systems", limit=5)
    assert len(similar) == 5
    base = index.resources[[r.id for r in index.resources].index("designing-ml-systems")]
    for hit in similar:
        assert hit.resource.id != base.id
        assert set(hit.resource.topics) & set(base.topics)
    assert index.similar("no-such-resource") == []


def test_best_for_a_role_and_level(index: SearchIndex) -> None:
    picks = index.best_for("decision-scientist", "beginner", limit=3)
    assert 1 <= len(picks) <= 3
    assert all(p.level == "beginner" and "decision-scientist" in p.roles for p in picks)
    assert index.best_for("no-such-role", "beginner") == []


def test_extra_resources_are_searched_with_the_library(index: SearchIndex) -> None:
    suggestion = Resource(
        id="s-1",
        title="Feature engineering for tabular data",
        authors=["Ada Example"],
        url="https://example.org/fe",
        kind="article",
        level="intermediate",
        roles=["data-scientist"],
        topics=["ml-fundamentals"],
        cost="free",
        time="1 hour",
        why="Suggested by a member: practical tabular feature engineering.",
    )
    without = [h.resource.id for h in index.search("tabular feature engineering", limit=3)]
    with_it = [
        h.resource.id
        for h in index.search("tabular feature engineering", limit=3, extra=[suggestion])
    ]
    assert "s-1" not in without
    assert with_it[0] == "s-1"
