"""Slack installs and OAuth states in mentorbot's database: slack_sdk's SQLAlchemy stores over
the core's async engine, on the tables of `bot/storage/installations.py` (migration 0011).

What they lack is added here (ADR 0006): one bot row per workspace, a revoked bot deleting the
whole install, a lookup by workspace alone, encrypted tokens (`adapters/slack/encryption.py`),
and a hook (`on_changed`) so caches drop a workspace whose install changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from cryptography.fernet import MultiFernet
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import (
    AsyncSQLAlchemyInstallationStore,
    SQLAlchemyInstallationStore,
)
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, and_, desc
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.encryption import TokenColumn
from bot.storage.installations import slack_tables

log = logging.getLogger(__name__)


class InstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's store on our tables; removing a workspace's bot removes its whole install
    (a revoked bot token is no use, and it must not stay in the database). `on_changed` hears
    of every workspace whose bot was saved or removed, so caches drop it."""

    def __init__(
        self,
        client_id: str,
        engine: AsyncEngine,
        *,
        cipher: MultiFernet | None = None,
        on_changed: Callable[[str | None], None] = lambda _team: None,
    ) -> None:
        super().__init__(client_id, engine, logger=log)
        tables = slack_tables(MetaData(), TokenColumn(cipher))
        self.installations, self.bots = tables.installations, tables.bots
        self.on_changed = on_changed

    async def find_team_bot(self, team_id: str) -> Bot | None:
        """The latest bot of a workspace, whatever its Enterprise Grid org (deliveries know only
        the workspace)."""
        c = self.bots.c
        query = (
            self.bots.select()
            .where(and_(c.client_id == self.client_id, c.team_id == team_id))
            .where(c.bot_token.is_not(None))
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        async with self.engine.connect() as connection:
            row = (await connection.execute(query)).mappings().first()
        return None if row is None else SQLAlchemyInstallationStore.build_bot_entity(row)

    async def async_save(self, installation: Installation) -> None:
        """A (re)install replaces the workspace's earlier one: one row, one live token."""
        await super().async_delete_installation(
            enterprise_id=installation.enterprise_id, team_id=installation.team_id
        )
        await super().async_save(installation)

    async def async_save_bot(self, bot: Bot) -> None:
        """A workspace's bot, replacing its earlier row (slack_sdk keeps every one it saw, and
        a refreshed token must not sort level with the one it replaces)."""
        values = bot.to_dict()
        row = {
            **values,
            "client_id": self.client_id,
            "installed_at": normalize_datetime_for_db(values["installed_at"]),
            "bot_token_expires_at": normalize_datetime_for_db(values.get("bot_token_expires_at")),
        }
        c = self.bots.c
        async with self.engine.begin() as connection:
            await connection.execute(
                self.bots.delete().where(
                    and_(
                        c.client_id == self.client_id,
                        c.enterprise_id == bot.enterprise_id,
                        c.team_id == bot.team_id,
                    )
                )
            )
            await connection.execute(self.bots.insert(), row)
        self.on_changed(bot.team_id)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await super().async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await super().async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        log.info("Slack workspace %s: installation removed", team_id)
        self.on_changed(team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await super().async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )
        if user_id is None:
            self.on_changed(team_id)


class StateStore(AsyncSQLAlchemyOAuthStateStore):
    """slack_sdk's OAuth state store on our table: a state is good once, for ten minutes."""

    def __init__(self, engine: AsyncEngine, *, expiration_seconds: int = 600) -> None:
        super().__init__(expiration_seconds, engine, logger=log)
        self.oauth_states = slack_tables(MetaData()).oauth_states

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        """A new state; states that expired unused are deleted first (slack_sdk never does, and
        anyone can open the install page)."""
        now = normalize_datetime_for_db(datetime.now(tz=UTC))
        async with self.engine.begin() as connection:
            await connection.execute(
                self.oauth_states.delete().where(self.oauth_states.c.expire_at <= now)
            )
        return await super().async_issue()
