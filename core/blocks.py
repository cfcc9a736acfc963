"""Blocks (SPEC §12): admins block a member, or everyone holding a role, from opening
tickets and submitting forms. Tickets they already have stay usable.

The check is `ensure_not_blocked`, called inside the unit of work that opens a ticket
(core/ticket_opening.py) or stores a submission (core/forms.py), so every front end gets
it and a block that lands meanwhile is seen. Staff are never blocked by a role: a staff
member holding a blocked role still acts as staff. A block on the member themselves
applies to anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from core.clock import Clock
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import Actor, GuildConfig, Page
from core.policy import is_staff, require_admin
from core.ports import BlockReads, Store, UnitOfWork
from core.staff_models import Block, BlockKind
from core.validation import REASON_MAX, clamp_page, clean_text

log = logging.getLogger(__name__)

PAGE_SIZE = 15


async def ensure_not_blocked(
    blocks: BlockReads, actor: Actor, role_ids: Iterable[int] = ()
) -> None:
    """Refuse a blocked member; `role_ids` adds roles a front end read on its own."""
    roles: frozenset[int] = frozenset() if is_staff(actor) else actor.role_ids | set(role_ids)
    for block in await blocks.matching(actor.guild_id, actor.user_id, roles):
        if block.kind is BlockKind.MEMBER:
            raise Forbidden("block.member_blocked")
        raise Forbidden("block.role_blocked", role_id=block.target_id)


class BlockService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def check(self, actor: Actor) -> None:
        """A fast refusal before a member types anything (the panel's modal); opening
        and submitting check again inside their own unit of work."""
        await ensure_not_blocked(self._store.reads.blocks, actor)

    async def block_member(self, actor: Actor, user_id: int, reason: object = None) -> Block:
        require_admin(actor)
        if user_id == actor.user_id:
            raise InvalidInput("member", "block.self")
        return await self._put(actor, BlockKind.MEMBER, user_id, _reason(reason))

    async def block_role(self, actor: Actor, role_id: int, config: GuildConfig) -> Block:
        """`config` is the guild's: its staff roles can't be blocked (staff never are)."""
        require_admin(actor)
        if role_id == actor.guild_id:  # the everyone role's id is the guild's id
            raise InvalidInput("role", "block.everyone")
        if role_id in config.staff_role_ids():
            raise InvalidInput("role", "block.staff_role", role_id=role_id)
        return await self._put(actor, BlockKind.ROLE, role_id, None)

    async def _put(
        self, actor: Actor, kind: BlockKind, target_id: int, reason: str | None
    ) -> Block:
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Block:
            return await uow.blocks.put(
                guild_id=actor.guild_id,
                kind=kind,
                target_id=target_id,
                reason=reason,
                blocked_by=actor.user_id,
                now=now,
            )

        block = await self._store.write(work)
        log.info("%s %s blocked in guild %s", kind, target_id, actor.guild_id)
        return block

    async def unblock(self, actor: Actor, kind: BlockKind, target_id: int) -> Block:
        """Lift a block; returns it as it was."""
        require_admin(actor)

        async def work(uow: UnitOfWork) -> Block:
            found = await uow.blocks.get(actor.guild_id, kind, target_id)
            if found is None:
                raise NotFound(
                    "block.not_blocked_member"
                    if kind is BlockKind.MEMBER
                    else "block.not_blocked_role",
                    target_id=target_id,
                )
            await uow.blocks.remove(actor.guild_id, kind, target_id)
            return found

        block = await self._store.write(work)
        log.info("%s %s unblocked in guild %s", kind, target_id, actor.guild_id)
        return block

    async def page(self, actor: Actor, page: int = 0, page_size: int = PAGE_SIZE) -> Page[Block]:
        require_admin(actor)
        page = clamp_page(page)
        items, total = await self._store.reads.blocks.page(
            actor.guild_id, offset=page * page_size, limit=page_size
        )
        return Page(items=tuple(items), page=page, page_size=page_size, total=total)


def _reason(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_text("reason", value, max_length=REASON_MAX, multiline=False)
