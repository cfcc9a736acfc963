"""Talking in a ticket: replies through commands, messages mirrored from the thread,
edits, system notes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from core.clock import Clock
from core.guilds import GuildService
from core.lifecycle import Event, next_status
from core.models import (
    Actor,
    Attachment,
    AuthorKind,
    Feature,
    Reply,
    Status,
    StoredReply,
    Ticket,
)
from core.policy import SYSTEM_USER_ID
from core.ports import Store, UnitOfWork
from core.ticket_rules import add_reply, author_kind_for, load_ticket, remember_language
from core.validation import MESSAGE_MAX, clean_text, without_nul

log = logging.getLogger(__name__)


class TicketConversation:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def reply(
        self,
        actor: Actor,
        ticket_id: int,
        body: object,
        attachments: Sequence[Attachment] = (),
    ) -> tuple[Ticket, Reply]:
        stored = await self.store_reply(actor, ticket_id, body, attachments)
        return stored.ticket, stored.reply

    async def store_reply(
        self,
        actor: Actor,
        ticket_id: int,
        body: object,
        attachments: Sequence[Attachment] = (),
    ) -> StoredReply:
        """A reply written through a command, stored before the front end posts it.

        The front end then attaches the posted message's id, or, when the post fails,
        calls `withdraw_reply`: stored first, the database never lacks a message that is
        in the thread, even if the bot stops between the two steps.
        """
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        text = clean_text("message", body, max_length=MESSAGE_MAX, multiline=True)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> StoredReply:
            ticket = await load_ticket(uow.tickets, actor, ticket_id, uow.participants)
            if ticket.status is Status.CLOSED:
                next_status(ticket, Event.MEMBER_REPLY)  # raises the closed-ticket refusal
            # load_ticket let only the owner, staff and members staff added through.
            kind = author_kind_for(actor, ticket, added=True)
            result = await add_reply(
                uow,
                ticket,
                author_id=actor.user_id,
                kind=kind,
                body=text,
                attachments=attachments,
                message_id=None,
                now=now,
            )
            assert result is not None  # no message id, so no conflict is possible
            updated = await remember_language(uow, result[0], actor)
            return StoredReply(ticket=updated, reply=result[1], before=ticket)

        return await self._store.write(work)

    async def withdraw_reply(self, stored: StoredReply) -> None:
        """Take back a reply that never reached the thread, with the status change it made.

        The status is restored only if nothing touched the ticket since; otherwise what
        happened later stands.
        """
        before = stored.before

        async def work(uow: UnitOfWork) -> None:
            await uow.replies.delete(stored.reply.id)
            current = await uow.tickets.get(before.id)
            if current is None or current.updated_at != stored.ticket.updated_at:
                return
            await uow.tickets.update(
                before.id,
                status=before.status,
                status_changed_at=before.status_changed_at,
                updated_at=before.updated_at,
                reminded_at=before.reminded_at,
                first_response_seconds=before.first_response_seconds,
                ai_active=before.ai_active,
            )

        await self._store.write(work)
        log.info(
            "reply %s to ticket %s withdrawn: it could not be posted", stored.reply.id, before.id
        )

    async def attach_message(self, reply_id: int, message_id: int) -> None:
        await self._store.write(lambda uow: uow.replies.set_message(reply_id, message_id))

    async def record_message(
        self,
        *,
        thread_id: int,
        author_id: int,
        author_is_staff: bool,
        body: str,
        message_id: int,
        attachments: Sequence[Attachment] = (),
        created_at: datetime | None = None,
        mirrored: bool = False,
    ) -> tuple[Ticket, Reply] | None:
        """Mirror a message typed in a ticket thread; the same message twice stores one reply.

        `mirrored`: every earlier message of the thread is handled, so the thread counts as
        mirrored up to this one (see `mark_mirrored`), in the same unit of work.
        """
        when = created_at or self._clock.now()
        body = without_nul(body)
        attachments = [
            a.model_copy(update={"filename": without_nul(a.filename)}) for a in attachments
        ]

        async def work(uow: UnitOfWork) -> tuple[Ticket, Reply] | None:
            ticket = await uow.tickets.by_thread(thread_id)
            if ticket is None:
                return None
            if mirrored:
                await uow.tickets.advance_mirror(thread_id, message_id)
            if author_id == ticket.owner_id:
                kind = AuthorKind.MEMBER
            else:
                kind = AuthorKind.STAFF if author_is_staff else AuthorKind.MEMBER
            return await add_reply(
                uow,
                ticket,
                author_id=author_id,
                kind=kind,
                body=body,
                attachments=attachments,
                message_id=message_id,
                now=when,
            )

        return await self._store.write(work)

    async def mark_mirrored(self, thread_id: int, message_id: int) -> None:
        """Every message of the ticket thread up to `message_id` is stored (or is the bot's).

        Catch-up after a new gateway session reads the thread's history after this mark, so
        it only moves over messages actually handled: never past a gap.
        """
        await self._store.write(lambda uow: uow.tickets.advance_mirror(thread_id, message_id))

    async def record_edit(self, message_id: int, body: str) -> Reply | None:
        now = self._clock.now()
        text = without_nul(body)
        return await self._store.write(lambda uow: uow.replies.edit(message_id, text, now))

    async def add_system_note(
        self, ticket_id: int, body: str, message_id: int | None = None
    ) -> Reply:
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> Reply:
            reply = await uow.replies.insert(
                ticket_id=ticket_id,
                author_id=SYSTEM_USER_ID,
                author_kind=AuthorKind.SYSTEM,
                body=body,
                message_id=message_id,
                now=now,
            )
            assert reply is not None
            return reply

        return await self._store.write(work)
