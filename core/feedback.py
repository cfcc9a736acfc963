"""Members rate a closed ticket 1–5, with an optional comment."""

from __future__ import annotations

from core.clock import Clock
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import Status, Ticket
from core.ports import Store
from core.validation import clean_text, is_row_id

COMMENT_MAX = 1000


class FeedbackService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def _owned_closed(self, user_id: int, ticket_id: int) -> Ticket:
        ticket = None
        if is_row_id(ticket_id):
            ticket = await self._store.reads.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("feedback.ticket_not_found", ticket_id=ticket_id)
        if ticket.owner_id != user_id:
            raise Forbidden("feedback.not_owner", ticket_id=ticket.id)
        if ticket.status is not Status.CLOSED:
            raise InvalidInput("rating", "feedback.not_closed", ticket_id=ticket.id)
        return ticket

    async def rate(self, user_id: int, ticket_id: int, rating: int) -> None:
        if not 1 <= rating <= 5:
            raise InvalidInput("rating", "input.between", low=1, high=5)
        ticket = await self._owned_closed(user_id, ticket_id)
        await self._save(ticket, user_id, rating=rating, comment=None)

    async def comment(self, user_id: int, ticket_id: int, text: object) -> None:
        comment = clean_text("comment", text, max_length=COMMENT_MAX, multiline=True)
        ticket = await self.check_comment(user_id, ticket_id)
        await self._save(ticket, user_id, rating=None, comment=comment)

    async def check_comment(self, user_id: int, ticket_id: int) -> Ticket:
        """Refuse a comment before the member writes it (unknown ticket, not rated yet)."""
        ticket = await self._owned_closed(user_id, ticket_id)
        if await self._store.reads.feedback.of(ticket.id) is None:
            raise InvalidInput("comment", "feedback.rate_first")
        return ticket

    async def _save(
        self, ticket: Ticket, user_id: int, *, rating: int | None, comment: str | None
    ) -> None:
        now = self._clock.now()
        await self._store.write(
            lambda uow: uow.feedback.upsert(
                ticket_id=ticket.id,
                guild_id=ticket.guild_id,
                user_id=user_id,
                rating=rating,
                comment=comment,
                now=now,
            )
        )

    async def of(self, ticket_id: int) -> tuple[int, str | None] | None:
        return await self._store.reads.feedback.of(ticket_id)
