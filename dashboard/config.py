"""What the dashboard needs from the settings, checked once when the app is built."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from core.settings import Settings

DISCORD_API_DEFAULT = "https://discord.com/api/v10"
SCOPES = "identify guilds"
CALLBACK_PATH = "/callback"


@dataclass(frozen=True)
class DashboardConfig:
    public_url: str  # DASHBOARD_URL without a trailing slash
    client_id: int
    client_secret: str
    session_secret: str
    authorize_url: str
    api_base: str
    session_hours: float = 12.0

    @property
    def redirect_uri(self) -> str:
        """The OAuth2 redirect to register in the Discord developer portal."""
        return self.public_url + CALLBACK_PATH

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"


REQUIRED = ("DASHBOARD_URL", "DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET", "SESSION_SECRET")
SESSION_SECRET_MIN = 32


def missing_settings(settings: Settings) -> list[str]:
    """The dashboard's settings that are unset (or too weak), by name."""
    missing = [name for name in REQUIRED if getattr(settings, name) is None]
    secret = settings.SESSION_SECRET
    if secret is not None and len(secret.get_secret_value()) < SESSION_SECRET_MIN:
        missing.append(f"SESSION_SECRET (at least {SESSION_SECRET_MIN} characters)")
    return missing


def dashboard_config(settings: Settings) -> DashboardConfig | None:
    """None while a required setting is missing: the dashboard then shows which."""
    if missing_settings(settings):
        return None
    assert settings.DASHBOARD_URL and settings.DISCORD_CLIENT_ID
    assert settings.DISCORD_CLIENT_SECRET and settings.SESSION_SECRET
    return DashboardConfig(
        public_url=settings.DASHBOARD_URL.rstrip("/"),
        client_id=settings.DISCORD_CLIENT_ID,
        client_secret=settings.DISCORD_CLIENT_SECRET.get_secret_value(),
        session_secret=settings.SESSION_SECRET.get_secret_value(),
        authorize_url=settings.DISCORD_OAUTH_URL,
        api_base=settings.DISCORD_API_BASE or DISCORD_API_DEFAULT,
    )
