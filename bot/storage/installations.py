"""The tables Slack's OAuth installs are kept in, in mentorbot's own database (ADR 0006).

Their columns are the ones slack_sdk's SQLAlchemy installation and OAuth state stores read and
write, so the adapter reuses those stores as they are; only the token columns are ours: wide
enough for an encrypted token, with a type the adapter may swap for one that encrypts
(`slack_tables(metadata, token_type)`). Times are naive UTC, as those stores write them.
This module knows nothing of Slack's SDK: the core stays platform-free.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from bot.storage.tables import Base

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"


@dataclass(frozen=True)
class SlackTables:
    """One workspace's install (and its installer), its bot token, and OAuth states in flight."""

    installations: Table
    bots: Table
    oauth_states: Table


def slack_tables(metadata: MetaData, token: TypeEngine[str] | None = None) -> SlackTables:
    """The three tables on `metadata`; `token` is the type of every token column."""
    secret: TypeEngine[str] = token if token is not None else Text()
    installations = Table(
        INSTALLATIONS,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        Column("enterprise_url", String(200)),
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", secret),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", secret),
        Column("bot_token_expires_at", DateTime()),
        Column("user_id", String(32), nullable=False),
        Column("user_token", secret),
        Column("user_scopes", String(1000)),
        Column("user_refresh_token", secret),
        Column("user_token_expires_at", DateTime()),
        Column("incoming_webhook_url", secret),
        Column("incoming_webhook_channel", String(200)),
        Column("incoming_webhook_channel_id", String(200)),
        Column("incoming_webhook_configuration_url", String(200)),
        Column("is_enterprise_install", Boolean, nullable=False, default=False),
        Column("token_type", String(32)),
        Column("installed_at", DateTime(), nullable=False),
        Index(
            "ix_slack_installations_team",
            "client_id",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )
    bots = Table(
        BOTS,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", secret),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", secret),
        Column("bot_token_expires_at", DateTime()),
        Column("is_enterprise_install", Boolean, nullable=False, default=False),
        Column("installed_at", DateTime(), nullable=False),
        Index("ix_slack_bots_team", "client_id", "enterprise_id", "team_id", "installed_at"),
    )
    oauth_states = Table(
        OAUTH_STATES,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("state", String(200), nullable=False),
        Column("expire_at", DateTime(), nullable=False),
        Index("ix_slack_oauth_states_state", "state"),
    )
    return SlackTables(installations, bots, oauth_states)


# Registered on the models' metadata, so migrations and the schema test know them.
TABLES = slack_tables(Base.metadata)
