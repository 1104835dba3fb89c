"""HTTP mode: Bolt's signature check turns away forged and stale requests with 401."""

from __future__ import annotations

import time

from bot.app import Core
from tests.adapters.slack.test_slash_remind import reminder_texts
from tests.support.slack import SlackDriver, encode, sign


async def test_a_correctly_signed_request_is_accepted(http_slack: SlackDriver) -> None:
    raw = encode("command", http_slack.command_payload("help"))

    ack = await http_slack.post(raw)

    assert ack.status == 200
    assert len(http_slack.fake.posted) == 1


async def test_a_forged_signature_gets_401_and_does_nothing(
    http_slack: SlackDriver, core: Core
) -> None:
    raw = encode("command", http_slack.command_payload("remind in 1 hour stretch"))
    stamp = int(time.time())

    ack = await http_slack.post(raw, timestamp=stamp, signature=sign(raw[0], stamp, "wrong"))

    assert ack.status == 401
    assert http_slack.fake.posted == []
    assert await reminder_texts(core) == []


async def test_a_tampered_body_gets_401(http_slack: SlackDriver, core: Core) -> None:
    body, content_type = encode("command", http_slack.command_payload("remind in 1 hour a"))
    stamp = int(time.time())
    signature = sign(body, stamp)
    tampered = body.replace("a&", "b&")

    ack = await http_slack.post((tampered, content_type), timestamp=stamp, signature=signature)

    assert ack.status == 401
    assert await reminder_texts(core) == []


async def test_a_request_older_than_five_minutes_gets_401(
    http_slack: SlackDriver, core: Core
) -> None:
    raw = encode("command", http_slack.command_payload("remind in 1 hour stretch"))
    stale = int(time.time()) - 5 * 60 - 10

    ack = await http_slack.post(raw, timestamp=stale)  # correctly signed, but too old

    assert ack.status == 401
    assert await reminder_texts(core) == []


async def test_forged_button_clicks_and_events_get_401_too(http_slack: SlackDriver) -> None:
    for kind, payload in (
        ("interactive", {"type": "block_actions", "actions": [], "user": {"id": "U1"}}),
        (
            "event",
            {
                "type": "event_callback",
                "event_id": "Ev1",
                "event": {"type": "app_home_opened", "user": "U1", "tab": "home"},
            },
        ),
    ):
        raw = encode(kind, payload)
        ack = await http_slack.post(raw, signature="v0=" + "0" * 64)
        assert ack.status == 401
    assert http_slack.fake.calls_to("views.publish") == []


async def test_slacks_url_check_gets_its_challenge_back(http_slack: SlackDriver) -> None:
    raw = encode("event", {"type": "url_verification", "token": "legacy", "challenge": "c-42"})

    ack = await http_slack.post(raw)

    assert (ack.status, ack.body) == (200, {"challenge": "c-42"})
