"""Tags, staff notes and blocks in memory (core.ports.staff)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.staff_models import Block, BlockKind, StaffNote, Tag, tag_key
from tests.fakes.store.data import MemoryRepository


class MemoryTags(MemoryRepository):
    def _of_guild(self, guild_id: int) -> list[Tag]:
        found = [t for t in self._data.tags.values() if t.guild_id == guild_id]
        return sorted(found, key=lambda t: tag_key(t.name))

    async def get(self, guild_id: int, key: str) -> Tag | None:
        return next((t for t in self._of_guild(guild_id) if tag_key(t.name) == key), None)

    async def by_id(self, tag_id: int) -> Tag | None:
        return self._data.tags.get(tag_id)

    async def search(self, guild_id: int, needle: str, limit: int) -> list[Tag]:
        return [t for t in self._of_guild(guild_id) if needle in tag_key(t.name)][:limit]

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Tag], int]:
        found = self._of_guild(guild_id)
        return found[offset : offset + limit], len(found)

    async def insert(
        self, *, guild_id: int, name: str, key: str, content: str, author_id: int, now: datetime
    ) -> Tag | None:
        if await self.get(guild_id, key) is not None:
            return None
        tag = Tag(
            id=self._data.new_id("tags"),
            guild_id=guild_id,
            name=name,
            content=content,
            created_by=author_id,
            created_at=now,
            updated_by=author_id,
            updated_at=now,
        )
        self._data.tags[tag.id] = tag
        return tag

    async def update(
        self, tag_id: int, *, name: str, key: str, content: str, editor_id: int, now: datetime
    ) -> Tag | None:
        current = self._data.tags.get(tag_id)
        if current is None:
            return None
        other = await self.get(current.guild_id, key)
        if other is not None and other.id != tag_id:
            return None
        updated = current.model_copy(
            update={"name": name, "content": content, "updated_by": editor_id, "updated_at": now}
        )
        self._data.tags[tag_id] = updated
        return updated

    async def delete(self, tag_id: int) -> bool:
        return self._data.tags.pop(tag_id, None) is not None


class MemoryNotes(MemoryRepository):
    async def of_ticket(self, ticket_id: int) -> list[StaffNote]:
        return sorted(
            (n for n in self._data.notes.values() if n.ticket_id == ticket_id), key=lambda n: n.id
        )

    async def insert(
        self, *, ticket_id: int, author_id: int, body: str, now: datetime
    ) -> StaffNote:
        if ticket_id not in self._data.tickets:
            raise KeyError(f"no ticket {ticket_id}")  # the foreign key
        note = StaffNote(
            id=self._data.new_id("notes"),
            ticket_id=ticket_id,
            author_id=author_id,
            body=body,
            created_at=now,
        )
        self._data.notes[note.id] = note
        return note


def _block_order(block: Block) -> tuple[bool, datetime, int]:
    return block.kind is BlockKind.ROLE, block.created_at, block.target_id


class MemoryBlocks(MemoryRepository):
    async def matching(self, guild_id: int, user_id: int, role_ids: Collection[int]) -> list[Block]:
        wanted = {(BlockKind.MEMBER, user_id), *((BlockKind.ROLE, r) for r in role_ids)}
        found = [
            b
            for (g, kind, target), b in self._data.blocks.items()
            if g == guild_id and (kind, target) in wanted
        ]
        return sorted(found, key=_block_order)

    async def get(self, guild_id: int, kind: BlockKind, target_id: int) -> Block | None:
        return self._data.blocks.get((guild_id, kind, target_id))

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Block], int]:
        found = sorted(
            (b for (g, _, _), b in self._data.blocks.items() if g == guild_id), key=_block_order
        )
        return found[offset : offset + limit], len(found)

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
        block = Block(
            guild_id=guild_id,
            kind=kind,
            target_id=target_id,
            reason=reason,
            blocked_by=blocked_by,
            created_at=now,
        )
        self._data.blocks[(guild_id, kind, target_id)] = block
        return block

    async def remove(self, guild_id: int, kind: BlockKind, target_id: int) -> bool:
        return self._data.blocks.pop((guild_id, kind, target_id), None) is not None
