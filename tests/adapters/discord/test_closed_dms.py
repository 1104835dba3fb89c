"""A member whose DMs are closed (Discord error 50007): the reminder is not lost, it is shown
privately the next time they use the bot."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.clock import FakeClock
from tests.support.discord import DiscordHarness, is_ephemeral, text_of


async def test_the_reminder_waits_for_the_members_next_visit(
    discord_: DiscordHarness, clock: FakeClock, core: Core
) -> None:
    ann = discord_.member("ann")
    discord_.fake.closed_dms.add(ann.id)
    await discord_.slash("remind", ann, when="in 10 minutes", what="stretch")
    clock.advance(timedelta(minutes=10))
    await discord_.fake.wait_until(
        lambda: any(c.status == 403 for c in discord_.fake.calls_to("POST", r"/channels/\d+/.*"))
    )
    await core.queue.idle.wait()
    assert discord_.fake.dms(ann.id) == []
    record = await discord_.slash("reminders", ann)
    listing, notice = await discord_.settled(record, messages=2)
    assert "couldn't DM" in text_of(listing)  # recorded as undelivered, not retried
    assert is_ephemeral(notice) and "DMs are closed" in text_of(notice)
    assert "stretch" in text_of(notice)
