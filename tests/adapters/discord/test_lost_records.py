"""A crash lost the record of a DM that went out: the takeover finds its nonce, sends nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.clock import FakeClock
from tests.support.discord import DiscordHarness
from tests.support.lost_records import lose_record, taken_over


async def test_a_sent_dm_whose_record_was_lost_is_not_sent_again(
    discord_: DiscordHarness, core: Core, clock: FakeClock
) -> None:
    fake = discord_.fake
    fake.nonce_check = False  # Discord's own deduplication off: only our lookup prevents a repeat
    ann = discord_.member("ann")
    await discord_.slash("remind", ann, in_dm=True, when="in 10 minutes", what="stretch")
    clock.advance(timedelta(minutes=10))
    [dm] = await discord_.dms(ann)
    delivery_id = await lose_record(core, clock)

    assert await taken_over(core, clock, delivery_id) == str(dm["id"])
    assert len(fake.dms(ann.id)) == 1
    [lookup] = fake.calls_to("GET", rf"/channels/{dm['channel_id']}/messages")
    assert lookup.status == 200


async def test_a_lost_send_that_never_reached_discord_is_sent_after_the_lookup(
    discord_: DiscordHarness, core: Core, clock: FakeClock
) -> None:
    fake = discord_.fake
    fake.nonce_check = False
    ann = discord_.member("ann")
    await discord_.slash("remind", ann, in_dm=True, when="in 10 minutes", what="stretch")
    clock.advance(timedelta(minutes=10))
    [dm] = await discord_.dms(ann)
    delivery_id = await lose_record(core, clock)
    fake.channel_messages[str(dm["channel_id"])].clear()  # as if the send never arrived

    resent = await taken_over(core, clock, delivery_id)
    [again] = fake.dms(ann.id)
    assert resent == str(again["id"]) != str(dm["id"])
    assert "stretch" in again["content"]
