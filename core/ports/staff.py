"""Ports for the staff tools: tags (canned replies), staff notes and blocks.

Every method is one small query; none decides a rule (the services do, inside a unit of
work). Where two writers could race past a check, the schema decides instead, as noted
(a unique (guild, key) for tag names).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from core.staff_models import Block, BlockKind, StaffNote, Tag


class TagReads(Protocol):
    async def get(self, guild_id: int, key: str) -> Tag | None:
        """The guild's tag whose key (casefolded name, `core.staff_models.tag_key`) is `key`."""
        ...

    async def by_id(self, tag_id: int) -> Tag | None: ...

    async def search(self, guild_id: int, needle: str, limit: int) -> list[Tag]:
        """Up to `limit` of the guild's tags whose key contains `needle` (already
        casefolded; "" matches every tag), ordered by key."""
        ...

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Tag], int]:
        """The guild's tags ordered by key, and how many it has in all (`limit` 0: just
        the count)."""
        ...


class TagRepository(TagReads, Protocol):
    async def insert(
        self, *, guild_id: int, name: str, key: str, content: str, author_id: int, now: datetime
    ) -> Tag | None:
        """A new tag (created and updated by `author_id` at `now`); None when the guild
        already has one with this key. A unique (guild_id, key) decides, so of two racing
        creates one gets None."""
        ...

    async def update(
        self, tag_id: int, *, name: str, key: str, content: str, editor_id: int, now: datetime
    ) -> Tag | None:
        """Rename and/or rewrite a tag; None when another tag of the guild has this key
        (or the tag is gone)."""
        ...

    async def delete(self, tag_id: int) -> bool:
        """False if there was no such tag."""
        ...


class NoteReads(Protocol):
    async def of_ticket(self, ticket_id: int) -> list[StaffNote]:
        """A ticket's staff notes, oldest first."""
        ...


class NoteRepository(NoteReads, Protocol):
    async def insert(
        self, *, ticket_id: int, author_id: int, body: str, now: datetime
    ) -> StaffNote:
        """Notes go with their ticket (deleting a ticket deletes its notes)."""
        ...


class BlockReads(Protocol):
    async def matching(self, guild_id: int, user_id: int, role_ids: Collection[int]) -> list[Block]:
        """The guild's blocks on this member and on any of `role_ids`, the member's own
        first. Members hold up to 250 roles."""
        ...

    async def get(self, guild_id: int, kind: BlockKind, target_id: int) -> Block | None: ...

    async def page(self, guild_id: int, *, offset: int, limit: int) -> tuple[list[Block], int]:
        """The guild's blocks, members before roles, oldest first; and how many in all."""
        ...


class BlockRepository(BlockReads, Protocol):
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
        """Block; blocking again replaces the reason, who blocked and when (one block per
        guild, kind and target)."""
        ...

    async def remove(self, guild_id: int, kind: BlockKind, target_id: int) -> bool:
        """False if it was not blocked."""
        ...
