"""Guild configuration and feature flags on SQLite (core.ports.guilds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Unpack

from core.models import Department, Feature, FeatureFlags, GuildConfig
from core.ports.guilds import GuildSettingChanges
from storage.sqlite.rows import Repository, fetch_all, fetch_one, to_db_time

# The columns of guild_settings an admin changes: the port names them.
SETTING_COLUMNS = GuildSettingChanges.__optional_keys__


class SqliteGuilds(Repository):
    """core.ports.GuildRepository (and GuildReads, on the read connection)."""

    async def config(self, guild_id: int) -> GuildConfig:
        row = await fetch_one(
            self._conn, "SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        roles = await fetch_all(
            self._conn,
            "SELECT department, role_id FROM department_roles WHERE guild_id = ?",
            (guild_id,),
        )
        values: dict[str, Any] = {"guild_id": guild_id}
        if row is not None:
            values.update({column: row[column] for column in SETTING_COLUMNS})
        values["department_roles"] = {Department(r["department"]): r["role_id"] for r in roles}
        return GuildConfig(**values)

    async def update_settings(
        self, guild_id: int, now: datetime, **changes: Unpack[GuildSettingChanges]
    ) -> None:
        unknown = set(changes) - SETTING_COLUMNS
        if unknown:
            raise ValueError(f"not a setting: {sorted(unknown)}")
        columns = ["guild_id", "updated_at", *changes]
        placeholders = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in ["updated_at", *changes])
        await self._conn.execute(
            f"INSERT INTO guild_settings ({', '.join(columns)}) VALUES ({placeholders})"
            f" ON CONFLICT (guild_id) DO UPDATE SET {updates}",
            (guild_id, to_db_time(now), *changes.values()),
        )

    async def set_department_role(
        self, guild_id: int, department: Department, role_id: int
    ) -> None:
        await self._conn.execute(
            "INSERT INTO department_roles (guild_id, department, role_id) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, department) DO UPDATE SET role_id = excluded.role_id",
            (guild_id, department, role_id),
        )

    async def flags(self, guild_id: int) -> FeatureFlags:
        rows = await fetch_all(
            self._conn, "SELECT name, enabled FROM feature_flags WHERE guild_id = ?", (guild_id,)
        )
        return FeatureFlags(
            guild_id=guild_id, enabled={Feature(r["name"]): bool(r["enabled"]) for r in rows}
        )

    async def set_flag(self, guild_id: int, feature: Feature, enabled: bool) -> None:
        await self._conn.execute(
            "INSERT INTO feature_flags (guild_id, name, enabled) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, name) DO UPDATE SET enabled = excluded.enabled",
            (guild_id, feature, int(enabled)),
        )

    async def forget(self, guild_id: int) -> dict[str, int]:
        """Delete every row of one guild (replies, staff notes and submissions go by
        cascade)."""
        removed: dict[str, int] = {}
        for table in (
            "tickets",
            "forms",
            "ticket_counts",
            "response_counts",
            "response_histogram",
            "outside_hours_counts",
            "rating_counts",
            "feature_flags",
            "department_roles",
            "guild_settings",
            "ai_daily_usage",
            "support_hours",  # people added and close requests go with their tickets
            "tags",
            "blocks",
        ):
            cursor = await self._conn.execute(
                f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,)
            )
            removed[table] = cursor.rowcount
        return removed
