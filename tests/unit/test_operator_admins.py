"""Members the operator lists in `MENTORBOT_ADMINS` are admins on every platform, and only they."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError

from bot.admins import OperatorAdmins
from bot.app import Core
from bot.chat import Actor, Invocation, Place
from bot.clock import FakeClock
from tests.conftest import make_settings

GENERAL = Place("general", is_dm=False)


def actor(platform: str, workspace: str, user: str) -> Actor:
    return Actor(platform, workspace, user, display_name=user)


def test_entries_name_a_user_everywhere_or_in_one_workspace() -> None:
    admins = OperatorAdmins.parse("discord:42, slack:T1:U7  console:you")
    assert admins.lists(actor("discord", "app-1", "42"))
    assert admins.lists(actor("discord", "app-2", "42"))
    assert admins.lists(actor("slack", "T1", "U7"))
    assert not admins.lists(actor("slack", "T2", "U7"))  # scoped to T1
    assert not admins.lists(actor("slack", "T1", "42"))  # a Discord id is not a Slack one
    assert admins.lists(actor("console", "local", "you"))
    assert OperatorAdmins.parse(None) == OperatorAdmins() == OperatorAdmins.parse(" ")


@pytest.mark.parametrize("bad", ["discord", "discord:", ":42", "slack:T1:U7:x", "slack::U7"])
def test_a_malformed_entry_is_refused_at_start(bad: str) -> None:
    with pytest.raises(ValidationError, match="MENTORBOT_ADMINS"):
        make_settings("sqlite+aiosqlite://", admins=bad)


@pytest.fixture
async def listed_core(store_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    bot = Core(make_settings(store_url, admins="console:local:mentor"), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


async def test_a_listed_member_may_use_admin_commands_and_others_may_not(
    listed_core: Core,
) -> None:
    mentor = actor("console", "local", "mentor")
    other = actor("console", "local", "mallory")
    shown = await listed_core.dispatch(Invocation("admin", {"action": "settings"}, mentor, GENERAL))
    assert "Change settings" in [b.label for row in shown.replies[0].buttons for b in row]
    assert "/admin" in (await listed_core.dispatch(Invocation("help", {}, mentor, GENERAL))).text
    refused = await listed_core.dispatch(
        Invocation("admin", {"action": "settings"}, other, GENERAL)
    )
    assert "Only community admins" in refused.text
    assert "/admin" not in (await listed_core.dispatch(Invocation("help", {}, other, GENERAL))).text
