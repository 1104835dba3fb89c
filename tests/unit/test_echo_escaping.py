"""Member text echoed in error replies renders inert on every platform: no link, no mention.

Each reply comes from the real core and is rendered by the real console, Discord and Slack
renderers. What a member typed must show literally; it must never become a link whose label
hides its address, or a ping.
"""

from __future__ import annotations

import pytest

from adapters.console import render as console
from adapters.discord import render as discord_render
from adapters.slack import translate as slack_translate
from adapters.slack.render import Renderer
from bot import markup
from bot.app import Core
from bot.chat import Actor, Invocation, Place, Response

ANN = Actor("console", "local", "ann", display_name="ann")
CHANNEL = Place("general", is_dm=False)
LINK = "[click](https://evil.example)"
SLACK_LINK = "<https://evil.example|click>"
MENTIONS = "<@U0BOSS> <!here> @everyone"


def rendered(core: Core, response: Response) -> dict[str, str]:
    text = response.text
    return {
        "console": console.text(text),
        "discord": discord_render.markdown(text),
        "slack": Renderer.for_catalogue(core.router.catalogue).mrkdwn(text),
    }


def assert_inert(core: Core, response: Response) -> None:
    assert response.text, "no reply"
    assert not any(token.kind == "link" for token in markup.parse(response.text)), response.text
    shown = rendered(core, response)
    assert "click <https://evil.example>" not in shown["console"], shown["console"]
    assert "](<https://evil.example>)" not in shown["discord"], shown["discord"]
    for raw in ("<https://evil.example", "<@U0BOSS>", "<!here>"):
        assert raw not in shown["slack"], shown["slack"]


@pytest.mark.parametrize("what", [LINK, f"a`{LINK}`", SLACK_LINK, MENTIONS, "``", "\\`" + LINK])
async def test_the_part_of_the_time_not_understood(core: Core, what: str) -> None:
    event = Invocation("remind", {"when": f'tomorrow 9am "{what}"', "what": "x"}, ANN, CHANNEL)
    response = await core.dispatch(event)
    assert "but not" in response.text
    assert_inert(core, response)


@pytest.mark.parametrize("when", [LINK, f"`{LINK}`", SLACK_LINK, MENTIONS])
async def test_a_phrase_with_no_time_in_it(core: Core, when: str) -> None:
    response = await core.dispatch(Invocation("remind", {"when": when}, ANN, CHANNEL))
    assert "I couldn't find a time" in response.text
    assert_inert(core, response)


@pytest.mark.parametrize("name", [f"x`{LINK}`", f"`{SLACK_LINK}`", f"x`{MENTIONS}"])
async def test_an_unknown_command_name(core: Core, name: str) -> None:
    response = await core.dispatch(Invocation(name, {}, ANN, CHANNEL))
    assert "I don't know" in response.text
    assert_inert(core, response)


@pytest.mark.parametrize(
    "typed", ["x`[click](https://evil.example)`", "x`&lt;https://evil.example|click&gt;`"]
)
async def test_an_unknown_slack_subcommand(core: Core, typed: str) -> None:
    """`/mentor <x>`: Slack sends `<`, `>` and `&` escaped; the adapter unescapes them."""
    who = Actor("slack", "T0FAKE", "U0ANN")
    event = slack_translate.command_invocation(typed + " now", core.router.catalogue, who, CHANNEL)
    response = await core.dispatch(event)
    assert "I don't know" in response.text
    assert_inert(core, response)
