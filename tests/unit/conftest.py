"""Fixtures for the conversation tests: scenes several modules start from."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.console.chat import ConsoleChat, Said
from bot.app import Core
from bot.clock import FakeClock
from tests.support.conversation import dispatcher_idle


@pytest.fixture
async def delivered_reminder(chat: ConsoleChat, core: Core, clock: FakeClock) -> Said:
    """`/remind in 1 hour stretch`, an hour passes: the DM (with its buttons), its send recorded."""
    await chat.say("/remind in 1 hour stretch")
    clock.advance(timedelta(hours=1))
    dm = await chat.next_dm()
    assert "Reminder: stretch" in dm.text
    await dispatcher_idle(core)
    return dm
