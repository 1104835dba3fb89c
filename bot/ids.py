"""Record ids read back from button values and form contexts, which a member can forge.

A button's value travels through the platform and comes back as text anyone can edit, so it is
parsed here, once: ASCII digits only, and within the range of the database's integer primary
keys. PostgreSQL's INTEGER stops at 2^31-1 (a larger value is a driver error, not "no row"), and
SQLite's at 2^63-1; the smaller bound holds on both, so an id out of range simply finds nothing.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the narrowest id column we run on
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int | None:
    """The id in `value`, or None if it is not a positive integer a table's id can hold."""
    text = str(value)
    if not _DIGITS.fullmatch(text):  # also refuses "+1", " 1", "1_0" and non-ASCII digits
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
