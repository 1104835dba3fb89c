"""No button value, form, autocomplete or command lets one Slack member see or change another's.

Ann (of the fake's team) used every feature. Mallory, a member of her team, and Ann's own user
id in another team (Slack ids are only unique within a team; the adapter takes the team from
each payload) replay her values through the real Bolt app, as a modified client would send them
(`tests/support/isolation.py` lists the attacks). Every attack must be refused, show nothing of
Ann's, and leave every row but the attacker's own exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from adapters.slack.translate import COMPLETE_ACTION
from bot.app import Core
from bot.chat import Actor, Place
from bot.clock import FakeClock
from tests.conftest import make_settings
from tests.fakes.slack_server import TEAM_ID
from tests.support.isolation import (
    ATTACKS,
    Attack,
    QueryGuard,
    Seeded,
    Snapshot,
    judge,
    leaked,
    seed,
)
from tests.support.slack import CHANNEL, SlackDriver, all_text

ANN, BOSS, MALLORY = "U0ANN", "U0BOSS", "U0MALLORY"
OTHER_TEAM = "T0OTHER"


class Attacker:
    """One member of one team, sending Slack's requests by hand."""

    def __init__(self, slack: SlackDriver, team: str, user: str) -> None:
        self.slack, self.team, self.user = slack, team, user

    def who(self) -> dict[str, Any]:
        return {
            "team": {"id": self.team, "domain": "x"},
            "user": {"id": self.user, "username": self.user.lower(), "team_id": self.team},
            "api_app_id": "A0FAKE",
            "token": "legacy",
        }

    async def attempt(self, attack: Attack, value: str) -> str:
        """Send the attack; everything Slack was asked to show anyone afterwards, as text."""
        fake = self.slack.fake
        calls, name = len(fake.calls), self.slack.new_name("attack")
        kind = "command" if attack.kind == "command" else "interactive"
        ack = await self.slack.send(kind, self.payload(attack, value, name))
        shown = [ack.body, *(post.body for post in fake.posted_to(name))]
        shown += [call.params for call in fake.calls[calls:]]
        uploaded = [f.data.decode(errors="replace") for f in fake.files.values()]
        return "\n".join(all_text(item) for item in shown) + json.dumps(shown) + "".join(uploaded)

    def payload(self, attack: Attack, value: str, name: str) -> dict[str, Any]:
        fake = self.slack.fake
        where = {
            "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
            "channel": {"id": CHANNEL, "name": "general"},
        }
        if attack.kind == "command":
            payload = self.slack.command_payload(attack.name, user=self.user)
            payload.update(team_id=self.team, response_url=fake.response_url(name))
            return payload
        if attack.kind == "press":
            action = {"action_id": f"{attack.name}~0", "block_id": "b", "type": "button"}
            return {
                "type": "block_actions",
                "trigger_id": self.slack.new_name("trigger-"),
                "actions": [{**action, "value": value, "action_ts": "1.3"}],
                "message": {"type": "message", "ts": "1.0", "text": ""},
                "response_url": fake.response_url(name),
                **where,
                **self.who(),
            }
        if attack.kind == "submit":
            metadata = {"c": value, "ch": CHANNEL, "dm": False, "ru": fake.response_url(name)}
            state = {
                key: {key: {"type": "plain_text_input", "value": text}}
                for key, text in attack.form.items()
            }
            view = {
                "id": "V0FORGED",
                "type": "modal",
                "callback_id": attack.name,
                "private_metadata": json.dumps(metadata),
                "blocks": [],
                "state": {"values": state},
            }
            return {
                "type": "view_submission",
                "trigger_id": self.slack.new_name("trigger-"),
                "view": view,
                "response_urls": [],
                **self.who(),
            }
        command, option = attack.name.split("/")
        return {
            "type": "block_suggestion",
            "action_id": "complete",
            "block_id": f"{COMPLETE_ACTION}:{command}:{option}",
            "value": value,
            **where,
            **self.who(),
        }


@pytest.fixture
async def core(database_url: str, clock: FakeClock) -> AsyncIterator[Core]:
    """The scoping is in the queries: prove it on SQLite and on PostgreSQL."""
    bot = Core(make_settings(database_url, send_rate_per_second=1000.0), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


@pytest.fixture
async def seeded(slack: SlackDriver, core: Core) -> Seeded:
    slack.fake.user(BOSS, is_admin=True)  # an admin in every team that has this id
    ann = Actor("slack", TEAM_ID, ANN, "ann")
    boss = Actor("slack", TEAM_ID, BOSS, "boss", is_admin=True)
    return await seed(core, ann, boss, Place(CHANNEL, False), Place("D0ANN", True))


@pytest.fixture
def guard(core: Core, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> Iterator[QueryGuard]:
    """Watches the attackers' requests (installed once Ann's data is seeded)."""
    watching = QueryGuard(core)
    watching.install(monkeypatch)
    yield watching
    watching.remove()


async def run(
    slack: SlackDriver, core: Core, seeded: Seeded, guard: QueryGuard, *, same_team: bool
) -> list[str]:
    before = await Snapshot.take(core)
    problems: list[str] = []
    for attack in ATTACKS:
        if attack.other_workspace and same_team:
            continue
        if same_team:
            attacker = Attacker(slack, TEAM_ID, MALLORY)
        else:
            attacker = Attacker(slack, OTHER_TEAM, BOSS if attack.admin else ANN)
        seen = await attacker.attempt(attack, attack.resolve(seeded))
        changes = before.changes(await Snapshot.take(core), seeded.victims)
        problems += judge(attack, seen, changes)
    assert guard.watched > len(ATTACKS)
    return problems + [f"not scoped: {statement}" for statement in guard.unscoped]


async def test_a_member_of_the_same_team_gets_nothing_of_anns(
    slack: SlackDriver, core: Core, seeded: Seeded, guard: QueryGuard
) -> None:
    assert await run(slack, core, seeded, guard, same_team=True) == []


async def test_the_same_user_id_in_another_team_gets_nothing_of_anns(
    slack: SlackDriver, core: Core, seeded: Seeded, guard: QueryGuard
) -> None:
    assert await run(slack, core, seeded, guard, same_team=False) == []


async def test_app_home_shows_each_member_only_their_own(
    slack: SlackDriver, core: Core, seeded: Seeded
) -> None:
    await slack.open_home(user=ANN)
    [own] = slack.fake.calls_to("views.publish")
    assert leaked(json.dumps(own.params))  # Ann's home shows her reminders: the check can fail

    for team, user in ((TEAM_ID, MALLORY), (OTHER_TEAM, ANN)):
        calls = len(slack.fake.calls)
        await slack.send("event", home_opened(team, user, slack.new_name("Ev")))
        published = [c for c in slack.fake.calls[calls:] if c.method == "views.publish"]
        assert len(published) == 1, [c.method for c in slack.fake.calls[calls:]]
        assert leaked(json.dumps(published[0].params)) == [], (team, user)


def home_opened(team: str, user: str, event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A0FAKE",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1,
        "event": {
            "type": "app_home_opened",
            "user": user,
            "channel": "D" + user,
            "tab": "home",
            "event_ts": "1.4",
        },
    }


async def test_the_attacks_can_succeed_for_ann_herself(slack: SlackDriver, seeded: Seeded) -> None:
    """The same requests from Ann are answered with her data: the refusals are not blanket."""
    ann = Attacker(slack, TEAM_ID, ANN)
    for label in ("open its edit form", "list reminders", "show history"):
        [attack] = [a for a in ATTACKS if a.label == label]
        seen = await ann.attempt(attack, attack.resolve(seeded))
        assert leaked(seen), label
