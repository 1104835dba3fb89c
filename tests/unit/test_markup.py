"""The shared markup parser: member text always stays literal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot import markup


def test_tokens_of_each_kind() -> None:
    tokens = markup.parse("**Hi** __there__ `code` [docs](https://example.org) <t:1700000000|Tue>")
    kinds = [token.kind for token in tokens if token.kind != "text"]
    assert kinds == ["bold", "italic", "code", "link", "time"]
    assert tokens[-1].unix == 1700000000 and tokens[-1].text == "Tue"


@given(st.text())
def test_escaped_member_text_round_trips_as_one_plain_token(text: str) -> None:
    tokens = markup.parse(markup.escape(text))
    assert "".join(token.text for token in tokens) == text
    assert all(token.kind == "text" for token in tokens)


def test_to_plain_shows_link_targets() -> None:
    assert markup.to_plain("see [the docs](https://x.org)") == "see the docs <https://x.org>"
