"""Guild configuration and feature flags on PostgreSQL (core.ports.guilds).

Settings and flags are written with INSERT ... ON CONFLICT DO UPDATE (one row per guild
and name, whoever comes first). A unit of work that reads the configuration for a
decision (a create) holds FOR KEY SHARE on the guild's row, which never blocks other
readers or an admin's change, but does make `forget` (which starts with FOR UPDATE on
that row) wait for the create, or the create wait for the forget: never a ticket written
into a guild that is being forgotten.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Unpack

from core.models import Department, Feature, FeatureFlags, GuildConfig
from core.ports.guilds import GuildSettingChanges
from storage.postgres.rows import Repository, affected

SETTING_COLUMNS = GuildSettingChanges.__optional_keys__

# forget's order: tickets first (their replies, close work and feedback go by cascade,
# and the triggers keep the counters), the counters last. Keys as SQLite reports them.
GUILD_TABLES = (
    "tickets",
    "forms",
    "ticket_counts",
    "response_counts",
    "response_histogram",
    "rating_counts",
    "feature_flags",
    "department_roles",
    "guild_settings",
    "ai_daily_usage",
    "support_hours",  # people added and close requests go with their tickets
    "tags",
    "blocks",
)


class PgGuilds(Repository):
    """core.ports.GuildRepository (and GuildReads, on the pool)."""

    async def config(self, guild_id: int) -> GuildConfig:
        # One round trip for a set-up guild (every create reads this): the department
        # roles ride along as two arrays in the same order.
        row = await self._db.fetchrow(
            "SELECT *, ARRAY(SELECT department FROM department_roles WHERE guild_id = $1"
            " ORDER BY department) AS role_departments, ARRAY(SELECT role_id FROM"
            " department_roles WHERE guild_id = $1 ORDER BY department) AS role_ids"
            " FROM guild_settings WHERE guild_id = $1" + self._locking("FOR KEY SHARE"),
            guild_id,
        )
        values: dict[str, Any] = {"guild_id": guild_id}
        if row is not None:
            values.update({column: row[column] for column in SETTING_COLUMNS})
            roles = zip(row["role_departments"], row["role_ids"], strict=True)
        else:  # no settings yet (roles may be set before the rest): a second statement
            roles = await self._db.fetch(
                "SELECT department, role_id FROM department_roles WHERE guild_id = $1", guild_id
            )
        values["department_roles"] = {Department(d): role_id for d, role_id in roles}
        return GuildConfig(**values)

    async def update_settings(
        self, guild_id: int, now: datetime, **changes: Unpack[GuildSettingChanges]
    ) -> None:
        unknown = set(changes) - SETTING_COLUMNS
        if unknown:
            raise ValueError(f"not a setting: {sorted(unknown)}")
        columns = ["guild_id", "updated_at", *changes]
        placeholders = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
        updates = ", ".join(f"{c} = excluded.{c}" for c in ["updated_at", *changes])
        await self._db.execute(
            f"INSERT INTO guild_settings ({', '.join(columns)}) VALUES ({placeholders})"
            f" ON CONFLICT (guild_id) DO UPDATE SET {updates}",
            guild_id,
            now,
            *changes.values(),
        )

    async def set_department_role(
        self, guild_id: int, department: Department, role_id: int
    ) -> None:
        await self._db.execute(
            "INSERT INTO department_roles (guild_id, department, role_id) VALUES ($1, $2, $3)"
            " ON CONFLICT (guild_id, department) DO UPDATE SET role_id = excluded.role_id",
            guild_id,
            department,
            role_id,
        )

    async def flags(self, guild_id: int) -> FeatureFlags:
        rows = await self._db.fetch(
            "SELECT name, enabled FROM feature_flags WHERE guild_id = $1", guild_id
        )
        return FeatureFlags(
            guild_id=guild_id, enabled={Feature(r["name"]): r["enabled"] for r in rows}
        )

    async def set_flag(self, guild_id: int, feature: Feature, enabled: bool) -> None:
        await self._db.execute(
            "INSERT INTO feature_flags (guild_id, name, enabled) VALUES ($1, $2, $3)"
            " ON CONFLICT (guild_id, name) DO UPDATE SET enabled = excluded.enabled",
            guild_id,
            feature,
            enabled,
        )

    async def forget(self, guild_id: int) -> dict[str, int]:
        """Delete every row of one guild (replies, staff notes and submissions go by
        cascade)."""
        await self._db.execute(
            "SELECT 1 FROM guild_settings WHERE guild_id = $1 FOR UPDATE", guild_id
        )
        removed: dict[str, int] = {}
        for table in GUILD_TABLES:
            status = await self._db.execute(f"DELETE FROM {table} WHERE guild_id = $1", guild_id)
            removed[table] = affected(status)
        return removed
