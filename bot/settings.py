"""Configuration from `MENTORBOT_*` environment variables and an optional `.env` file.

Every field here is listed in the README's settings table; secrets are `SecretStr` so they never
appear in logs or reprs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MENTORBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        "sqlite+aiosqlite:///mentorbot.db",
        description="SQLAlchemy async URL; postgresql+asyncpg://... for PostgreSQL.",
    )
    default_timezone: str = Field("UTC", description="Zone for members who have not set one.")
    log_level: str = Field("INFO", description="Python logging level.")
    log_format: Literal["text", "json"] = Field(
        "text", description="Log lines as text, or as JSON objects with correlation ids."
    )

    max_active_reminders: int = Field(100, ge=1, description="Active reminders per member.")
    max_reminder_chars: int = Field(1000, ge=10, le=1800, description="Characters a reminder.")
    max_ahead_days: int = Field(5 * 365 + 1, ge=1, description="How far ahead a reminder may be.")
    late_notice_seconds: float = Field(
        60.0, ge=0, description="Deliveries later than this say sorry and by how much."
    )
    dispatch_batch: int = Field(500, ge=1, le=5000, description="Due rows claimed per batch.")
    send_concurrency: int = Field(32, ge=1, description="Deliveries in flight per platform.")
    send_rate_per_second: float = Field(
        20.0,
        gt=0,
        description=(
            "Deliveries started per second per platform (token bucket). A first Discord DM is"
            " two requests against a 50/s global limit."
        ),
    )
    stuck_after_seconds: float = Field(
        120.0, gt=0, description="A claimed delivery not recorded after this is retried once."
    )
    content_dir: str | None = Field(
        None, description="Folder of content files to use instead of the shipped ones."
    )
    checkin_retention_months: int | None = Field(
        None,
        ge=1,
        le=600,
        description="Delete check-in answers older than this many months (unset: keep them).",
    )
    console_user: str = Field("you", description="The console adapter's local member name.")
    console_linger_seconds: float = Field(
        90.0,
        ge=0,
        description="Non-interactive console: after input ends, wait for reminders due this soon.",
    )
    console_files_dir: str = Field(
        "mentorbot-files",
        description="Folder (relative to the working directory) the console saves files into.",
    )

    discord_token: SecretStr | None = Field(None, description="Discord bot token.")
    discord_application_id: str | None = Field(
        None, description="Discord application id (for `mentorbot discord invite-url`)."
    )
    discord_dev_guild: str | None = Field(
        None, description="Sync commands to this guild only (instant; for development)."
    )
    discord_shard_count: int | None = Field(None, ge=1, description="Total Discord shards.")
    discord_shard_ids: str | None = Field(
        None, description="Comma-separated shard ids this process runs (default: all)."
    )
    discord_api_base: str | None = Field(None, description="Override Discord's REST base URL.")
    discord_gateway_url: str | None = Field(None, description="Override Discord's gateway URL.")

    slack_bot_token: SecretStr | None = Field(None, description="Slack bot token (xoxb-).")
    slack_app_token: SecretStr | None = Field(None, description="Slack app token for Socket Mode.")
    slack_signing_secret: SecretStr | None = Field(None, description="Slack HTTP-mode secret.")
    slack_api_url: str | None = Field(None, description="Override Slack's Web API base URL.")
    slack_client_id: str | None = Field(
        None, description="Slack app client id: OAuth installs, many workspaces (HTTP mode)."
    )
    slack_client_secret: SecretStr | None = Field(
        None, description="Slack app client secret (OAuth installs)."
    )
    slack_token_key: SecretStr | None = Field(
        None, description="Fernet key(s), comma-separated: stored Slack tokens are encrypted."
    )
    http_host: str = Field("0.0.0.0", description="Bind address of the HTTP server (Slack).")
    http_port: int = Field(8080, ge=0, le=65535, description="Port of the HTTP server (Slack).")

    @property
    def slack_oauth(self) -> bool:
        """Slack installs through OAuth (many workspaces) instead of one bot token."""
        return bool(self.slack_client_id or self.slack_client_secret)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token or self.slack_oauth)

    @property
    def platform_tokens_set(self) -> bool:
        return bool(self.discord_token or self.slack_enabled)
