"""Tags, canned replies (SPEC §12): admins keep them per server, staff post them.

Using a tag is a staff reply like any other: it goes through `TicketService.store_reply`,
so it is stored, moves the ticket's status and takes the ticket over from the AI exactly
as a reply typed by staff does, from any front end (a slash command, the dashboard's reply
box).
"""

from __future__ import annotations

import logging

from core.clock import Clock
from core.errors import Forbidden, InvalidInput, LimitReached, NotFound
from core.models import Actor, Page, StoredReply
from core.policy import is_admin, is_staff, require_staff
from core.ports import Reads, Store, UnitOfWork
from core.staff_models import Tag, tag_key
from core.tickets import TicketService
from core.validation import clamp_page, clean_text, is_row_id

log = logging.getLogger(__name__)

NAME_MAX = 32
CONTENT_MAX = 2000
TAGS_MAX = 500  # per server; plenty for canned replies, and a bound on what one admin adds
PAGE_SIZE = 10
AUTOCOMPLETE_MAX = 25  # the most choices a front end (Discord) shows while typing


def clean_name(name: object) -> str:
    text = clean_text("name", name, max_length=NAME_MAX, multiline=False)
    return " ".join(text.split())  # "refund  policy" and "refund policy" are one name


def clean_content(content: object) -> str:
    return clean_text("content", content, max_length=CONTENT_MAX, multiline=True)


def require_manager(actor: Actor) -> None:
    """Admins manage tags; staff only use them."""
    if not is_admin(actor):
        raise Forbidden("tag.admin_only")


class TagService:
    def __init__(self, store: Store, tickets: TicketService, clock: Clock) -> None:
        self._store = store
        self._tickets = tickets
        self._clock = clock

    # -- reading ---------------------------------------------------------------------------

    async def _named(self, reads: Reads, actor: Actor, name: object) -> Tag:
        wanted = clean_name(name)
        tag = await reads.tags.get(actor.guild_id, tag_key(wanted))
        if tag is None:
            raise NotFound("tag.not_found", name=wanted)
        return tag

    async def get(self, actor: Actor, name: object) -> Tag:
        require_staff(actor, "staff_only.tags")
        return await self._named(self._store.reads, actor, name)

    async def suggest(self, actor: Actor, typed: str) -> list[Tag]:
        """Autocomplete: the tags whose name contains what was typed. Empty for anyone
        but staff (the command itself then says why)."""
        if not is_staff(actor):
            return []
        needle = " ".join(typed.split()).casefold()[:NAME_MAX]
        return await self._store.reads.tags.search(actor.guild_id, needle, AUTOCOMPLETE_MAX)

    async def page(self, actor: Actor, page: int = 0, page_size: int = PAGE_SIZE) -> Page[Tag]:
        require_staff(actor, "staff_only.tags")
        page = clamp_page(page)
        items, total = await self._store.reads.tags.page(
            actor.guild_id, offset=page * page_size, limit=page_size
        )
        return Page(items=tuple(items), page=page, page_size=page_size, total=total)

    # -- staff: using one ------------------------------------------------------------------

    async def use(self, actor: Actor, ticket_id: int, name: object) -> tuple[Tag, StoredReply]:
        """Post a tag in a ticket as the actor's reply (stored first, like `store_reply`;
        the front end then posts it, or withdraws it if it can't)."""
        tag = await self.get(actor, name)
        stored = await self._tickets.store_reply(actor, ticket_id, tag.content)
        log.info("tag %s used in ticket %s", tag.id, ticket_id)
        return tag, stored

    # -- admins: managing them -------------------------------------------------------------

    async def check_new(self, actor: Actor, name: object) -> str:
        """Before asking for the content: may the actor create a tag by this name?"""
        require_manager(actor)
        wanted = clean_name(name)
        if await self._store.reads.tags.get(actor.guild_id, tag_key(wanted)) is not None:
            raise InvalidInput("name", "tag.name_taken", name=wanted)
        return wanted

    async def create(self, actor: Actor, name: object, content: object) -> Tag:
        require_manager(actor)
        wanted, text = clean_name(name), clean_content(content)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Tag:
            _, total = await uow.tags.page(actor.guild_id, offset=0, limit=0)
            if total >= TAGS_MAX:
                raise LimitReached("tag.limit", limit=TAGS_MAX)
            tag = await uow.tags.insert(
                guild_id=actor.guild_id,
                name=wanted,
                key=tag_key(wanted),
                content=text,
                author_id=actor.user_id,
                now=now,
            )
            if tag is None:
                raise InvalidInput("name", "tag.name_taken", name=wanted)
            return tag

        tag = await self._store.write(work)
        log.info("tag %s created in guild %s", tag.id, tag.guild_id)
        return tag

    async def for_edit(self, actor: Actor, name: object) -> Tag:
        """The tag an admin is about to edit (refused before the editor opens)."""
        require_manager(actor)
        return await self._named(self._store.reads, actor, name)

    async def edit(self, actor: Actor, tag_id: int, name: object, content: object) -> Tag:
        """Rename and/or rewrite the tag with this id (the editor carries the id, so a
        rename meanwhile doesn't send the edit elsewhere)."""
        require_manager(actor)
        wanted, text = clean_name(name), clean_content(content)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Tag:
            current = await uow.tags.by_id(tag_id) if is_row_id(tag_id) else None
            if current is None or current.guild_id != actor.guild_id:
                raise NotFound("tag.gone")
            updated = await uow.tags.update(
                current.id,
                name=wanted,
                key=tag_key(wanted),
                content=text,
                editor_id=actor.user_id,
                now=now,
            )
            if updated is None:
                raise InvalidInput("name", "tag.name_taken", name=wanted)
            return updated

        tag = await self._store.write(work)
        log.info("tag %s edited in guild %s", tag.id, tag.guild_id)
        return tag

    async def delete(self, actor: Actor, name: object) -> Tag:
        """Delete a tag; returns it as it was."""
        require_manager(actor)

        async def work(uow: UnitOfWork) -> Tag:
            tag = await self._named(uow, actor, name)
            await uow.tags.delete(tag.id)
            return tag

        tag = await self._store.write(work)
        log.info("tag %s deleted in guild %s", tag.id, tag.guild_id)
        return tag
