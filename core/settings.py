"""Runtime settings, read from the environment and `.env` (SPEC §5).

Names are a contract: keep them exactly. A bad value becomes one readable line
through `describe_settings_error`, never a traceback wall.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.shards import (
    MAX_SHARD_COUNT,
    ShardSet,
    check_shard_ids,
    format_shard_ids,
    parse_shard_ids,
)

LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    DISCORD_TOKEN: SecretStr
    DATABASE_PATH: Path = Path("tickets.db")
    # PostgreSQL instead of the SQLite file (SPEC §10); secret, as it may hold a password.
    DATABASE_URL: SecretStr | None = None
    OPENAI_API_KEY: SecretStr | None = None
    OPENAI_BASE_URL: str | None = None
    AI_MODEL: str | None = None
    DEV_GUILD_ID: int | None = None
    LOG_LEVEL: str = "INFO"
    DISCORD_API_BASE: str | None = None
    DISCORD_GATEWAY_URL: str | None = None
    # Bounds on AI cost and latency (SPEC §4); defaults suit a small community.
    AI_MAX_TOKENS: int = Field(default=600, ge=16, le=32000)
    AI_TIMEOUT_SECONDS: float = Field(default=30.0, gt=0, le=600)
    # How long start-up keeps retrying (with backoff) while Discord cannot be reached.
    DISCORD_RETRY_SECONDS: float = Field(default=300.0, gt=0, le=86400)
    # How often the upkeep sweep runs (reminders, auto-close, unfinished closes); the
    # end-to-end tests shorten it. TICKETDESK_SWEEP_SECONDS is the older name.
    SWEEP_INTERVAL_SECONDS: float = Field(
        default=300.0,
        gt=0,
        le=86400,
        validation_alias=AliasChoices("SWEEP_INTERVAL_SECONDS", "TICKETDESK_SWEEP_SECONDS"),
    )
    # How long a half-filled multi-page form is kept between pages, on the monotonic clock;
    # the end-to-end tests shorten it. TICKETDESK_FORM_SESSION_SECONDS is the older name.
    FORM_SESSION_SECONDS: float = Field(
        default=30 * 60.0,
        gt=0,
        validation_alias=AliasChoices("FORM_SESSION_SECONDS", "TICKETDESK_FORM_SESSION_SECONDS"),
    )
    # TESTS ONLY: the bot's clock runs this file's number of seconds ahead of the system
    # clock, so end-to-end tests reach reminders and auto-close without waiting. Never set
    # it in production. TICKETDESK_CLOCK_OFFSET_FILE is the older name.
    TEST_CLOCK_OFFSET_FILE: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("TEST_CLOCK_OFFSET_FILE", "TICKETDESK_CLOCK_OFFSET_FILE"),
    )

    # HTTP API (SPEC §8): off unless API_PORT is set; served inside the bot process (or by
    # `python -m api` with a database several processes can share).
    API_PORT: int | None = Field(default=None, ge=1, le=65535)
    API_HOST: str = "127.0.0.1"
    # How many API requests one credential may make per window (a fixed window, counted in
    # the database so every process shares it).
    API_RATE_LIMIT: int = Field(default=120, ge=1, le=100000)
    API_RATE_WINDOW_SECONDS: int = Field(default=60, ge=1, le=3600)
    # Webhooks: the first retry's pause (doubling up to an hour, for a day); and whether
    # webhook URLs may point at private or loopback addresses (off: a server admin must not
    # reach the bot host's own network through a webhook).
    WEBHOOK_RETRY_SECONDS: float = Field(default=30.0, gt=0, le=3600)
    WEBHOOK_ALLOW_PRIVATE_URLS: bool = False
    # Web dashboard (SPEC §9): served by the same HTTP server; all optional here, the
    # dashboard decides what it needs to run.
    DASHBOARD_URL: str | None = None
    DISCORD_CLIENT_ID: int | None = None
    DISCORD_CLIENT_SECRET: SecretStr | None = None
    SESSION_SECRET: SecretStr | None = None
    DISCORD_OAUTH_URL: str = "https://discord.com/oauth2/authorize"
    # Gateway shards (SPEC §10): this process runs as shards SHARD_IDS ("0,1" or "0-3") of
    # SHARD_COUNT; SHARD_COUNT alone means all of them. Unset: one connection, no shards.
    SHARD_COUNT: int | None = Field(default=None, ge=1, le=MAX_SHARD_COUNT)
    SHARD_IDS: str | None = None

    @field_validator("DISCORD_TOKEN")
    @classmethod
    def _token_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("DATABASE_PATH")
    @classmethod
    def _database_dir_exists(cls, value: Path) -> Path:
        parent = value.expanduser().resolve().parent
        if not parent.is_dir():
            raise ValueError(f"directory {parent} does not exist")
        return value

    @field_validator("DATABASE_URL")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None  # set but empty: SQLite, as if unset
        if not value.get_secret_value().strip().startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (or be left unset for SQLite)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("LOG_LEVEL")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("DEV_GUILD_ID")
    @classmethod
    def _snowflake(cls, value: int | None) -> int | None:
        if value is not None and value <= 0:
            raise ValueError("must be a positive Discord server id")
        return value

    @field_validator("DISCORD_API_BASE", "OPENAI_BASE_URL", "DASHBOARD_URL", "DISCORD_OAUTH_URL")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("DISCORD_GATEWAY_URL")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://")
        return value

    @field_validator("SHARD_IDS")
    @classmethod
    def _shard_ids(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None  # `SHARD_IDS=` in an env file: not set
        ids = parse_shard_ids(value)
        if "SHARD_COUNT" not in info.data:
            return format_shard_ids(ids)  # SHARD_COUNT is invalid itself: that line says so
        count = info.data["SHARD_COUNT"]
        if count is None:
            raise ValueError("needs SHARD_COUNT too (how many shards the bot has in all)")
        check_shard_ids(ids, count)
        return format_shard_ids(ids)

    @property
    def shards(self) -> ShardSet | None:
        """The shards this process holds; None when the bot runs unsharded."""
        if self.SHARD_COUNT is None:
            return None
        ids = parse_shard_ids(self.SHARD_IDS) if self.SHARD_IDS else range(self.SHARD_COUNT)
        return ShardSet(self.SHARD_COUNT, tuple(ids))

    @property
    def api_enabled(self) -> bool:
        return self.API_PORT is not None

    @property
    def ai_configured(self) -> bool:
        return bool(
            self.OPENAI_API_KEY and self.OPENAI_API_KEY.get_secret_value() and self.AI_MODEL
        )


def describe_settings_error(error: ValidationError) -> str:
    """One line naming each bad variable, without echoing secret values."""
    parts = []
    for item in error.errors():
        name = ".".join(str(p) for p in item["loc"]) or "settings"
        if item["type"] == "missing":
            parts.append(f"{name} is required but not set")
        else:
            message = item["msg"].removeprefix("Value error, ")
            parts.append(f"{name} is invalid: {message}")
    return "Configuration error: " + "; ".join(parts)
