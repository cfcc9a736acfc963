"""A ticket's Discord thread: a ticket is stored first and waits for its thread, which
the process holding its guild makes and attaches (retrying with backoff), so a ticket
opened by any front end, or left by a crash mid-create, is never thrown away.

SPEC §7: a ticket the member was told about survives. An attempt to make the thread holds
the ticket for THREAD_LEASE (longer than any one attempt may take); a failed attempt is
retried after a pause that grows with the attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta

from core.clock import Clock
from core.models import Ticket
from core.ports import Store, UnitOfWork

log = logging.getLogger(__name__)

THREAD_LEASE = timedelta(minutes=15)
THREAD_RETRY_PAUSES = tuple(timedelta(seconds=s) for s in (2, 10, 30, 120, 600, 1800, 3600))


def thread_retry_pause(attempts: int) -> timedelta:
    """2 s, 10 s, 30 s, 2 min, 10 min, 30 min, then hourly: quick while Discord blinks,
    gentle while it keeps refusing (an admin has to fix a permission first)."""
    return THREAD_RETRY_PAUSES[min(max(attempts, 1), len(THREAD_RETRY_PAUSES)) - 1]


class TicketThreads:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def waiting_for_thread(
        self, guild_ids: Collection[int], *, limit: int = 20, due_only: bool = True
    ) -> list[Ticket]:
        """Tickets of these guilds waiting for their thread and due for an attempt, each
        taken for one attempt (held for THREAD_LEASE, counted in `thread_attempts`).

        Only the process that holds a guild asks for it. `due_only=False` (at start-up)
        takes them whatever their schedule: an attempt of this process's previous life
        holds no lease any more, and a restart is a good moment to try again.
        """
        if not guild_ids:
            return []
        now = self._clock.now()
        if due_only and not await self._store.reads.tickets.any_waiting_due(guild_ids, now):
            return []  # the usual case: no write at all
        return await self._store.write(
            lambda uow: uow.tickets.claim_waiting(
                guild_ids, now=now, lease_until=now + THREAD_LEASE, limit=limit, due_only=due_only
            )
        )

    async def still_waiting_for_thread(self, ticket_id: int) -> bool:
        ticket = await self._store.reads.tickets.get(ticket_id)
        return ticket is not None and ticket.waiting_for_thread

    async def attach_thread(
        self, ticket_id: int, thread_id: int, opening_message_id: int | None = None
    ) -> Ticket | None:
        """The ticket's thread exists, with the member and the opening message: attach it.

        None when the ticket no longer waits for one (it was closed, discarded, or another
        attempt attached its thread first): the caller removes the thread it made.
        """

        async def work(uow: UnitOfWork) -> Ticket | None:
            ticket = await uow.tickets.attach_thread(ticket_id, thread_id)
            if ticket is None:
                return None
            # A thread's messages all have ids above the thread's own: nothing before it.
            await uow.tickets.advance_mirror(thread_id, thread_id)
            if opening_message_id is not None:
                replies, _ = await uow.replies.page(ticket_id, limit=1)
                if replies and replies[0].message_id is None:
                    await uow.replies.set_message(replies[0].id, opening_message_id)
            return ticket

        ticket = await self._store.write(work)
        if ticket is not None:
            log.info("ticket %s has its thread %s", ticket_id, thread_id)
        return ticket

    async def thread_failed(self, ticket: Ticket, error: str) -> Ticket | None:
        """An attempt to make the ticket's thread failed: it waits on, and the next attempt
        is due after a pause that grows with the attempts. None if it waits no more."""
        retry_at = self._clock.now() + thread_retry_pause(ticket.thread_attempts)
        log.warning(
            "ticket %s: thread attempt %s failed (%s); next try at %s",
            ticket.id,
            ticket.thread_attempts,
            error,
            retry_at.isoformat(timespec="seconds"),
        )
        return await self._store.write(
            lambda uow: uow.tickets.thread_failed(ticket.id, retry_at, error)
        )

    async def discard(self, ticket_id: int) -> None:
        """Remove a ticket whose thread could not be made, before its owner was ever told
        about it (shown its #id): nobody knows it exists. A ticket with a thread stays."""
        await self._store.write(lambda uow: uow.tickets.delete_waiting(ticket_id))
        log.info("ticket %s discarded: its thread could not be created", ticket_id)
