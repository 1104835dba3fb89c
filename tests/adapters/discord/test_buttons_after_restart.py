"""Buttons and modals keep working after mentorbot restarts: a custom id carries everything."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.clock import FakeClock
from tests.conftest import make_settings
from tests.fakes import discord_payloads as p
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import DiscordHarness, text_of


async def test_old_messages_buttons_reach_a_new_process(
    fake: FakeDiscord, core: Core, store_url: str, clock: FakeClock
) -> None:
    harness = DiscordHarness(fake, core)
    await harness.start()
    ann = harness.member("ann")
    confirmation = (await harness.slash("remind", ann, when="in 5 days", what="demo")).messages[0]
    await harness.slash("remind", ann, in_dm=True, when="in 10 minutes", what="stretch")
    clock.advance(timedelta(minutes=10))
    [dm] = await harness.dms(ann)
    listing = (await harness.slash("reminders", ann)).messages[0]
    await harness.stop()
    await core.close()

    restarted = Core(make_settings(store_url, send_rate_per_second=1000.0), clock=clock)
    async with restarted:
        await harness.start(core=restarted)
        try:
            snoozed = await harness.click(dm, "Snooze 10 min", ann)
            assert snoozed.callback_type == p.UPDATE_MESSAGE
            assert "Snoozed until" in dm["content"]
            opened = await harness.click(listing, "Edit 1", ann)
            saved = await harness.submit(opened, ann, what="demo day")
            assert "Saved: demo day" in text_of(saved.messages[0])
            cancelled = await harness.click(confirmation, "Cancel", ann)
            assert "Cancelled: demo day" in text_of(cancelled.messages[0])
        finally:
            await harness.stop()


async def test_a_modal_opened_before_a_restart_is_submitted_after_it(
    fake: FakeDiscord, core: Core, store_url: str, clock: FakeClock
) -> None:
    harness = DiscordHarness(fake, core)
    await harness.start()
    ann = harness.member("ann")
    target = harness.member_message(harness.member("bo"), "read this")
    opened = await harness.message_action("Remind me about this", target, ann)
    await harness.stop()
    await core.close()

    restarted = Core(make_settings(store_url, send_rate_per_second=1000.0), clock=clock)
    async with restarted:
        await harness.start(core=restarted)
        try:
            submitted = await harness.submit(opened, ann, when="in 1 hour")
            assert text_of(submitted.messages[0]).startswith("✅")
        finally:
            await harness.stop()
