"""Text-only surfaces (console, Slack's /mentor) turn a command line into typed options."""

from __future__ import annotations

from bot.profile.commands import TIMEZONE
from bot.reminders.commands import REMIND, REMINDERS
from bot.router import options_from_text


def test_free_text_goes_to_the_rest_option_even_with_colons() -> None:
    options = options_from_text(REMIND, "every monday at 9:30 review goals")
    assert options == {"when": "every monday at 9:30 review goals"}


def test_every_word_named_fills_each_option() -> None:
    assert options_from_text(REMIND, "when:tomorrow what:stretch") == {
        "when": "tomorrow",
        "what": "stretch",
    }


def test_trailing_named_option_is_typed() -> None:
    assert options_from_text(TIMEZONE, "berlin workspace:yes") == {
        "zone": "berlin",
        "workspace": True,
    }
    assert options_from_text(REMINDERS, "2") == {"page": 2}
    assert options_from_text(REMINDERS, "") == {}
