"""A forged "Remind me too" (a custom id naming another reminder) is refused kindly.

On Discord the workspace is the application, so a member of another server shares it: only the
channel the reminder was offered in may join it. These clicks are built as a modified client
would send them.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Core
from bot.storage.tables import Reminder
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Member
from tests.support.conversation import count
from tests.support.discord import DiscordHarness, is_ephemeral, text_of

SECRET = "my secret salary talk"


async def secret_id(core: Core) -> int:
    async with core.sessions() as session:
        found = await session.scalar(select(Reminder.id).where(Reminder.text == SECRET))
    assert found is not None
    return int(found)


async def forged_follow(
    discord_: DiscordHarness, member: Member, reminder_id: int, *, guild: str | None = None
) -> str:
    """Press "Remind me too" on a message of the bot in `guild`'s channel (default: this one)."""
    fake = discord_.fake
    channel = fake.channel_id if guild is None else fake.ids()
    message = p.message_payload(
        fake.ids(),
        channel,
        fake.bot,
        {"content": "anything"},
        guild_id=guild or fake.guild_id,
    )
    record = await fake.interact(
        p.MESSAGE_COMPONENT,
        p.button_data(f"rem.follow:{reminder_id}"),
        member,
        guild_id=guild,
        message=message,
    )
    await fake.answered(record)
    [shown] = await discord_.settled(record)
    assert is_ephemeral(shown)
    return text_of(shown)


async def test_a_private_reminder_cannot_be_joined(discord_: DiscordHarness, core: Core) -> None:
    ann, mallory = discord_.member("ann"), discord_.member("mallory")
    await discord_.slash("remind", ann, in_dm=True, when="in 1 hour", what=SECRET)

    answer = await forged_follow(discord_, mallory, await secret_id(core))

    assert "I can't find that reminder" in answer and SECRET not in answer
    listed = await discord_.slash("reminders", mallory)
    assert SECRET not in text_of(listed.messages[0])


async def test_a_reminder_cannot_be_joined_from_another_server(
    discord_: DiscordHarness, core: Core
) -> None:
    ann, mallory = discord_.member("ann"), discord_.member("mallory")
    await discord_.slash("remind", ann, when="in 1 hour", what=SECRET)

    answer = await forged_follow(
        discord_, mallory, await secret_id(core), guild=discord_.fake.ids()
    )

    assert "I can't find that reminder" in answer and SECRET not in answer
    assert await count(core, Reminder) == 1
    listed = await discord_.slash("reminders", mallory)
    assert SECRET not in text_of(listed.messages[0])
