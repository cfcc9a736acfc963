"""The staff tools on PostgreSQL (core.ports.staff): tags, staff notes, blocks.

Race-freedom, kept by PostgreSQL across processes:
- one tag per (guild, casefolded name): the unique constraint of migration 0008; a create
  is INSERT … ON CONFLICT DO NOTHING, and a rename that collides is caught inside a
  SAVEPOINT (so the unit of work's transaction stays usable) and answered None;
- blocks: INSERT … ON CONFLICT DO UPDATE (one row per target, last writer's reason);
- notes only ever insert.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import asyncpg

from core.staff_models import Block, BlockKind, StaffNote, Tag
from storage.postgres.rows import Repository, affected


def tag_from_row(row: Any) -> Tag:
    return Tag(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        content=row["content"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
    )


def note_from_row(row: Any) -> StaffNote:
    return StaffNote(
        id=row["id"],
        ticket_id=row["ticket_id"],
        author_id=row["author_id"],
        body=row["body"],
        created_at=row["created_at"],
    )


def block_from_row(row: Any) -> Block:
    return Block(
        guild_id=row["guild_id"],
        kind=BlockKind(row["kind"]),
        target_id=row["target_id"],
        reason=row["reason"],
        blocked_by=row["blocked_by"],
        created_at=row["created_at"],
    )


class PgTags(Repository):
    """core.ports.TagRepository (and TagReads, on the pool)."""

    async def get(self, guild_id: int, key: str) -> Tag | None:
        row = await self._db.fetchrow(
            "SELECT * FROM tags WHERE guild_id = $1 AND name_key = $2", guild_id, key
        )
        return None if row is None else tag_from_row(row)

    async def by_id(self, tag_id: int) -> Tag | None:
        row = await self._db.fetchrow(
            "SELECT * FROM tags WHERE id = $1" + self._locking("FOR UPDATE"), tag_id
        )
        return None if row is None else tag_from_row(row)

    async def search(self, guild_id: int, needle: str, limit: int) -> list[Tag]:
        # strpos, not LIKE: a typed % or _ is just a character.
        rows = await self._db.fetch(
            "SELECT * FROM tags WHERE guild_id = $1 AND strpos(name_key, $2) > 0"
            ' ORDER BY name_key COLLATE "C" LIMIT $3',
            guild_id,
            needle,
            limit,
        )
        return [tag_from_row(row) for row in rows]

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Tag], int]:
        total = await self._db.fetchval("SELECT COUNT(*) FROM tags WHERE guild_id = $1", guild_id)
        rows = []
        if limit > 0:
            rows = await self._db.fetch(
                'SELECT * FROM tags WHERE guild_id = $1 ORDER BY name_key COLLATE "C"'
                " LIMIT $2 OFFSET $3",
                guild_id,
                limit,
                offset,
            )
        return [tag_from_row(row) for row in rows], int(total or 0)

    async def insert(
        self, *, guild_id: int, name: str, key: str, content: str, author_id: int, now: datetime
    ) -> Tag | None:
        row = await self._db.fetchrow(
            "INSERT INTO tags (guild_id, name, name_key, content, created_by, created_at,"
            " updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $5, $6)"
            " ON CONFLICT (guild_id, name_key) DO NOTHING RETURNING *",
            guild_id,
            name,
            key,
            content,
            author_id,
            now,
        )
        return None if row is None else tag_from_row(row)

    async def update(
        self, tag_id: int, *, name: str, key: str, content: str, editor_id: int, now: datetime
    ) -> Tag | None:
        try:
            # A SAVEPOINT: a unique violation aborts only it, not the unit of work.
            async with self._db.transaction():
                row = await self._db.fetchrow(
                    "UPDATE tags SET name = $2, name_key = $3, content = $4, updated_by = $5,"
                    " updated_at = $6 WHERE id = $1 RETURNING *",
                    tag_id,
                    name,
                    key,
                    content,
                    editor_id,
                    now,
                )
        except asyncpg.UniqueViolationError:  # another tag of the guild has this name
            return None
        return None if row is None else tag_from_row(row)

    async def delete(self, tag_id: int) -> bool:
        return affected(await self._db.execute("DELETE FROM tags WHERE id = $1", tag_id)) == 1


class PgNotes(Repository):
    """core.ports.NoteRepository (and NoteReads, on the pool)."""

    async def of_ticket(self, ticket_id: int) -> list[StaffNote]:
        rows = await self._db.fetch(
            "SELECT * FROM staff_notes WHERE ticket_id = $1 ORDER BY id", ticket_id
        )
        return [note_from_row(row) for row in rows]

    async def insert(
        self, *, ticket_id: int, author_id: int, body: str, now: datetime
    ) -> StaffNote:
        row = await self._db.fetchrow(
            "INSERT INTO staff_notes (ticket_id, author_id, body, created_at)"
            " VALUES ($1, $2, $3, $4) RETURNING *",
            ticket_id,
            author_id,
            body,
            now,
        )
        return note_from_row(row)


class PgBlocks(Repository):
    """core.ports.BlockRepository (and BlockReads, on the pool)."""

    async def matching(self, guild_id: int, user_id: int, role_ids: Collection[int]) -> list[Block]:
        rows = await self._db.fetch(
            "SELECT * FROM blocks WHERE guild_id = $1 AND ((kind = 'member' AND target_id = $2)"
            " OR (kind = 'role' AND target_id = ANY($3::bigint[])))"
            " ORDER BY kind = 'role', created_at",
            guild_id,
            user_id,
            sorted(set(role_ids)),
        )
        return [block_from_row(row) for row in rows]

    async def get(self, guild_id: int, kind: BlockKind, target_id: int) -> Block | None:
        row = await self._db.fetchrow(
            "SELECT * FROM blocks WHERE guild_id = $1 AND kind = $2 AND target_id = $3",
            guild_id,
            kind,
            target_id,
        )
        return None if row is None else block_from_row(row)

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Block], int]:
        total = await self._db.fetchval("SELECT COUNT(*) FROM blocks WHERE guild_id = $1", guild_id)
        rows = await self._db.fetch(
            "SELECT * FROM blocks WHERE guild_id = $1 ORDER BY kind = 'role', created_at,"
            " target_id LIMIT $2 OFFSET $3",
            guild_id,
            limit,
            offset,
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
        row = await self._db.fetchrow(
            "INSERT INTO blocks (guild_id, kind, target_id, reason, blocked_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (guild_id, kind, target_id) DO UPDATE"
            " SET reason = excluded.reason, blocked_by = excluded.blocked_by,"
            " created_at = excluded.created_at RETURNING *",
            guild_id,
            kind,
            target_id,
            reason,
            blocked_by,
            now,
        )
        return block_from_row(row)

    async def remove(self, guild_id: int, kind: BlockKind, target_id: int) -> bool:
        status = await self._db.execute(
            "DELETE FROM blocks WHERE guild_id = $1 AND kind = $2 AND target_id = $3",
            guild_id,
            kind,
            target_id,
        )
        return affected(status) == 1
