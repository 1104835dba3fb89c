"""No button value, form, autocomplete or command lets one Discord member see or change another's.

Ann used every feature. Mallory replays Ann's values through the real discord.py client, as a
modified client would send them: from Ann's server, and from another server. On Discord the
workspace is the bot's application (`adapters/discord/translate.py`): a member is one person in
every server, so another server is another *place*, not another community; what the community
shares (approved resources) is shared across its servers by design and is not attacked here.
`tests/support/isolation.py` lists the attacks. Every attack must be refused, show nothing of
Ann's, and leave every row but Mallory's own exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.app import Core
from bot.chat import Actor, Place
from bot.router import options_from_text
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Json, Member
from tests.fakes.discord_server import InteractionRecord
from tests.support.discord import DiscordHarness, text_of
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


class Attacker:
    """One member in one server (or Ann's), sending interactions by hand."""

    def __init__(self, discord_: DiscordHarness, member: Member, guild: str, channel: str) -> None:
        self.discord_, self.member, self.guild, self.channel = discord_, member, guild, channel

    async def attempt(self, attack: Attack, value: str, core: Core) -> str:
        """Send the attack; what the member was shown (messages, modal, choices) as text."""
        fake = self.discord_.fake
        message = p.message_payload(
            fake.ids(), self.channel, fake.bot, {"content": "a bot message"}, guild_id=self.guild
        )
        if attack.kind == "press":
            kind, data = p.MESSAGE_COMPONENT, p.button_data(f"{attack.name}:{value}")
        elif attack.kind == "submit":
            kind, data = p.MODAL_SUBMIT, p.modal_data(f"{attack.name}:{value}", dict(attack.form))
        elif attack.kind == "complete":
            command, option = attack.name.split("/")
            spec = fake.command(command, guild_id=fake.guild_id)
            kind, data = p.AUTOCOMPLETE, p.slash_data(spec, {option: value}, focused=option)
        else:
            name, _, rest = attack.name.partition(" ")
            options = options_from_text(core.router.spec(name), rest)
            spec = fake.command(name, guild_id=fake.guild_id)
            kind, data = p.APPLICATION_COMMAND, p.slash_data(spec, options)
        record = await fake.interact(kind, data, self.member, guild_id=self.guild, message=message)
        return await self.shown(record)

    async def shown(self, record: InteractionRecord) -> str:
        callback = await self.discord_.fake.answered(record)
        if record.callback_type in (p.MODAL, p.AUTOCOMPLETE_RESULT):
            return json.dumps(callback)
        messages: list[Json] = await self.discord_.settled(record)
        return "\n".join(text_of(m) for m in messages) + json.dumps([callback, *messages])


@pytest.fixture
async def seeded(discord_: DiscordHarness, core: Core) -> Seeded:
    fake = discord_.fake
    workspace = str(fake.application_id)
    ann = Actor("discord", workspace, str(discord_.member("ann").id), "ann")
    owner = Actor("discord", workspace, str(fake.owner_id), "owner", is_admin=True)
    channel = Place(str(fake.channel_id), is_dm=False)
    return await seed(core, ann, owner, channel, Place(str(fake.ids()), is_dm=True))


@pytest.fixture
def guard(core: Core, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> Iterator[QueryGuard]:
    """Watches the attacker's interactions (installed once Ann's data is seeded)."""
    watching = QueryGuard(core)
    watching.install(monkeypatch)
    yield watching
    watching.remove()


async def run(core: Core, seeded: Seeded, attacker: Attacker, guard: QueryGuard) -> None:
    before = await Snapshot.take(core)
    problems: list[str] = []
    for attack in ATTACKS:
        if attack.other_workspace:
            continue  # one community across its servers on Discord: see the module docstring
        seen = await attacker.attempt(attack, attack.resolve(seeded), core)
        problems += judge(attack, seen, before.changes(await Snapshot.take(core), seeded.victims))
    assert guard.watched > len(ATTACKS)
    assert problems + [f"not scoped: {statement}" for statement in guard.unscoped] == []


async def test_a_member_of_anns_server_gets_nothing_of_hers(
    discord_: DiscordHarness, core: Core, seeded: Seeded, guard: QueryGuard
) -> None:
    fake = discord_.fake
    mallory = Attacker(discord_, discord_.member("mallory"), fake.guild_id, fake.channel_id)
    await run(core, seeded, mallory, guard)


async def test_a_member_in_another_server_gets_nothing_of_hers(
    discord_: DiscordHarness, core: Core, seeded: Seeded, guard: QueryGuard
) -> None:
    fake = discord_.fake
    elsewhere = Attacker(discord_, discord_.member("mallory"), fake.ids(), fake.ids())
    await run(core, seeded, elsewhere, guard)


async def test_a_shared_reminder_cannot_be_joined_from_another_server(
    discord_: DiscordHarness, core: Core, seeded: Seeded
) -> None:
    """Joining is the one thing a member of Ann's channel may do; from elsewhere it is refused."""
    fake = discord_.fake
    [follow] = [a for a in ATTACKS if a.label == "join from another workspace"]
    mallory = discord_.member("mallory")
    here = Attacker(discord_, mallory, fake.guild_id, fake.channel_id)
    elsewhere = Attacker(discord_, mallory, fake.ids(), fake.ids())
    before = await Snapshot.take(core)

    refused = await elsewhere.attempt(follow, follow.resolve(seeded), core)
    assert judge(follow, refused, before.changes(await Snapshot.take(core), seeded.victims)) == []

    joined = await here.attempt(follow, follow.resolve(seeded), core)
    assert "1 other will be reminded too" in joined
    assert before.changes(await Snapshot.take(core), seeded.victims)  # the check can see a join


async def test_the_attacks_can_succeed_for_ann_herself(
    discord_: DiscordHarness, core: Core, seeded: Seeded
) -> None:
    """The same interactions from Ann are answered with her data: the refusals are not blanket."""
    fake = discord_.fake
    ann = Attacker(discord_, discord_.member("ann"), fake.guild_id, fake.channel_id)
    for label in ("open its edit form", "list reminders", "show history"):
        [attack] = [a for a in ATTACKS if a.label == label]
        assert leaked(await ann.attempt(attack, attack.resolve(seeded), core)), label
