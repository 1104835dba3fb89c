"""Socket Mode: connect via apps.connections.open, ack every envelope, reconnect on request."""

from __future__ import annotations

from tests.fakes.slack_server import APP_TOKEN
from tests.support.slack import SlackDriver


async def test_connects_with_the_app_token(socket_slack: SlackDriver) -> None:
    opened = socket_slack.fake.calls_to("apps.connections.open")

    assert [call.token for call in opened] == [APP_TOKEN]
    assert socket_slack.fake.socket.connections == 1


async def test_every_envelope_is_acked_within_the_exchange(socket_slack: SlackDriver) -> None:
    await socket_slack.command("help")
    await socket_slack.open_home()

    assert set(socket_slack.fake.socket.acks) == {"env-1", "env-2"}


async def test_reconnects_when_slack_asks_and_keeps_serving(socket_slack: SlackDriver) -> None:
    fake = socket_slack.fake

    await fake.socket.disconnect("refresh_requested")
    await fake.socket.wait_connected(2)

    assert len(fake.calls_to("apps.connections.open")) == 2
    exchange = await socket_slack.command("help")
    assert "`/mentor remind`" in exchange.text
