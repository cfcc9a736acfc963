"""Close requests: staff ask the owner to confirm closing; no answer in time closes it.

The request, its deadline and the id its buttons carry all live in the database, so a
restart changes nothing: the buttons of a request still answer it, and the upkeep sweep
closes what is due. Answering (Close, Keep open, the deadline) consumes the request in the
same unit of work as its effect, so two answers at once can't both win: the first
consumes it, the second finds it gone.

Choices:
- A new request replaces the ticket's old one (one open question at a time); the old
  one's buttons then answer "no longer open".
- A reply by the owner does **not** cancel the request. Replies like "thanks, all good"
  are what usually comes before a close, and the owner has Keep open for saying "not yet";
  staff see the reply in the thread and can ask again or close by hand. Cancelling on any
  reply would make the request useless exactly when it is most often right.
- Members staff added to the ticket can't answer it: closing stays with the owner (and
  staff), as for the Close button.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta

from core.clock import Clock
from core.desk_tool_models import CloseRequest
from core.errors import FeatureDisabled, Forbidden, InvalidInput, InvalidTransition, NotFound
from core.guilds import GuildService
from core.models import Actor, AuthorKind, Feature, Status, Ticket
from core.policy import SYSTEM_USER_ID, is_staff, require_staff, system_actor
from core.ports import Reads, Store, UnitOfWork
from core.ticket_rules import load_ticket
from core.tickets import TicketService
from core.validation import REASON_MAX, clean_text, is_row_id
from i18n import N_

log = logging.getLogger(__name__)

NO_ANSWER = N_("no answer to close request")  # stored as the close reason; shown translated
DEFAULT_HOURS = 24
MAX_HOURS = 720  # 30 days
BATCH = 50


class _NoLongerDue(Exception):
    """The request was answered or replaced after the sweep picked it: undo the close."""


class CloseRequestService:
    def __init__(
        self, store: Store, guilds: GuildService, tickets: TicketService, clock: Clock
    ) -> None:
        self._store = store
        self._guilds = guilds
        self._tickets = tickets
        self._clock = clock

    async def request(
        self, actor: Actor, ticket_id: int, reason: object = None, hours: object = None
    ) -> tuple[CloseRequest, Ticket, CloseRequest | None]:
        """Ask the owner of an unclosed ticket; the new request, the ticket, and the request
        it replaced (whose buttons the front end should retire)."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        require_staff(actor, "staff_only.close_request")
        wait = _hours(hours)
        text = None
        if reason is not None and str(reason).strip():
            text = clean_text("reason", reason, max_length=REASON_MAX, multiline=True)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> tuple[CloseRequest, Ticket, CloseRequest | None]:
            ticket = await load_ticket(uow.tickets, actor, ticket_id)
            if ticket.status is Status.CLOSED:
                raise InvalidTransition("ticket.already_closed", ticket_id=ticket.id)
            old = await uow.close_requests.of_ticket(ticket.id)
            if old is not None:
                await uow.close_requests.delete(old.id)
            new = await uow.close_requests.insert(
                ticket_id=ticket.id,
                guild_id=ticket.guild_id,
                requested_by=actor.user_id,
                reason=text,
                hours=wait,
                now=now,
                due_at=now + timedelta(hours=wait),
            )
            return new, ticket, old

        return await self._store.write(work)

    async def posted(self, request: CloseRequest, line: str, message_id: int) -> None:
        """The request's message is in the thread: keep its id (to retire its buttons
        later) and the line in the ticket's record (transcripts show the question)."""
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> None:
            await uow.close_requests.set_message(request.id, message_id)
            await uow.replies.insert(
                ticket_id=request.ticket_id,
                author_id=SYSTEM_USER_ID,
                author_kind=AuthorKind.SYSTEM,
                body=line,
                message_id=message_id,
                now=now,
            )

        await self._store.write(work)

    async def withdraw(self, request_id: int) -> None:
        """Take back a request the front end could not put to the owner."""
        await self._store.write(lambda uow: uow.close_requests.delete(request_id))

    async def get(self, request_id: int) -> CloseRequest | None:
        return await self._store.reads.close_requests.get(request_id)

    async def close(self, actor: Actor, request_id: int) -> tuple[Ticket, CloseRequest]:
        """The owner (or staff) pressed Close: the ticket closes as usual, with the
        request's reason, and the request is answered in the same unit of work."""
        request = await self._answerable(actor, request_id)

        async def answered(uow: UnitOfWork, _: Ticket) -> None:
            if not await uow.close_requests.delete(request.id):
                raise NotFound("close_request.gone")  # Keep open won the race: undo

        ticket = await self._tickets.close(actor, request.ticket_id, request.reason, also=answered)
        return ticket, request

    async def keep_open(self, actor: Actor, request_id: int) -> tuple[Ticket, CloseRequest]:
        """The owner (or staff) pressed Keep open: the request is withdrawn."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)

        async def work(uow: UnitOfWork) -> tuple[Ticket, CloseRequest]:
            request, ticket = await _load_answerable(uow, actor, request_id)
            await uow.close_requests.delete(request.id)
            return ticket, request

        return await self._store.write(work)

    async def _answerable(self, actor: Actor, request_id: int) -> CloseRequest:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        request, _ = await _load_answerable(self._store.reads, actor, request_id)
        return request

    async def due(
        self, limit: int = BATCH, *, guild_ids: Collection[int] | None = None
    ) -> list[CloseRequest]:
        """Unanswered requests past their deadline, of these guilds (None: every guild)."""
        return await self._store.reads.close_requests.due(
            self._clock.now(), limit, guild_ids=guild_ids
        )

    async def close_unanswered(self, request: CloseRequest) -> Ticket | None:
        """Close a ticket whose request went unanswered, with "no answer to close request",
        only if the request is still due now (checked in the close's unit of work). None
        when there was nothing to close."""
        now = self._clock.now()

        async def still_due(uow: UnitOfWork, _: Ticket) -> None:
            current = await uow.close_requests.get(request.id)
            if current is None or current.due_at > now:
                raise _NoLongerDue
            await uow.close_requests.delete(request.id)

        actor = system_actor(request.guild_id)
        try:
            return await self._tickets.close(actor, request.ticket_id, NO_ANSWER, also=still_due)
        except _NoLongerDue:
            return None
        except FeatureDisabled:
            # Ticketing is off in that server: its desk is paused, like the inactivity
            # sweep; the request closes the ticket once ticketing is back on.
            return None
        except (InvalidTransition, NotFound):
            # Closed by other means meanwhile (or gone): nothing left to ask.
            await self._store.write(lambda uow: uow.close_requests.delete(request.id))
            return None


def _hours(value: object) -> int:
    if value is None:
        return DEFAULT_HOURS
    try:
        hours = int(str(value).strip())
    except ValueError:
        raise InvalidInput("hours", "input.between", low=1, high=MAX_HOURS) from None
    if not 1 <= hours <= MAX_HOURS:
        raise InvalidInput("hours", "input.between", low=1, high=MAX_HOURS)
    return hours


async def _load_answerable(
    reads: Reads, actor: Actor, request_id: int
) -> tuple[CloseRequest, Ticket]:
    """The request and its ticket if the actor may answer it: the owner or staff. `reads`
    is the store's reads or a unit of work."""
    request = await reads.close_requests.get(request_id) if is_row_id(request_id) else None
    if request is None or request.guild_id != actor.guild_id:
        raise NotFound("close_request.gone")
    ticket = await load_ticket(reads.tickets, actor, request.ticket_id, reads.participants)
    if actor.user_id != ticket.owner_id and not is_staff(actor):
        raise Forbidden("close_request.owner_only", ticket_id=ticket.id)
    return request, ticket
