"""Settings come from MENTORBOT_* variables, and every one is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings

README = Path(__file__).parents[2] / "README.md"


def test_every_setting_is_in_the_readme_table() -> None:
    text = README.read_text()
    missing = [name for name in Settings.model_fields if f"`MENTORBOT_{name.upper()}`" not in text]
    assert missing == []


def test_environment_overrides_and_secrets_stay_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORBOT_MAX_ACTIVE_REMINDERS", "7")
    monkeypatch.setenv("MENTORBOT_DISCORD_TOKEN", "very-secret-token")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.max_active_reminders == 7
    assert settings.discord_token is not None
    assert "very-secret-token" not in repr(settings)
    assert settings.discord_token.get_secret_value() == "very-secret-token"


def test_defaults_are_the_embedded_setup() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite+aiosqlite:///mentorbot.db"
    assert not settings.platform_tokens_set


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORBOT_MAX_ACTIVE_REMINDERS", "0")
    with pytest.raises(ValueError, match="max_active_reminders"):
        Settings(_env_file=None)  # type: ignore[call-arg]
