"""The weekly team digest on Discord is a queued channel post: queued once however often the job
runs, posted once, and not posted again when a crash lost the record of the post."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Core
from bot.checkins.feature import CheckinFeature
from bot.clock import FakeClock
from tests.fakes.discord_payloads import Member
from tests.support.discord import DiscordHarness, text_of
from tests.support.lost_records import lose_record, taken_over


async def test_the_digest_is_posted_once_when_the_job_runs_twice_and_after_a_crash(
    discord_: DiscordHarness, core: Core, clock: FakeClock
) -> None:
    fake = discord_.fake
    fake.nonce_check = False  # Discord's own deduplication off: only our lookup prevents a repeat
    owner = Member(str(fake.owner_id), "owner")
    channel = await discord_.slash("checkin", owner, action="channel", when="friday 4pm")
    [saved] = await discord_.settled(channel)
    assert "every Friday at 16:00" in text_of(saved)
    clock.advance(timedelta(days=4, hours=3))  # Friday 4 Dec, 16:00 UTC
    feature = core.feature("checkins")
    assert isinstance(feature, CheckinFeature)
    assert await feature.queue_digests() == 1
    assert await feature.queue_digests() == 0  # the job ran twice in that hour

    def posts() -> list[dict[str, object]]:
        return [
            m
            for m in fake.channel_messages.get(str(fake.channel_id), [])
            if "This week's check-ins" in str(m.get("content"))
        ]

    await fake.wait_until(lambda: len(posts()) == 1)
    delivery_id = await lose_record(core, clock, kind="checkin.digest")
    [post] = posts()
    assert await taken_over(core, clock, delivery_id) == str(post["id"])
    assert len(posts()) == 1
    assert await feature.queue_digests() == 0  # and once more after the takeover
