"""The staff tools on SQLite (core.ports.staff): tags, staff notes, blocks."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import datetime
from typing import Any

from core.staff_models import Block, BlockKind, StaffNote, Tag
from storage.sqlite.rows import Repository, fetch_all, fetch_one, fetch_value, to_db_time


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def tag_from_row(row: Any) -> Tag:
    return Tag(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        content=row["content"],
        created_by=row["created_by"],
        created_at=_time(row["created_at"]),
        updated_by=row["updated_by"],
        updated_at=_time(row["updated_at"]),
    )


def note_from_row(row: Any) -> StaffNote:
    return StaffNote(
        id=row["id"],
        ticket_id=row["ticket_id"],
        author_id=row["author_id"],
        body=row["body"],
        created_at=_time(row["created_at"]),
    )


def block_from_row(row: Any) -> Block:
    return Block(
        guild_id=row["guild_id"],
        kind=BlockKind(row["kind"]),
        target_id=row["target_id"],
        reason=row["reason"],
        blocked_by=row["blocked_by"],
        created_at=_time(row["created_at"]),
    )


class SqliteTags(Repository):
    """core.ports.TagRepository (and TagReads, on the read connection)."""

    async def get(self, guild_id: int, key: str) -> Tag | None:
        row = await fetch_one(
            self._conn, "SELECT * FROM tags WHERE guild_id = ? AND name_key = ?", (guild_id, key)
        )
        return None if row is None else tag_from_row(row)

    async def by_id(self, tag_id: int) -> Tag | None:
        row = await fetch_one(self._conn, "SELECT * FROM tags WHERE id = ?", (tag_id,))
        return None if row is None else tag_from_row(row)

    async def search(self, guild_id: int, needle: str, limit: int) -> list[Tag]:
        # instr, not LIKE: a typed % or _ is just a character.
        rows = await fetch_all(
            self._conn,
            "SELECT * FROM tags WHERE guild_id = ? AND instr(name_key, ?) > 0"
            " ORDER BY name_key LIMIT ?",
            (guild_id, needle, limit),
        )
        return [tag_from_row(row) for row in rows]

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Tag], int]:
        total = await fetch_value(
            self._conn, "SELECT COUNT(*) FROM tags WHERE guild_id = ?", (guild_id,)
        )
        rows = []
        if limit > 0:
            rows = await fetch_all(
                self._conn,
                "SELECT * FROM tags WHERE guild_id = ? ORDER BY name_key LIMIT ? OFFSET ?",
                (guild_id, limit, offset),
            )
        return [tag_from_row(row) for row in rows], int(total or 0)

    async def insert(
        self, *, guild_id: int, name: str, key: str, content: str, author_id: int, now: datetime
    ) -> Tag | None:
        when = to_db_time(now)
        row = await fetch_one(
            self._conn,
            "INSERT INTO tags (guild_id, name, name_key, content, created_by, created_at,"
            " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, name_key) DO NOTHING RETURNING *",
            (guild_id, name, key, content, author_id, when, author_id, when),
        )
        return None if row is None else tag_from_row(row)

    async def update(
        self, tag_id: int, *, name: str, key: str, content: str, editor_id: int, now: datetime
    ) -> Tag | None:
        try:
            row = await fetch_one(
                self._conn,
                "UPDATE tags SET name = ?, name_key = ?, content = ?, updated_by = ?,"
                " updated_at = ? WHERE id = ? RETURNING *",
                (name, key, content, editor_id, to_db_time(now), tag_id),
            )
        except sqlite3.IntegrityError:  # another tag of the guild has this name
            return None
        return None if row is None else tag_from_row(row)

    async def delete(self, tag_id: int) -> bool:
        cursor = await self._conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
        return cursor.rowcount == 1


class SqliteNotes(Repository):
    """core.ports.NoteRepository (and NoteReads, on the read connection)."""

    async def of_ticket(self, ticket_id: int) -> list[StaffNote]:
        rows = await fetch_all(
            self._conn, "SELECT * FROM staff_notes WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        )
        return [note_from_row(row) for row in rows]

    async def insert(
        self, *, ticket_id: int, author_id: int, body: str, now: datetime
    ) -> StaffNote:
        row = await fetch_one(
            self._conn,
            "INSERT INTO staff_notes (ticket_id, author_id, body, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING *",
            (ticket_id, author_id, body, to_db_time(now)),
        )
        return note_from_row(row)


class SqliteBlocks(Repository):
    """core.ports.BlockRepository (and BlockReads, on the read connection)."""

    async def matching(self, guild_id: int, user_id: int, role_ids: Collection[int]) -> list[Block]:
        roles = sorted(set(role_ids))
        role_test = f" OR (kind = 'role' AND target_id IN ({', '.join('?' * len(roles))}))"
        rows = await fetch_all(
            self._conn,
            "SELECT * FROM blocks WHERE guild_id = ? AND ((kind = 'member' AND target_id = ?)"
            + (role_test if roles else "")
            + ") ORDER BY kind = 'role', created_at",
            (guild_id, user_id, *roles),
        )
        return [block_from_row(row) for row in rows]

    async def get(self, guild_id: int, kind: BlockKind, target_id: int) -> Block | None:
        row = await fetch_one(
            self._conn,
            "SELECT * FROM blocks WHERE guild_id = ? AND kind = ? AND target_id = ?",
            (guild_id, kind, target_id),
        )
        return None if row is None else block_from_row(row)

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Block], int]:
        total = await fetch_value(
            self._conn, "SELECT COUNT(*) FROM blocks WHERE guild_id = ?", (guild_id,)
        )
        rows = await fetch_all(
            self._conn,
            "SELECT * FROM blocks WHERE guild_id = ? ORDER BY kind = 'role', created_at,"
            " target_id LIMIT ? OFFSET ?",
            (guild_id, limit, offset),
        )
        return [block_from_row(row) for row in rows], int(total or 0)

    async def put(
        self,
        *,
        guild_id: int,
        kind: BlockKind,
        target_id: int,
        reason: str | None,
        blocked_by: int,
        now: datetime,
    ) -> Block:
        row = await fetch_one(
            self._conn,
            "INSERT INTO blocks (guild_id, kind, target_id, reason, blocked_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, kind, target_id) DO UPDATE SET"
            " reason = excluded.reason, blocked_by = excluded.blocked_by,"
            " created_at = excluded.created_at RETURNING *",
            (guild_id, kind, target_id, reason, blocked_by, to_db_time(now)),
        )
        return block_from_row(row)

    async def remove(self, guild_id: int, kind: BlockKind, target_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM blocks WHERE guild_id = ? AND kind = ? AND target_id = ?",
            (guild_id, kind, target_id),
        )
        return cursor.rowcount == 1
