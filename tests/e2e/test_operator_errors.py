"""What an operator sees when a setting cannot work: one line saying what to do, no traceback.

Each runs the real `mentorbot` command. A package that is "not installed" is made so by
tests/support/blocked_imports (a sitecustomize that makes its import fail as a missing one does).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.cli import invite_url
from tests.e2e.process import PROXIES, free_port

pytestmark = pytest.mark.slow

BLOCKER = Path(__file__).parents[1] / "support" / "blocked_imports"
SCRIPT = Path(sys.executable).with_name("mentorbot")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "adapters"]


def mentorbot(
    tmp_path: Path, *args: str, blocked: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("MENTORBOT_") and k not in PROXIES
    }
    env["MENTORBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env.update({f"MENTORBOT_{name.upper()}": value for name, value in settings.items()})
    if blocked:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BLOCKER), env.get("PYTHONPATH")]))
        env["MENTORBOT_TEST_BLOCKED_IMPORTS"] = blocked
    return subprocess.run(
        [*COMMAND, *args],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line, after checking it is the only thing said and the exit status."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mentorbot: ")
    return lines[0]


def test_the_blocker_makes_a_package_look_uninstalled(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(BLOCKER), "MENTORBOT_TEST_BLOCKED_IMPORTS": "discord"}
    probe = "import discord"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert "ModuleNotFoundError: No module named 'discord'" in result.stderr


@pytest.mark.parametrize(
    ("platform", "settings", "module"),
    [
        ("discord", {"discord_token": "x.y.z"}, "discord"),
        ("slack", {"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-1"}, "slack_bolt"),
    ],
)
def test_a_token_without_its_extra_says_which_to_install(
    tmp_path: Path, platform: str, settings: dict[str, str], module: str
) -> None:
    line = one_line(mentorbot(tmp_path, "run", blocked=module, **settings))
    assert f"{module} is not installed" in line
    assert f"pip install 'mentorbot[{platform}]'" in line
    assert not (tmp_path / "bot.db").exists()  # refused before the database was touched


def test_a_platform_that_cannot_start_says_why(tmp_path: Path) -> None:
    result = mentorbot(tmp_path, "run", slack_bot_token="xoxb-1", log_level="WARNING")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("mentorbot: SlackNotConfigured: set MENTORBOT_SLACK_APP_TOKEN")
    assert "docs/slack-setup.md" in last


def test_postgresql_without_its_driver(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://mentorbot@127.0.0.1/mentorbot"
    line = one_line(mentorbot(tmp_path, "run", blocked="asyncpg", database_url=url))
    assert "asyncpg is not installed" in line and "pip install 'mentorbot[postgres]'" in line


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url at all", "is not a database URL; use e.g. sqlite+aiosqlite:///"),
        ("postgresql://me:secret@127.0.0.1/db", "must start with postgresql+asyncpg://"),
        ("sqlite:///bot.db", "must start with sqlite+aiosqlite://"),
        ("mysql+aiomysql://me@127.0.0.1/db", "runs on SQLite or PostgreSQL"),
    ],
)
def test_a_malformed_database_url(tmp_path: Path, url: str, said: str) -> None:
    for command in (["run"], ["db", "upgrade"]):
        line = one_line(mentorbot(tmp_path, *command, database_url=url))
        assert said in line and "secret" not in line


def test_an_unreachable_database_server(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://mentorbot:secret@127.0.0.1:{free_port()}/mentorbot"
    line = one_line(mentorbot(tmp_path, "run", database_url=url))
    assert "cannot reach the database at postgresql+asyncpg://mentorbot:***@127.0.0.1" in line
    assert "is the server running" in line and "secret" not in line


@pytest.mark.sqlite_only
def test_sqlite_paths_that_cannot_be_used(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "bot.db"
    line = one_line(mentorbot(tmp_path, "run", database_url=f"sqlite+aiosqlite:///{missing}"))
    assert f"folder {missing.parent} does not exist" in line

    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    line = one_line(mentorbot(tmp_path, "run", database_url=f"sqlite+aiosqlite:///{folder}"))
    assert "is a folder" in line

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database file " * 200)
    line = one_line(
        mentorbot(tmp_path, "db", "upgrade", database_url=f"sqlite+aiosqlite:///{garbage}")
    )
    assert f"cannot open the SQLite database sqlite+aiosqlite:///{garbage}" in line


def test_an_invalid_setting_names_its_variable(tmp_path: Path) -> None:
    line = one_line(mentorbot(tmp_path, "run", max_active_reminders="lots"))
    assert "MENTORBOT_MAX_ACTIVE_REMINDERS" in line and "valid integer" in line


def test_the_invite_url_needs_no_discord_py(tmp_path: Path) -> None:
    application = "123456789012345678"
    result = mentorbot(
        tmp_path, "discord", "invite-url", "--application-id", application, blocked="discord"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == invite_url(application)
    from_env = mentorbot(tmp_path, "discord", "invite-url", discord_application_id=application)
    assert from_env.stdout.strip() == invite_url(application)


@pytest.mark.parametrize("given", ["123", "my-bot", "12345678901234567890123", ""])
def test_the_application_id_is_checked(tmp_path: Path, given: str) -> None:
    line = one_line(mentorbot(tmp_path, "discord", "invite-url", "--application-id", given))
    assert "Application ID" in line


def test_the_invite_url_is_the_one_discord_py_builds() -> None:
    discord = pytest.importorskip("discord")
    application = "123456789012345678"
    expected = discord.utils.oauth_url(
        application, permissions=discord.Permissions.none(), scopes=("bot", "applications.commands")
    )
    assert invite_url(application) == expected
    assert parse_qs(urlsplit(expected).query)["permissions"] == ["0"]


@pytest.mark.parametrize(
    "given",
    ["http://bot.example.org", "bot.example.org", "https://", "https://bot.example.org/?a=1"],
)
def test_the_slack_http_url_is_checked(tmp_path: Path, given: str) -> None:
    line = one_line(mentorbot(tmp_path, "slack", "manifest", "--http", given))
    assert "--http" in line and "https://bot.example.org" in line


def test_a_good_slack_http_url_gets_its_events_path(tmp_path: Path) -> None:
    result = mentorbot(tmp_path, "slack", "manifest", "--http", "https://bot.example.org/")
    assert result.returncode == 0, result.stderr
    assert '"request_url": "https://bot.example.org/slack/events"' in result.stdout
    assert '"socket_mode_enabled": false' in result.stdout
