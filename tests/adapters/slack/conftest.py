"""Fixtures for the Slack scenarios: the real Bolt app, in HTTP mode and in Socket Mode, against
the fake Slack on loopback (`fake_slack`, in `tests/conftest.py`) and a real core.

The driver and its helpers are in `tests/support/slack.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Core
from tests.fakes.slack_server import FakeSlack
from tests.support.slack import SlackDriver, running


@pytest.fixture(params=["http", "socket"])
async def slack(
    core: Core, fake_slack: FakeSlack, request: pytest.FixtureRequest
) -> AsyncIterator[SlackDriver]:
    """The real adapter, in each mode, connected to the fake Slack and to a real core."""
    async with running(core, fake_slack, str(request.param)) as driver:
        yield driver


@pytest.fixture
async def http_slack(core: Core, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    async with running(core, fake_slack, "http") as driver:
        yield driver


@pytest.fixture
async def socket_slack(core: Core, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    async with running(core, fake_slack, "socket") as driver:
        yield driver
