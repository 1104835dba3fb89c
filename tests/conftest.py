"""Shared fixtures: a loopback-only network guard, real databases, a core on a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.clock import FakeClock
from bot.settings import Settings
from tests.fakes.slack_server import FakeSlack
from tests.support import network
from tests.support.databases import (
    ON_POSTGRES,
    SchemaTemplate,
    drop_made_databases,
    postgres_database,
    suite_database,
)

network.install()

START = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # a Monday, 14:00 in Berlin


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(f"MENTORBOT_{name}", raising=False)
    monkeypatch.chdir(tmp_path)  # so a stray .env or mentorbot.db never leaks in or out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL (`MENTORBOT_TEST_DATABASE=postgresql`), tests about SQLite itself skip."""
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="about SQLite itself; the suite runs on PostgreSQL")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file, whatever the suite runs on: for tests about SQLite itself."""
    return f"sqlite+aiosqlite:///{tmp_path / 'mentorbot.db'}"


@pytest.fixture
def store_url(tmp_path: Path) -> Iterator[str]:
    """The bot's database: a fresh SQLite file, or a fresh PostgreSQL database when the suite
    runs on PostgreSQL (`MENTORBOT_TEST_DATABASE=postgresql`)."""
    with suite_database(tmp_path) as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database (whatever the suite runs on)."""
    with postgres_database() as url:
        yield url


BOTH = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BOTH[1:] if ON_POSTGRES else BOTH)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Both embedded SQLite and PostgreSQL: storage behaviour must match on both (PostgreSQL
    only, when the whole suite runs on it)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'mentorbot.db'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": database_url, "default_timezone": "UTC"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory: pytest.TempPathFactory) -> SchemaTemplate:
    return SchemaTemplate(tmp_path_factory.mktemp("schema"))


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    yield
    drop_made_databases()


@pytest.fixture
async def core(
    store_url: str, clock: FakeClock, schema_template: SchemaTemplate
) -> AsyncIterator[Core]:
    await schema_template.copy_into(store_url)  # a migrated copy: much faster than migrating
    bot = Core(make_settings(store_url, send_rate_per_second=1000.0), clock=clock)
    await bot.migrate()
    async with bot:
        yield bot


@pytest.fixture
async def chat(core: Core) -> ConsoleChat:
    return ConsoleChat(core)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack on loopback: for the in-process app (tests/adapters) and the real process."""
    async with FakeSlack() as fake:
        yield fake
