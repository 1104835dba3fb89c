"""Paging a listing with Previous/Next buttons that keep no state in memory.

A page button carries everything needed to show its page in its value (`key` and page number,
e.g. `"7:3"` or just `"3"`), so a click after a restart, or on an hour-old message, shows the
right page: the handler re-reads the listing and cuts out the page again.

    window = paging.paginate(rows, requested, PAGE_SIZE)
    reply = Reply(text, buttons=(*rows_of_buttons, *paging.buttons(window, "rem.page")))
    ...
    key, number = paging.decode(event.value)   # in the "rem.page" action handler
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.chat import MAX_VALUE, Button

T = TypeVar("T")
U = TypeVar("U")

PREVIOUS = "◀ Previous"
NEXT = "Next ▶"
_SEP = ":"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its items, which page it is (from 1), and how many there are."""

    items: tuple[T, ...]
    page: int
    pages: int
    total: int
    size: int

    @property
    def first_number(self) -> int:
        """The 1-based position of this page's first item in the whole listing."""
        return (self.page - 1) * self.size + 1

    def with_items(self, items: Sequence[U]) -> Page[U]:
        """The same page holding other items (e.g. rows turned into views)."""
        return Page(tuple(items), self.page, self.pages, self.total, self.size)


def paginate(items: Sequence[T], page: int, size: int) -> Page[T]:
    """Page `page` of `items` (clamped into range: a stale button shows the nearest page)."""
    if size < 1:
        raise ValueError("a page holds at least one item")
    total = len(items)
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return Page(tuple(items[start : start + size]), page, pages, total, size)


def encode(page: int, key: str = "") -> str:
    """A page button's value: `key:page`, or the page alone without a key."""
    value = f"{key}{_SEP}{page}" if key else str(page)
    if len(value) > MAX_VALUE:
        raise ValueError(f"page button value longer than {MAX_VALUE} characters")
    return value


def decode(value: str) -> tuple[str, int]:
    """(key, page) from a page button's value; a value that is no page reads as page 1."""
    key, _, number = value.rpartition(_SEP)
    try:
        return key, max(1, int(number))
    except ValueError:
        return key, 1


def buttons(page: Page[T], action_id: str, key: str = "") -> tuple[tuple[Button, ...], ...]:
    """The Previous/Next row for `page` (no row when everything fits on one page)."""
    row = []
    if page.page > 1:
        row.append(Button(PREVIOUS, action_id, encode(page.page - 1, key)))
    if page.page < page.pages:
        row.append(Button(NEXT, action_id, encode(page.page + 1, key)))
    return (tuple(row),) if row else ()
