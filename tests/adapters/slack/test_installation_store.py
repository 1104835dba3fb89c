"""The install and OAuth state stores on both databases: tokens encrypted at rest, one row per
workspace, states good once; a missing or wrong key is a clear error, never a garbled token."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.encryption import TokenKeyError, token_cipher
from adapters.slack.installations import InstallationStore, StateStore
from bot.storage import migrate
from bot.storage.engine import make_engine
from bot.storage.installations import TABLES

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    await migrate.upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


def install(team: str, token: str, *, refresh: str | None = None) -> Installation:
    return Installation(
        app_id="A0FAKE",
        enterprise_id=None,
        team_id=team,
        team_name=team,
        bot_token=token,
        bot_id="B0" + team,
        bot_user_id="U0BOT",
        bot_scopes="commands,chat:write",
        bot_refresh_token=refresh,
        bot_token_expires_in=3600 if refresh else None,
        user_id="U0INSTALLER",
        installed_at=time.time(),
    )


async def raw_tokens(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        bots = await connection.execute(select(TABLES.bots.c.bot_token))
        installs = await connection.execute(select(TABLES.installations.c.bot_token))
        return [str(token) for token in [*bots.scalars(), *installs.scalars()]]


async def test_tokens_are_encrypted_and_a_reinstall_replaces_them(engine: AsyncEngine) -> None:
    store = InstallationStore("1111.2222", engine, cipher=token_cipher(OLD_KEY))

    await store.async_save(install("T0ONE", "xoxb-first", refresh="xoxe-first"))
    await store.async_save(install("T0ONE", "xoxb-second", refresh="xoxe-second"))
    await store.async_save(install("T0TWO", "xoxb-other"))

    found = await store.find_team_bot("T0ONE")
    assert found is not None
    assert (found.bot_token, found.bot_refresh_token) == ("xoxb-second", "xoxe-second")
    stored = await raw_tokens(engine)
    assert len(stored) == 4  # one bot row and one install row per workspace
    assert all(token.startswith("fernet:") and "xoxb" not in token for token in stored)


async def test_a_new_key_first_still_reads_tokens_of_the_old_one(engine: AsyncEngine) -> None:
    await InstallationStore("1111.2222", engine, cipher=token_cipher(OLD_KEY)).async_save(
        install("T0ONE", "xoxb-kept")
    )

    rotated = InstallationStore("1111.2222", engine, cipher=token_cipher(f"{NEW_KEY},{OLD_KEY}"))
    found = await rotated.find_team_bot("T0ONE")

    assert found is not None and found.bot_token == "xoxb-kept"


async def test_a_missing_or_wrong_key_is_an_error_not_a_token(engine: AsyncEngine) -> None:
    await InstallationStore("1111.2222", engine, cipher=token_cipher(OLD_KEY)).async_save(
        install("T0ONE", "xoxb-secret")
    )

    with pytest.raises(TokenKeyError, match="set MENTORBOT_SLACK_TOKEN_KEY"):
        await InstallationStore("1111.2222", engine).find_team_bot("T0ONE")
    with pytest.raises(TokenKeyError, match="does not decrypt"):
        await InstallationStore("1111.2222", engine, cipher=token_cipher(NEW_KEY)).find_team_bot(
            "T0ONE"
        )
    with pytest.raises(TokenKeyError, match="Fernet keys"):
        token_cipher("not-a-key")


async def test_without_a_key_tokens_are_stored_as_they_are(engine: AsyncEngine) -> None:
    store = InstallationStore("1111.2222", engine)
    await store.async_save(install("T0ONE", "xoxb-plain"))

    found = await store.find_team_bot("T0ONE")

    assert found is not None and found.bot_token == "xoxb-plain"
    assert "xoxb-plain" in await raw_tokens(engine)


async def test_uninstalling_deletes_every_row_of_the_workspace_only(engine: AsyncEngine) -> None:
    removed: list[str | None] = []
    store = InstallationStore("1111.2222", engine)
    await store.async_save(install("T0ONE", "xoxb-one"))
    await store.async_save(install("T0TWO", "xoxb-two"))
    store.on_changed = removed.append

    await store.async_delete_bot(enterprise_id=None, team_id="T0ONE")  # tokens_revoked

    assert await store.find_team_bot("T0ONE") is None
    assert await raw_tokens(engine) == ["xoxb-two", "xoxb-two"]
    assert removed == ["T0ONE"]


async def test_an_oauth_state_is_good_once(engine: AsyncEngine) -> None:
    states = StateStore(engine)
    state = await states.async_issue()

    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False
    assert await states.async_consume("forged") is False


async def test_states_that_expired_unused_are_deleted(engine: AsyncEngine) -> None:
    expired = StateStore(engine, expiration_seconds=-1)
    await expired.async_issue()
    await expired.async_issue()

    kept = await StateStore(engine).async_issue()

    async with engine.connect() as connection:
        rows = await connection.execute(select(TABLES.oauth_states.c.state))
        assert list(rows.scalars()) == [kept]
