"""Ports for a guild's configuration and feature flags."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypedDict, Unpack

from core.models import Department, Feature, FeatureFlags, GuildConfig


class GuildSettingChanges(TypedDict, total=False):
    """The settings an admin can change (each may be None: back to the default)."""

    ticket_channel_id: int | None
    staff_role_id: int | None
    log_channel_id: int | None
    review_channel_id: int | None
    max_open_tickets: int | None
    cooldown_seconds: int | None
    reminder_hours: int | None
    autoclose_hours: int | None
    ai_knowledge: str | None
    language: str | None  # a locale code (issue 18); None: the server's own on Discord


class GuildReads(Protocol):
    async def config(self, guild_id: int) -> GuildConfig:
        """The guild's setup; defaults for a guild that never ran one."""
        ...

    async def flags(self, guild_id: int) -> FeatureFlags: ...


class GuildRepository(GuildReads, Protocol):
    async def update_settings(
        self, guild_id: int, now: datetime, **changes: Unpack[GuildSettingChanges]
    ) -> None:
        """Create or change the guild's settings; others keep their values."""
        ...

    async def set_department_role(
        self, guild_id: int, department: Department, role_id: int
    ) -> None: ...

    async def set_flag(self, guild_id: int, feature: Feature, enabled: bool) -> None: ...

    async def forget(self, guild_id: int) -> dict[str, int]:
        """Delete everything of one guild; how many records went, by kind."""
        ...
