"""Paging keeps no state: a page button's value is enough to show its page again."""

from __future__ import annotations

import pytest

from bot import paging


def test_pages_are_cut_and_numbered() -> None:
    page = paging.paginate(list(range(10)), 2, 4)
    assert (page.items, page.page, page.pages, page.total) == ((4, 5, 6, 7), 2, 3, 10)
    assert page.first_number == 5
    assert page.with_items(["e", "f"]).items == ("e", "f")


@pytest.mark.parametrize(("asked", "shown"), [(0, 1), (-3, 1), (9, 3)])
def test_a_page_out_of_range_shows_the_nearest(asked: int, shown: int) -> None:
    assert paging.paginate(list(range(10)), asked, 4).page == shown


def test_an_empty_listing_is_one_empty_page() -> None:
    page = paging.paginate([], 1, 4)
    assert (page.items, page.page, page.pages) == ((), 1, 1)
    assert paging.buttons(page, "x.page") == ()


def test_buttons_carry_the_key_and_the_page() -> None:
    middle = paging.paginate(list(range(10)), 2, 4)
    [row] = paging.buttons(middle, "res.page", key="q17")
    previous, following = row
    assert (previous.label, previous.action_id) == ("◀ Previous", "res.page")
    assert previous.value == "q17:1"
    assert following.value == "q17:3"
    assert paging.decode(following.value) == ("q17", 3)
    assert paging.decode("2") == ("", 2)  # a button without a key
    assert paging.decode("garbage") == ("", 1)
    [(only,)] = paging.buttons(paging.paginate(list(range(10)), 1, 4), "x")
    assert only.label == "Next ▶"
