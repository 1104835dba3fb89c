"""Translating Discord payload pieces into the core's events (pure parts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord import translate


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz.", min_size=1, max_size=30),
    st.text(max_size=60),
)
def test_custom_ids_round_trip(action_id: str, value: str) -> None:
    assert translate.decode_custom_id(translate.encode_custom_id(action_id, value)) == (
        action_id,
        value,
    )


def test_a_custom_id_longer_than_discord_allows_is_refused() -> None:
    with pytest.raises(ValueError):
        translate.encode_custom_id("rem.cancel", "9" * 100)


def test_option_values_keep_their_types_and_skip_the_focused_one() -> None:
    options = [
        {"name": "when", "type": 3, "value": "in 5", "focused": True},
        {"name": "what", "type": 3, "value": "stretch"},
        {"name": "page", "type": 4, "value": 2},
        {"name": "workspace", "type": 5, "value": True},
    ]
    assert translate.option_values(options) == {"what": "stretch", "page": 2, "workspace": True}
    assert translate.focused_option(options) == ("when", "in 5")
