"""The Discord side of closes: recorded with the close, finished part by part, retried.

Closing a ticket writes, in the same transaction, a row saying what Discord still needs
(closing line, archive and lock, transcript to the log channel, DM to the owner). The
front end does those parts at once and marks each as done; whatever is left (Discord
refused, the bot crashed) is picked up by the sweep after a lease, with growing pauses.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta

from core.clock import Clock
from core.models import ALL_CLOSE_PARTS, AuthorKind, ClosePart, CloseWork, Reply, Ticket
from core.policy import SYSTEM_USER_ID
from core.ports import Store, UnitOfWork

log = logging.getLogger(__name__)

# The first attempt runs in the process that closed the ticket; the sweep leaves it alone
# this long, so both never work on one close at the same time (unless one takes longer).
LEASE = timedelta(minutes=2)
LONGEST_PAUSE = timedelta(hours=1)
GIVE_UP_AFTER = 48  # attempts: about two days of hourly tries


def pause_after(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes between attempts, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts, 1), 6)), LONGEST_PAUSE)


class CloseService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def pending(self, ticket_id: int) -> CloseWork | None:
        return await self._store.reads.close_work.get(ticket_id)

    async def claim_due(
        self, limit: int = 50, *, guild_ids: Collection[int] | None = None
    ) -> list[CloseWork]:
        """Closes whose Discord side is unfinished and due for another attempt; of the
        tickets of `guild_ids` only when given (the guilds this process holds)."""
        now = self._clock.now()
        if not await self._store.reads.close_work.any_due(now, guild_ids=guild_ids):
            return []  # the usual case: no write at all
        return await self._store.write(
            lambda uow: uow.close_work.claim_due(now, now + LEASE, limit, guild_ids=guild_ids)
        )

    async def done(self, ticket_id: int, part: ClosePart) -> bool:
        """Record a part as done; False when the ticket was reopened meanwhile (stop)."""
        return await self._store.write(
            lambda uow: uow.close_work.mark_done(ticket_id, part, ALL_CLOSE_PARTS)
        )

    async def note_posted(self, ticket_id: int, line: str, message_id: int) -> None:
        """Keep the closing line in the record; the same message twice is stored once."""
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> None:
            await uow.replies.insert(
                ticket_id=ticket_id,
                author_id=SYSTEM_USER_ID,
                author_kind=AuthorKind.SYSTEM,
                body=line,
                message_id=message_id,
                now=now,
            )

        await self._store.write(work)

    async def failed(self, work: CloseWork, error: str) -> None:
        """Try the rest again later; after about two days, give up and say so in the log."""
        if work.attempts >= GIVE_UP_AFTER:
            log.error(
                "giving up on the Discord side of closing ticket %s after %s attempts: %s",
                work.ticket_id,
                work.attempts,
                error,
            )
            await self._store.write(lambda uow: uow.close_work.cancel(work.ticket_id))
            return
        due = self._clock.now() + pause_after(work.attempts)
        await self._store.write(lambda uow: uow.close_work.retry_at(work.ticket_id, due, error))

    async def forget(self, ticket_id: int) -> None:
        await self._store.write(lambda uow: uow.close_work.cancel(ticket_id))

    async def ticket(self, ticket_id: int) -> Ticket | None:
        return await self._store.reads.tickets.get(ticket_id)

    async def record(self, ticket_id: int) -> tuple[Ticket, list[Reply]] | None:
        """The ticket and its whole conversation for the transcript.

        No flag check: the close was allowed when it happened, and an admin switching
        ticketing off afterwards must not leave it half done.
        """
        ticket = await self._store.reads.tickets.get(ticket_id)
        if ticket is None:
            return None
        replies, _ = await self._store.reads.replies.page(ticket_id)
        return ticket, replies
