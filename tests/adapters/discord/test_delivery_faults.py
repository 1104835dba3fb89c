"""Discord misbehaves while reminders go out: 429s, 5xx, cut connections. Every reminder still
arrives, and arrives once."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.clock import FakeClock
from tests.support.discord import DiscordHarness

SEND = r"/channels/\d+/messages"


async def _remind(discord_: DiscordHarness, clock: FakeClock, name: str = "ann") -> str:
    member = discord_.member(name)
    await discord_.slash("remind", member, in_dm=True, when="in 10 minutes", what="stretch")
    clock.advance(timedelta(minutes=10))
    return member.id


def _statuses(discord_: DiscordHarness, path: str = SEND) -> list[int]:
    return [call.status for call in discord_.fake.calls_to("POST", path)]


async def test_a_429_is_waited_out_and_sent_once(
    discord_: DiscordHarness, clock: FakeClock
) -> None:
    discord_.fake.fail("POST", SEND, 429, times=2, retry_after=0.01)
    user = await _remind(discord_, clock)
    await discord_.fake.wait_until(lambda: len(discord_.fake.dms(user)) == 1)
    assert _statuses(discord_) == [429, 429, 200]


async def test_a_global_429_on_opening_the_dm(discord_: DiscordHarness, clock: FakeClock) -> None:
    body = {"message": "You are being rate limited.", "retry_after": 0.01, "global": True}
    discord_.fake.fail("POST", "/users/@me/channels", 429, body=body)
    user = await _remind(discord_, clock)
    await discord_.fake.wait_until(lambda: len(discord_.fake.dms(user)) == 1)
    assert _statuses(discord_, "/users/@me/channels") == [429, 200]


async def test_a_500_is_retried_by_discord_py(discord_: DiscordHarness, clock: FakeClock) -> None:
    discord_.fake.fail("POST", SEND, 500)
    user = await _remind(discord_, clock)
    await discord_.fake.wait_until(lambda: len(discord_.fake.dms(user)) == 1)
    assert _statuses(discord_) == [500, 200]


async def test_an_outage_goes_back_to_the_core_which_retries_later(
    discord_: DiscordHarness, clock: FakeClock, core: Core
) -> None:
    discord_.fake.fail("POST", SEND, 503)
    user = await _remind(discord_, clock)
    await discord_.fake.wait_until(lambda: _statuses(discord_) == [503])
    assert discord_.fake.dms(user) == []
    await discord_.fake.wait_until(core.queue.idle.is_set)  # the retry is booked
    clock.advance(timedelta(minutes=1))
    await discord_.fake.wait_until(lambda: len(discord_.fake.dms(user)) == 1)
    assert _statuses(discord_) == [503, 200]


async def test_a_cut_connection_is_retried_and_the_nonce_stops_a_duplicate(
    discord_: DiscordHarness, clock: FakeClock
) -> None:
    discord_.fake.fail("POST", SEND, 200, drop=True)
    user = await _remind(discord_, clock)
    await discord_.fake.wait_until(lambda: len(_statuses(discord_)) == 2)
    await discord_.fake.wait_until(lambda: discord_.fake.stats.nonce_replays == 1)
    first, second = discord_.fake.calls_to("POST", SEND)
    assert first.body["nonce"] == second.body["nonce"]
    assert len(discord_.fake.dms(user)) == 1


async def test_a_429_on_an_interaction_answer_is_waited_out(discord_: DiscordHarness) -> None:
    discord_.fake.fail("POST", r"/interactions/.*/callback", 429, retry_after=0.01)
    record = await discord_.slash("help", discord_.member("ann"))
    assert "/remind" in record.messages[0]["content"]
