"""The gateway goes away (Discord asks to reconnect, or the connection drops): the client
RESUMEs at `resume_gateway_url` and answers what happened in between."""

from __future__ import annotations

from tests.fakes import discord_payloads as p
from tests.support.discord import DiscordHarness


async def test_a_reconnect_request_resumes_the_session(discord_: DiscordHarness) -> None:
    gateway = discord_.fake.gateway
    session_id = gateway.sessions[0].session_id
    await gateway.reconnect()
    await discord_.fake.wait_until(lambda: gateway.resumes)
    assert gateway.resumes[0]["session_id"] == session_id
    assert gateway.connection_paths == ["/gateway", "/gateway/resume"]
    assert len(gateway.identifies) == 1
    record = await discord_.slash("help", discord_.member("ann"))
    assert "/remind" in record.messages[0]["content"]


async def test_an_interaction_sent_while_disconnected_is_answered_after_resume(
    discord_: DiscordHarness,
) -> None:
    fake = discord_.fake
    fake.gateway.resumes_allowed.clear()
    await fake.gateway.drop()
    ann = discord_.member("ann")
    record = await fake.interact(p.APPLICATION_COMMAND, p.slash_data(fake.command("help"), {}), ann)
    assert not fake.gateway.is_connected()
    fake.gateway.resumes_allowed.set()
    await fake.answered(record)
    assert fake.gateway.resumes and len(fake.gateway.identifies) == 1
    assert "/remind" in record.messages[0]["content"]
