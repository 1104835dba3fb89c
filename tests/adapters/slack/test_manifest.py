"""`mentorbot slack manifest`: a ready app manifest with the minimum scopes, in both modes."""

from __future__ import annotations

import pytest

from adapters.slack.manifest import BOT_SCOPES, manifest
from bot.app import Core


def test_socket_mode_manifest(core: Core) -> None:
    app = manifest(True, None, router=core.router)

    settings = app["settings"]
    assert settings["socket_mode_enabled"] is True
    assert "request_url" not in settings["interactivity"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert app["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert set(BOT_SCOPES) == {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "files:write",
        "im:history",
        "channels:history",
    }
    assert app["features"]["app_home"]["home_tab_enabled"] is True
    (command,) = app["features"]["slash_commands"]
    assert command["command"] == "/mentor"
    assert "url" not in command


def test_shortcuts_follow_the_catalogue(core: Core) -> None:
    shortcuts = manifest(True, None, router=core.router)["features"]["shortcuts"]

    assert {(s["type"], s["callback_id"]) for s in shortcuts} == {
        ("global", "mentorbot.menu"),
        *(("message", action.name) for action in core.router.message_catalogue),
    }
    assert all(len(s["name"]) <= 24 for s in shortcuts)


def test_http_mode_points_every_endpoint_at_slack_events() -> None:
    app = manifest(False, "https://bot.example.org/")

    url = "https://bot.example.org/slack/events"
    assert app["settings"]["socket_mode_enabled"] is False
    assert app["settings"]["interactivity"]["request_url"] == url
    assert app["settings"]["interactivity"]["message_menu_options_url"] == url
    assert app["settings"]["event_subscriptions"]["request_url"] == url
    assert app["features"]["slash_commands"][0]["url"] == url


def test_http_mode_needs_a_url() -> None:
    with pytest.raises(ValueError):
        manifest(False, None)


def test_the_manifest_needs_no_core_and_no_database() -> None:
    """The catalogue comes from the feature list: `bot.app` (and so any engine) is never loaded."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from adapters.slack.manifest import manifest\n"
        "app = manifest(True, None)\n"
        "assert 'bot.app' not in sys.modules, 'a Core was built'\n"
        "print(app['features']['slash_commands'][0]['usage_hint'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert {"remind", "reminders", "timezone", "help"} <= set(done.stdout.strip().split(" · "))


def test_oauth_manifest_has_the_redirect_url_and_the_uninstall_events() -> None:
    app = manifest(False, "https://bot.example.org/", oauth=True)

    assert app["oauth_config"]["redirect_urls"] == ["https://bot.example.org/slack/oauth_redirect"]
    assert app["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert app["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    with pytest.raises(ValueError, match="HTTP mode"):
        manifest(True, None, oauth=True)
