"""Errors that are the member's to read, not a crash."""

from __future__ import annotations


class Problem(Exception):
    """Something the member asked for cannot be done; `str(problem)` says why, kindly.

    `Core.dispatch` turns it into a private reply and rolls back the transaction.
    """
