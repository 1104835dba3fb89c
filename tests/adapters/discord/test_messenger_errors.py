"""What a failed Discord send means for the core's delivery bookkeeping."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord

from adapters.discord.messenger import delivery_error, nonce


def _error(kind: type[discord.HTTPException], status: int, code: int, **headers: str) -> Any:
    response = SimpleNamespace(status=status, reason="", headers=headers)
    return kind(response, {"message": "no", "code": code})


def test_closed_dms_are_permanent() -> None:
    error = delivery_error(_error(discord.Forbidden, 403, 50007))
    assert (error.reason, error.permanent) == ("dm_closed", True)


def test_a_rate_limit_says_when_to_come_back() -> None:
    error = delivery_error(_error(discord.HTTPException, 429, 0, **{"Retry-After": "7.5"}))
    assert (error.permanent, error.retry_after) == (False, 7.5)


def test_discord_errors_are_retried_and_refusals_are_not() -> None:
    assert not delivery_error(_error(discord.DiscordServerError, 502, 0)).permanent
    assert delivery_error(_error(discord.HTTPException, 400, 50035)).permanent


def test_nonces_are_stable_short_and_distinct_per_part() -> None:
    assert nonce("mentorbot-d1") == nonce("mentorbot-d1")
    assert len(nonce("k" * 300)) == 25
    assert nonce("mentorbot-d1", 0) != nonce("mentorbot-d1", 1)
